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
