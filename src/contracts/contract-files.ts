import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  compareContracts,
  CONTRACT_FILE,
  parseContract,
  renderContract,
  sortEntries,
  type ApplicationModule,
  type ApplicationModules,
  type ContractChange,
  type ModuleContract,
} from '../core/index.js';

/** `<module dir>/module.api.md`, project-relative. */
export function contractFile(module: ApplicationModule): string {
  return `${module.dir}/${CONTRACT_FILE}`;
}

/** How one module's committed module.api.md compares with its contract computed from the code. */
export interface ContractStatus {
  module: string;
  /** Project-relative path of its module.api.md. */
  file: string;
  /** `same`; `missing` (no file); `changed` (the code's contract differs); `unreadable` (the file is not a contract). */
  status: 'same' | 'missing' | 'changed' | 'unreadable';
  /** What changed from the file to the code (empty unless `changed`; a difference in form only gives none). */
  changes: ContractChange[];
  /** Changed entries as `-`/`+` lines (the file's, then the code's), for a short diff. */
  diff: string[];
  /** The Markdown the file should hold. */
  expected: string;
}

/** Compares every module's committed module.api.md with its computed contract. */
export function contractStatuses(rootDir: string, model: ApplicationModules, contracts: ReadonlyMap<string, ModuleContract>): ContractStatus[] {
  const statuses: ContractStatus[] = [];
  for (const module of model.modules) {
    const contract = contracts.get(module.name);
    if (!contract) continue;
    const file = contractFile(module);
    const expected = renderContract(contract);
    let text: string | undefined;
    try {
      text = readFileSync(join(rootDir, file), 'utf8');
    } catch {
      text = undefined;
    }
    if (text === undefined) {
      statuses.push({ module: module.name, file, status: 'missing', changes: [], diff: [], expected });
      continue;
    }
    // A checkout with CRLF line endings holds the same contract.
    if (text.replace(/\r\n?/g, '\n') === expected) {
      statuses.push({ module: module.name, file, status: 'same', changes: [], diff: [], expected });
      continue;
    }
    const committed = parseContract(text);
    if (!committed) {
      statuses.push({ module: module.name, file, status: 'unreadable', changes: [], diff: [], expected });
      continue;
    }
    const changes = compareContracts({ ...committed, module: module.name }, contract);
    statuses.push({ module: module.name, file, status: 'changed', changes, diff: entryDiff(committed, contract), expected });
  }
  return statuses;
}

/** Writes the module.api.md files whose content differs; returns the project-relative paths written. */
export function writeContractFiles(rootDir: string, statuses: readonly ContractStatus[]): string[] {
  const written: string[] = [];
  for (const status of statuses) {
    if (status.status === 'same') continue;
    writeFileSync(join(rootDir, status.file), status.expected);
    written.push(status.file);
  }
  return written;
}

/** One line per change: `BillingFacade.charge(input.amount): number -> string (breaking)`. */
export function describeChanges(changes: readonly ContractChange[], limit = 8): string {
  const shown = changes.slice(0, limit).map((c) => `${c.what} (${c.kind})`);
  if (changes.length > limit) shown.push(`and ${changes.length - limit} more`);
  return shown.join('; ');
}

/** The entries that differ, `- ` the committed line, `+ ` the computed one, section by section. */
export function entryDiff(before: ModuleContract, after: ModuleContract): string[] {
  const lines: string[] = [];
  const section = (title: string, was: readonly { key: string; text: string }[], now: readonly { key: string; text: string }[]): void => {
    const a = new Set(sortEntries(was).map((e) => e.text));
    const b = new Set(sortEntries(now).map((e) => e.text));
    const removed = [...a].filter((t) => !b.has(t));
    const added = [...b].filter((t) => !a.has(t));
    if (removed.length + added.length === 0) return;
    lines.push(`${title}:`);
    lines.push(...removed.map((t) => `- ${t}`), ...added.map((t) => `+ ${t}`));
  };
  const facadeNames = [...new Set([...before.facades, ...after.facades].map((f) => f.name))].sort();
  for (const name of facadeNames) {
    section(name, before.facades.find((f) => f.name === name)?.methods ?? [], after.facades.find((f) => f.name === name)?.methods ?? []);
  }
  section('exports', before.exports, after.exports);
  section('publishes', before.publishes, after.publishes);
  section('listens', before.listens, after.listens);
  section('routes', before.routes, after.routes);
  return lines;
}
