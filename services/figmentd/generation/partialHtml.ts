/** The opening of the bundle's `"html": "` string; a key inside another string has its quotes escaped. */
const HTML_KEY = /(?<!\\)"html"\s*:\s*"/;

/**
 * The app's HTML as far as the model has written it, from the bundle JSON
 * streamed so far: the `html` string's decoded prefix, or undefined before
 * the model has reached it. An escape cut off at the end is left out.
 */
export function partialHtml(jsonSoFar: string): string | undefined {
  const key = HTML_KEY.exec(jsonSoFar);
  if (!key) return undefined;
  let body = jsonSoFar.slice(key.index + key[0].length);
  // The first unescaped quote ends the string.
  const end = /(?<!\\)(?:\\\\)*"/.exec(body);
  if (end) body = body.slice(0, end.index + end[0].length - 1);
  else
    body = body.replace(/\\(?:u[0-9a-fA-F]{0,3})?$/, (tail) => (isEscapedBackslash(body, tail) ? tail : ''));
  try {
    return JSON.parse(`"${body}"`) as string;
  } catch {
    return undefined;
  }
}

/** True when the trailing `\` found is itself the second half of `\\`. */
function isEscapedBackslash(body: string, tail: string): boolean {
  if (tail !== '\\') return false;
  const run = /\\+$/.exec(body)?.[0].length ?? 0;
  return run % 2 === 0;
}
