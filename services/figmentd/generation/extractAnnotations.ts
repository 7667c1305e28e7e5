/** Longest annotation text sent back to the model. */
const MAX_CHARS = 1500;

/**
 * The notes an app carries about itself for whoever repairs it: comments
 * holding `@figment` (in scripts, styles or the HTML), as plain lines.
 */
export function extractAnnotations(html: string): string {
  const notes: string[] = [];
  for (const match of html.matchAll(/\/\*([\s\S]*?)\*\/|<!--([\s\S]*?)-->|\/\/([^\n]*)/g)) {
    const text = (match[1] ?? match[2] ?? match[3] ?? '').trim();
    if (text.includes('@figment')) notes.push(text.replace(/\s+/g, ' '));
  }
  const joined = notes.join('\n');
  if (!joined) return '(none)';
  return joined.length > MAX_CHARS ? `${joined.slice(0, MAX_CHARS)}…` : joined;
}
