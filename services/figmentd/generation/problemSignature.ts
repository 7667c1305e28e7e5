/**
 * A key for "the same error again": problem texts without line and column
 * numbers or digits (a counter in a message is not a new error), sorted.
 */
export function problemSignature(problems: readonly string[]): string {
  return [...new Set(problems.map((problem) => problem.replace(/\d+/g, '#').replace(/\s+/g, ' ').trim()))]
    .sort()
    .join('\n');
}
