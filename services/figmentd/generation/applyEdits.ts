/** One search/replace block of a patch the model writes against the stored document. */
export interface Edit {
  search: string;
  replace: string;
}

export type EditResult =
  | { ok: true; html: string }
  | { ok: false; index: number; reason: 'not-found' | 'ambiguous' | 'empty' };

/**
 * Applies search/replace blocks in order. Each search text must occur exactly
 * once; if it does not occur verbatim, a match that differs only in the
 * indentation and trailing spaces of its lines is accepted. Anything else
 * means the patch does not apply, and the caller falls back to a full document.
 */
export function applyEdits(html: string, edits: readonly Edit[]): EditResult {
  let text = html;
  for (const [index, edit] of edits.entries()) {
    if (edit.search.trim() === '') return { ok: false, index, reason: 'empty' };
    const exact = occurrences(text, edit.search);
    if (exact.length === 1) {
      const at = exact[0] ?? 0;
      text = text.slice(0, at) + edit.replace + text.slice(at + edit.search.length);
      continue;
    }
    if (exact.length > 1) return { ok: false, index, reason: 'ambiguous' };
    const loose = looseMatch(text, edit.search);
    if (loose === 'ambiguous') return { ok: false, index, reason: 'ambiguous' };
    if (!loose) return { ok: false, index, reason: 'not-found' };
    text = text.slice(0, loose.start) + edit.replace + text.slice(loose.end);
  }
  return { ok: true, html: text };
}

function occurrences(text: string, search: string): number[] {
  const found: number[] = [];
  for (let at = text.indexOf(search); at !== -1; at = text.indexOf(search, at + 1)) found.push(at);
  return found;
}

/** Finds the search lines among the text's lines, comparing each line trimmed. */
function looseMatch(text: string, search: string): { start: number; end: number } | 'ambiguous' | undefined {
  const wanted = search.split('\n').map((line) => line.trim());
  while (wanted.length > 0 && wanted.at(-1) === '') wanted.pop();
  while (wanted.length > 0 && wanted[0] === '') wanted.shift();
  if (wanted.length === 0) return undefined;
  const lines = text.split('\n');
  const starts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    starts.push(offset);
    offset += line.length + 1;
  }
  let match: { start: number; end: number } | undefined;
  for (let i = 0; i + wanted.length <= lines.length; i++) {
    if (!wanted.every((line, j) => lines[i + j]?.trim() === line)) continue;
    if (match) return 'ambiguous';
    const last = i + wanted.length - 1;
    match = { start: starts[i] ?? 0, end: (starts[last] ?? 0) + (lines[last]?.length ?? 0) };
  }
  return match;
}
