import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTRACT_FILE, loadApplicationModules, ownership, withHeader, type ApplicationModule, type ApplicationModules } from '../core/index.js';
import { testRunner } from './context.js';

export const AGENTS_FILE = 'AGENTS.md';

/**
 * One module's AGENTS.md: `same` (up to date), `missing`, `stale` (ours, out of date: rewritten),
 * `edited` (ours, edited by hand since: kept), `foreign` (written by hand, no header: kept).
 */
export type AgentsFileStatus = 'same' | 'missing' | 'stale' | 'edited' | 'foreign';

export interface AgentsFilePlan {
  module: string;
  /** Project-relative path of the file. */
  file: string;
  status: AgentsFileStatus;
  /** The whole generated file (header + body). */
  content: string;
}

/** What `modulith agents` would do for each module of the project at rootDir (writes nothing). */
export function planAgentsFiles(rootDir: string, options: { roots?: string[] } = {}): AgentsFilePlan[] {
  const model = loadApplicationModules(rootDir, { ...(options.roots ? { roots: options.roots } : {}), allowEmpty: true, allowCycles: true });
  return model.modules.map((module) => {
    const file = `${module.dir}/${AGENTS_FILE}`;
    const content = withHeader(module.name, agentsBody(rootDir, module, model), 'html', 'agents');
    const path = join(rootDir, file);
    if (!existsSync(path)) return { module: module.name, file, status: 'missing' as const, content };
    const current = readFileSync(path, 'utf8');
    const owner = ownership(current, ['agents']);
    const status: AgentsFileStatus = owner === 'generated' ? (current.replace(/\r\n/g, '\n') === content ? 'same' : 'stale') : owner;
    return { module: module.name, file, status, content };
  });
}

/** Writes the missing and stale files (never an edited or foreign one); returns the plans written. */
export function writeAgentsFiles(rootDir: string, plans: readonly AgentsFilePlan[]): AgentsFilePlan[] {
  const written = plans.filter((p) => p.status === 'missing' || p.status === 'stale');
  for (const p of written) writeFileSync(join(rootDir, p.file), p.content);
  return written;
}

/** The short instructions: the module's walls and the commands to verify; the full brief is one command away. */
function agentsBody(rootDir: string, module: ApplicationModule, model: ApplicationModules): string {
  const shared = model.modules.filter((m) => m.shared && m.name !== module.name && model.mayUse(module.name, m.name)).map((m) => m.name);
  const dependents = model.dependentsOf(module.name).map((m) => m.name);
  const lines = [
    `# ${module.name}: instructions for coding agents`,
    '',
    ...(module.description ? [module.description, ''] : []),
    `This folder is the module \`${module.name}\` of a modular monolith (nest-modulith). Before changing it, read its brief:`,
    '',
    '```sh',
    `npx modulith context ${module.name}`,
    '```',
    '',
    "(its contract, the facades and events of the modules it may use, who depends on it, its tables).",
    '',
    '## Walls',
    '',
    `- Everything in this folder is ${module.name}'s own to change. Its public API is \`index.ts\`: export from it only what other modules may use.`,
    `- It may use: ${module.dependsOn.length > 0 ? module.dependsOn.join(', ') : 'no module'} (declared in module.json)${shared.length > 0 ? `, and the shared modules ${shared.join(', ')}` : ''}; only through their \`index.ts\`, never a file inside their folders (also not in tests).`,
    '- Facade methods take and return wire-safe data (plain JSON-like values; no entities, class instances, functions or streams).',
    `- ${dependents.length > 0 ? `Depending on it: ${dependents.join(', ')}. ` : ''}A change to its contract (\`${CONTRACT_FILE}\`) reaches ${dependents.length > 0 ? 'them' : 'every module that uses it or listens to its events'}: run \`npx modulith contracts\` and commit it for review.`,
    '',
    '## Verify a change',
    '',
    '```sh',
    'npx modulith check',
    'npx modulith contracts --check',
    `${testRunner(rootDir)} ${module.dir}`,
    '```',
    '',
    `Regenerate this file with \`npx modulith agents\`; edit it and it is no longer overwritten.`,
  ];
  return `${lines.join('\n')}\n`;
}
