import type { Finding } from '../../../protocol/bundle.js';
import { contrastRatio, parseColor } from './contrastRatio.js';

/** WCAG AA for normal text; apps are told to use large text, but buttons often are not. */
export const MIN_CONTRAST = 4.5;

interface Rule {
  selector: string;
  declarations: Map<string, string>;
}

/**
 * Checks the theme colours of a style sheet: every rule that sets both a text
 * colour and a background colour must reach WCAG AA contrast. Custom
 * properties are resolved from every rule (the theme's `:root { --bg: … }`),
 * including `var(--x, fallback)`; colours it cannot resolve are not judged.
 */
export function checkContrast(css: string, line: number | undefined): Finding[] {
  const rules = parseRules(css);
  const variables = new Map<string, string>();
  for (const rule of rules) {
    for (const [name, value] of rule.declarations) if (name.startsWith('--')) variables.set(name, value);
  }
  const findings: Finding[] = [];
  for (const rule of rules) {
    const foreground = rule.declarations.get('color');
    const background = rule.declarations.get('background-color') ?? rule.declarations.get('background');
    if (foreground === undefined || background === undefined) continue;
    const fg = parseColor(resolve(foreground, variables));
    const bg = parseColor(resolve(background, variables));
    if (!fg || !bg) continue;
    const ratio = contrastRatio(fg, bg);
    if (ratio < MIN_CONTRAST) {
      findings.push({
        code: 'a11y.contrast',
        severity: 'error',
        message: `"${rule.selector}" has text ${foreground.trim()} on ${background.trim()}, contrast ${ratio.toFixed(2)}:1 (needs ${MIN_CONTRAST}:1)`,
        line,
      });
    }
  }
  return findings;
}

/** Substitutes var() references, a few levels deep; a background shorthand keeps only its colour. */
function resolve(value: string, variables: Map<string, string>, depth = 0): string {
  let text = value.replace(/!important/i, '').trim();
  const reference = /^var\(\s*(--[\w-]+)\s*(?:,\s*(.+))?\)$/.exec(text);
  if (reference && depth < 5) {
    const [, name = '', fallback] = reference;
    const found = variables.get(name) ?? fallback;
    return found === undefined ? '' : resolve(found, variables, depth + 1);
  }
  // `background: #fff url(x) no-repeat` → the colour part, when it is the only token that looks like one.
  const tokens = text.match(/#[0-9a-f]{3,8}\b|rgba?\([^)]*\)|var\([^)]*\)|\b[a-z]+\b/gi) ?? [];
  const colours = tokens.filter((token) => token.startsWith('var(') || parseColor(token) !== undefined);
  if (colours.length === 1 && colours[0] !== text) text = resolve(colours[0] ?? '', variables, depth + 1);
  return text;
}

/** A small CSS reader: comments dropped, @media and other blocks flattened into their rules. */
function parseRules(css: string): Rule[] {
  const rules: Rule[] = [];
  const text = css.replace(/\/\*[\s\S]*?\*\//g, '');
  for (const match of text.matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
    const selector = (match[1] ?? '').trim();
    if (selector.startsWith('@')) continue;
    const declarations = new Map<string, string>();
    for (const declaration of (match[2] ?? '').split(';')) {
      const colon = declaration.indexOf(':');
      if (colon < 0) continue;
      const name = declaration.slice(0, colon).trim().toLowerCase();
      if (name)
        declarations.set(
          name.startsWith('--') ? declaration.slice(0, colon).trim() : name,
          declaration.slice(colon + 1).trim(),
        );
    }
    rules.push({ selector, declarations });
  }
  return rules;
}
