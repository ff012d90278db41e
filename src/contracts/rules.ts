import type { Violation } from '../core/index.js';
import { describeChanges, type ContractStatus } from './contract-files.js';

/** The rules contract checking adds to `modulith check`, described for reporters (pretty's why, SARIF). */
export const CONTRACT_RULES: ReadonlyArray<{ id: string; severity: 'error' | 'warn'; summary: string; why: string }> = [
  {
    id: 'contract-changed',
    severity: 'error',
    summary: "a module's contract (public API, facade signatures, events, HTTP routes) differs from its committed module.api.md",
    why: "a module's surface is what other modules and services rely on: it changes only on purpose, in a reviewed diff of module.api.md",
  },
  {
    id: 'contract-missing',
    severity: 'warn',
    summary: 'a module has no module.api.md recording its contract',
    why: 'without a committed contract, a change to what the module offers goes unnoticed in review',
  },
];

export const CONTRACT_FIX = 'run `modulith contracts` and commit the change for review';

/** contract-changed (one per changed module) and contract-missing violations; `from` and `to` are the module.api.md. */
export function contractViolations(statuses: readonly ContractStatus[]): Violation[] {
  const violations: Violation[] = [];
  for (const s of statuses) {
    const base = { from: s.file, to: s.file, fromModule: s.module, toModule: null };
    if (s.status === 'missing') {
      violations.push({
        ...base,
        rule: 'contract-missing',
        severity: 'warn',
        message: `${s.module} has no module.api.md: its contract (public API, facades, events, routes) is not recorded, so a change to it goes unnoticed`,
        fix: 'run `modulith contracts` and commit module.api.md',
      });
    } else if (s.status === 'unreadable') {
      violations.push({ ...base, rule: 'contract-changed', severity: 'error', message: `${s.file} is not a contract written by \`modulith contracts\``, fix: CONTRACT_FIX });
    } else if (s.status === 'changed') {
      const breaking = s.changes.filter((c) => c.kind === 'breaking').length;
      const compatible = s.changes.length - breaking;
      const message =
        s.changes.length === 0
          ? `${s.file} differs from what \`modulith contracts\` writes for ${s.module}, although the contract is the same (the file was edited by hand)`
          : `${possessive(s.module)} contract changed (${[breaking ? `${breaking} breaking` : '', compatible ? `${compatible} compatible` : ''].filter(Boolean).join(', ')}): ${describeChanges(s.changes)}`;
      violations.push({
        ...base,
        rule: 'contract-changed',
        severity: 'error',
        message,
        fix: CONTRACT_FIX,
        changes: s.changes.map((c) => ({ kind: c.kind, section: c.section, member: c.member, what: c.what })),
        diff: s.diff,
      });
    }
  }
  return violations;
}

function possessive(name: string): string {
  return name.endsWith('s') ? `${name}'` : `${name}'s`;
}
