import type { Node } from 'acorn';
import type { Finding } from '../../../protocol/bundle.js';
import { capabilityFor } from './sdkCapabilities.js';

interface Member {
  type: 'MemberExpression';
  object: Node;
  property: Node & { name?: string; value?: unknown };
  computed: boolean;
}

/**
 * Finds every use of the Figment SDK (`figment.x.y`, `window.figment.x.y`)
 * in a parsed script and reports each one whose capability the manifest does
 * not declare. `lineOffset` maps the script's lines to the document's.
 */
export function checkSdkCalls(program: Node, declared: readonly string[], lineOffset: number): Finding[] {
  const findings: Finding[] = [];
  const reported = new Set<string>();
  visit(program, (node) => {
    if (node.type !== 'MemberExpression') return;
    const path = sdkPath(node as unknown as Member);
    if (!path) return;
    const capability = capabilityFor(path);
    if (!capability || declared.includes(capability) || reported.has(path)) return;
    reported.add(path);
    findings.push({
      code: 'sdk.capability',
      severity: 'error',
      message: `figment.${path} needs the "${capability}" capability, which the manifest does not declare`,
      line: lineOffset + ((node as Node & { loc?: { start: { line: number } } }).loc?.start.line ?? 1) - 1,
    });
  });
  return findings;
}

/** "storage.set" for `figment.storage.set` (or `window.figment…`); undefined for anything else. */
function sdkPath(node: Member): string | undefined {
  const names: string[] = [];
  let current: Node = node as unknown as Node;
  while (current.type === 'MemberExpression') {
    const member = current as unknown as Member;
    const name = propertyName(member);
    if (name === undefined) return undefined;
    names.unshift(name);
    current = member.object;
  }
  if (current.type !== 'Identifier') return undefined;
  const root = (current as Node & { name: string }).name;
  if (root === 'figment') return names.join('.') || undefined;
  if ((root === 'window' || root === 'globalThis' || root === 'self') && names[0] === 'figment') {
    return names.slice(1).join('.') || undefined;
  }
  return undefined;
}

function propertyName(member: Member): string | undefined {
  if (!member.computed && member.property.type === 'Identifier') return member.property.name;
  if (member.property.type === 'Literal' && typeof member.property.value === 'string')
    return member.property.value;
  return undefined;
}

/** Calls `enter` on every node, outermost first; only the outermost of a member chain counts for a path. */
function visit(node: Node, enter: (node: Node) => void): void {
  enter(node);
  if (node.type === 'MemberExpression') {
    // The inner links of `figment.storage.set` are the same use; skip them so it is reported once.
    let inner: Node = (node as unknown as Member).object;
    while (inner.type === 'MemberExpression') {
      const member = inner as unknown as Member;
      if (member.computed) visit(member.property, enter);
      inner = member.object;
    }
    visit(inner, enter);
    const self = node as unknown as Member;
    if (self.computed) visit(self.property, enter);
    return;
  }
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) visit(item, enter);
    } else if (isNode(value)) {
      visit(value, enter);
    }
  }
}

function isNode(value: unknown): value is Node {
  return (
    typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string'
  );
}
