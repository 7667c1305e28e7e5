import type { DefaultTreeAdapterTypes } from 'parse5';
import type { Finding } from '../../../protocol/bundle.js';
import { attr, deepText, type Element, elements } from './htmlTree.js';

/** Input types that are not form fields a person fills in, or that name themselves. */
const unlabelledInputTypes = new Set(['hidden']);
const selfNamedInputTypes = new Set(['submit', 'reset', 'button']);

/**
 * Every control a person operates has an accessible name: buttons by their
 * text (or alt of an image inside), fields by a <label>, and any of them by
 * aria-label, aria-labelledby or title. Images need alt text.
 */
export function checkControlNames(document: DefaultTreeAdapterTypes.Document): Finding[] {
  const all = [...elements(document)];
  const labelledIds = new Set(
    all.filter((e) => e.tagName === 'label').flatMap((label) => attr(label, 'for')?.trim() || []),
  );
  const insideLabel = new Set<Element>();
  for (const label of all.filter((e) => e.tagName === 'label'))
    for (const e of elements(label)) insideLabel.add(e);

  const findings: Finding[] = [];
  for (const element of all) {
    const line = element.sourceCodeLocation?.startLine;
    const tag = element.tagName;
    const role = attr(element, 'role')?.trim().toLowerCase();
    const describe = `<${tag}${attr(element, 'id') ? ` id="${attr(element, 'id')}"` : ''}>`;
    if (tag === 'img' && attr(element, 'alt') === undefined && !hasAriaName(element)) {
      findings.push({ code: 'a11y.alt', severity: 'warning', message: `${describe} has no alt text`, line });
      continue;
    }
    const isButton =
      tag === 'button' ||
      role === 'button' ||
      role === 'link' ||
      (tag === 'a' && attr(element, 'href') !== undefined);
    if (isButton) {
      if (!hasAriaName(element) && !textName(element)) {
        findings.push({
          code: 'a11y.name',
          severity: 'error',
          message: `${describe} has no text or aria-label, so a screen reader cannot name it`,
          line,
        });
      }
      continue;
    }
    const isField =
      (tag === 'input' || tag === 'select' || tag === 'textarea') &&
      !unlabelledInputTypes.has(inputType(element));
    if (!isField) continue;
    if (tag === 'input' && selfNamedInputTypes.has(inputType(element)) && attr(element, 'value')?.trim())
      continue;
    const id = attr(element, 'id')?.trim();
    const labelled =
      hasAriaName(element) || insideLabel.has(element) || (id !== undefined && labelledIds.has(id));
    if (!labelled) {
      findings.push({
        code: 'a11y.label',
        severity: 'error',
        message: `${describe} has no <label>, aria-label or title`,
        line,
      });
    }
  }
  return findings;
}

function inputType(element: Element): string {
  return attr(element, 'type')?.trim().toLowerCase() ?? 'text';
}

function hasAriaName(element: Element): boolean {
  return Boolean(
    attr(element, 'aria-label')?.trim() ||
      attr(element, 'aria-labelledby')?.trim() ||
      attr(element, 'title')?.trim(),
  );
}

/** Text content, or the alt text of an image inside (an icon button). */
function textName(element: Element): boolean {
  if (deepText(element).trim()) return true;
  return [...elements(element)].some(
    (child) => (child.tagName === 'img' && attr(child, 'alt')?.trim()) || hasAriaName(child),
  );
}
