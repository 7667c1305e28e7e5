import type { AppIconName } from '../../services/protocol/appIcons.js';
import type { Capability } from '../../services/protocol/bundle.js';

export interface PageParts {
  name?: string;
  capabilities?: Capability[];
  /** The catalogue icon the model picks (none when left out). */
  icon?: AppIconName;
  body?: string;
  script?: string;
  style?: string;
  /** Replaces the whole document (for broken ones). */
  html?: string;
}

/** A realistic app document as a model writes it, with a @figment annotation. */
export function appHtml({ name = 'Tip calculator', body, script, style }: PageParts = {}): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>${name}</title>`,
    `<style>\n:root { --bg: #ffffff; --fg: #111111; }\nbody { font: 22px system-ui; background: var(--bg); color: var(--fg); }\n${style ?? ''}\n</style>`,
    '</head>',
    '<body>',
    body ??
      `<h1>${name}</h1>\n<output id="out" aria-live="polite">0</output>\n<button id="go" type="button">Count</button>`,
    `<script>\n/* @figment state: n (number); storage keys: n; parts: #out shows n, #go adds one */\n${
      script ??
      "let n = 0;\nconst out = document.getElementById('out');\nfigment.storage.get('n').then((v) => { n = v ?? 0; out.textContent = n; figment.ready(); });\ndocument.getElementById('go').addEventListener('click', () => { n += 1; out.textContent = n; figment.storage.set('n', n); });"
    }\n</script>`,
    '</body>',
    '</html>',
  ].join('\n');
}

/** The JSON a model answers with for a whole app. */
export function bundleJson(parts: PageParts = {}): string {
  return JSON.stringify({
    manifest: {
      name: parts.name ?? 'Tip calculator',
      description: 'A small test app.',
      capabilities: parts.capabilities ?? ['storage'],
      ...(parts.icon ? { icon: parts.icon } : {}),
    },
    html: parts.html ?? appHtml(parts),
  });
}

/** The JSON a model answers with for a patch. */
export function patchJson(edits: { search: string; replace: string }[], parts: PageParts = {}): string {
  return JSON.stringify({
    manifest: {
      name: parts.name ?? 'Tip calculator',
      description: 'A small test app.',
      capabilities: parts.capabilities ?? ['storage'],
    },
    edits,
  });
}
