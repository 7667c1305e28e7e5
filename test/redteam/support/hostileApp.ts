import type { Capability } from '../../../services/protocol/index.js';
import type { RedTeam } from './RedTeam.js';

/** The attack classes the suite covers (the list, and what the suite found besides). */
export type AttackClass =
  | 'network exfiltration'
  | 'parent and top'
  | 'windows and navigation'
  | 'form posts'
  | 'other apps through the bridge'
  | 'pretending to be the shell'
  | 'persistence across runs'
  | 'permissions without a grant'
  | 'sensors without a grant'
  | 'resource exhaustion'
  | 'dialogs';

/** Where a hostile app aims: the exfil listener's addresses, baked into its HTML. */
export interface Targets {
  /** http://127.0.0.1:<port>/<tag> on the exfil listener. */
  http(tag: string): string;
  /** ws://127.0.0.1:<port>/<tag>. */
  ws(tag: string): string;
  udpPort: number;
  tcpPort: number;
  /** The daemon's own origin (the shell's), which apps must not reach either. */
  daemonOrigin: string;
  /** The app id of the victim app whose storage holds a secret. */
  victimAppId: string;
}

/**
 * One hostile app: an HTML document written to break out, and the check
 * that it stayed contained. Its script writes what it observed into
 * `<output id="result">`; the check decides from what the outside saw.
 */
export interface HostileApp {
  name: string;
  attack: AttackClass;
  capabilities?: Capability[];
  html(targets: Targets): string;
  check(team: RedTeam): Promise<void>;
}

/** An app document whose script runs `body` (async) and writes its returned value as JSON into #result. */
export function probe(body: string, extraHtml = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>probe</title></head><body>
<h1>probe</h1>${extraHtml}<output id="result"></output>
<script>
const attempt = async (action) => { try { const value = await action(); return value === undefined ? 'ran' : value; } catch (error) { return 'blocked:' + (error && error.name); } };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
(async () => { ${body} })().then(
  (value) => { document.getElementById('result').textContent = JSON.stringify(value === undefined ? 'done' : value); },
  (error) => { document.getElementById('result').textContent = JSON.stringify('threw:' + error); },
);
</script></body></html>`;
}
