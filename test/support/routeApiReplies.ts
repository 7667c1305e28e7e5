import type { Page, WebSocketRoute } from 'playwright-core';

/** One reply from figmentd's API, as far as the tests look into it. */
export interface ApiReply {
  id?: string;
  result?: Record<string, unknown>;
}

/**
 * Passes the shell's API traffic through, letting `change` rewrite or hold back figmentd's
 * replies: `send` delivers one (or another text) to the shell, when `change` chooses.
 */
export async function routeApiReplies(
  page: Page,
  change: (reply: ApiReply, send: (text: string) => void) => void,
): Promise<void> {
  await page.routeWebSocket(/\/api/, (socket: WebSocketRoute) => {
    const server = socket.connectToServer();
    socket.onMessage((message) => server.send(message));
    server.onMessage((message) =>
      change(JSON.parse(String(message)) as ApiReply, (text) => socket.send(text)),
    );
  });
}

/** figmentd's answer to `apps.list`: the apps and each current version's frame address. */
export const isAppList = (reply: ApiReply) =>
  !!reply.result && 'apps' in reply.result && 'frames' in reply.result;
/** figmentd's answer to `apps.open`. */
export const isOpenedApp = (reply: ApiReply) => !!reply.result && 'frameUrl' in reply.result;
/** figmentd's answer to `storage.get`: one saved value. */
export const isStoredValue = (reply: ApiReply) =>
  !!reply.result && Object.keys(reply.result).join() === 'value';

/** How many replies were held back so far, and how many of those have since been passed on. */
export interface HeldReplies {
  held: number;
  delivered: number;
}

/**
 * Holds back the replies `matches` picks for `delayMs`, as a busy machine would; the rest pass at
 * once. The counts it returns stay current.
 */
export async function delayApiReplies(
  page: Page,
  matches: (reply: ApiReply) => boolean,
  delayMs: number,
): Promise<HeldReplies> {
  const counts: HeldReplies = { held: 0, delivered: 0 };
  await routeApiReplies(page, (reply, send) => {
    const text = JSON.stringify(reply);
    if (!matches(reply)) return send(text);
    counts.held++;
    setTimeout(() => {
      counts.delivered++;
      send(text);
    }, delayMs);
  });
  return counts;
}
