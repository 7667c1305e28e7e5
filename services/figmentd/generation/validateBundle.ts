import { parse as parseScript } from 'acorn';
import { type ParserError, parse as parseHtml } from 'parse5';
import type { AppBundle, Finding } from '../../protocol/bundle.js';
import { checkContrast } from './validation/checkContrast.js';
import { checkControlNames } from './validation/checkControlNames.js';
import { checkSdkCalls } from './validation/checkSdkCalls.js';
import { attr, type Element, elements, ownText as textOf } from './validation/htmlTree.js';

/** Parse errors that mean the document was cut off, not merely sloppy. */
const fatalParseErrors = new Set([
  'eof-in-tag',
  'eof-in-comment',
  'eof-in-doctype',
  'eof-in-cdata',
  'eof-in-script-html-comment-like-text',
]);

/** Attributes that load or navigate to a URL. */
const urlAttributes = new Set([
  'src',
  'href',
  'action',
  'formaction',
  'poster',
  'data',
  'background',
  'manifest',
  'xlink:href',
  'ping',
  'longdesc',
  'cite',
]);

/**
 * Checks a bundle before anything runs: the document parses, every inline
 * script parses, nothing outside the bundle is referenced, SDK calls match
 * the manifest's capabilities, and basic accessibility holds (lang, names of
 * controls, contrast of the theme colours). Returns every finding; any with
 * severity 'error' means the app must not run.
 */
export function validateBundle(bundle: AppBundle): Finding[] {
  const findings: Finding[] = [];
  const document = parseHtml(bundle.html, {
    sourceCodeLocationInfo: true,
    onParseError: (error: ParserError) => {
      findings.push({
        code: 'html.parse',
        severity: fatalParseErrors.has(error.code) ? 'error' : 'warning',
        message: `HTML parse error "${error.code}"`,
        line: error.startLine,
        column: error.startCol,
      });
    },
  });

  let hasLang = false;
  for (const element of elements(document)) {
    const line = element.sourceCodeLocation?.startLine;
    if (element.tagName === 'html' && attr(element, 'lang')?.trim()) hasLang = true;
    if (element.tagName === 'base') {
      findings.push({ code: 'ref.base', severity: 'error', message: '<base> is not allowed', line });
    }
    if (element.tagName === 'meta' && attr(element, 'http-equiv')?.toLowerCase() === 'refresh') {
      findings.push({
        code: 'ref.refresh',
        severity: 'error',
        message: '<meta http-equiv="refresh"> navigates away',
        line,
      });
    }
    for (const { name, value } of element.attrs) {
      const lower = name.toLowerCase();
      if (urlAttributes.has(lower) && !isInsideBundle(value)) {
        findings.push(external(`<${element.tagName} ${lower}="${value}">`, line));
      }
      if (
        lower === 'srcset' &&
        value.split(',').some((part) => !isInsideBundle(part.trim().split(/\s+/)[0] ?? ''))
      ) {
        findings.push(external(`<${element.tagName} srcset>`, line));
      }
      if (lower === 'style') findings.push(...checkCss(value, line));
    }
    if (element.tagName === 'style') {
      findings.push(...checkCss(textOf(element), line), ...checkContrast(textOf(element), line));
    }
    if (element.tagName === 'script' && !attr(element, 'src')) {
      findings.push(...checkScript(element, bundle.manifest.capabilities));
    }
  }
  findings.push(...checkControlNames(document));
  if (!hasLang) {
    findings.push({
      code: 'a11y.lang',
      severity: 'error',
      message: '<html> has no lang attribute, so screen readers cannot pick a voice',
    });
  }
  return findings;
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((finding) => finding.severity === 'error');
}

function external(what: string, line: number | undefined): Finding {
  return {
    code: 'ref.external',
    severity: 'error',
    message: `${what} refers to something outside the app`,
    line,
  };
}

/** Only inline data, in-document fragments and the empty URL stay inside the bundle. */
function isInsideBundle(url: string): boolean {
  const value = url.trim().toLowerCase();
  return value === '' || value.startsWith('#') || value.startsWith('data:') || value.startsWith('blob:');
}

function checkCss(css: string, line: number | undefined): Finding[] {
  const findings: Finding[] = [];
  for (const match of css.matchAll(/url\(\s*(['"]?)([^'")]*)\1\s*\)/gi)) {
    if (!isInsideBundle(match[2] ?? '')) findings.push(external(`CSS url(${match[2]})`, line));
  }
  for (const match of css.matchAll(/@import\s+(?:url\()?\s*['"]?([^'");\s]+)/gi)) {
    if (!isInsideBundle(match[1] ?? '')) findings.push(external(`CSS @import ${match[1]}`, line));
  }
  return findings;
}

function checkScript(element: Element, capabilities: readonly string[]): Finding[] {
  const type = attr(element, 'type')?.trim().toLowerCase() ?? '';
  const isModule = type === 'module';
  // Non-JavaScript types (JSON data, templates) are inert text.
  if (type !== '' && !isModule && !type.includes('javascript')) return [];
  const source = textOf(element);
  const startLine = element.sourceCodeLocation?.startLine ?? 1;
  try {
    const program = parseScript(source, {
      ecmaVersion: 'latest',
      sourceType: isModule ? 'module' : 'script',
      locations: true,
    });
    return checkSdkCalls(program, capabilities, startLine);
  } catch (error) {
    const { loc, message } = error as { loc?: { line: number; column: number }; message: string };
    return [
      {
        code: 'script.syntax',
        severity: 'error',
        message: `script does not parse: ${message}`,
        line: loc ? startLine + loc.line - 1 : startLine,
        column: loc?.column,
      },
    ];
  }
}
