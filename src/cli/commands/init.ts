import { initProject } from '../../scaffold/index.js';
import { parseOptions } from '../args.js';
import type { CliIo } from '../io.js';
import { baselineCommand } from './baseline.js';
import { writeModuleContracts } from './contracts.js';

/**
 * `modulith init [--modules DIR] [--tsconfig FILE]`: adopts an existing Nest app, then records a
 * baseline so `check` exits 0. On an app without feature modules yet it sets up the modules root
 * and points at `modulith new`.
 */
export async function initCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseOptions(args, { modules: { type: 'string' }, tsconfig: { type: 'string' } }, { min: 0, max: 0, names: '' });
  const tsconfig = values.tsconfig as string | undefined;
  const result = initProject(io.cwd, { ...(values.modules ? { modules: values.modules as string } : {}), ...(tsconfig ? { tsconfig } : {}) });
  const lines = [
    result.fresh
      ? `modulith init: no modules yet; modules root ${result.root}/`
      : `modulith init: ${result.modules.length} module${result.modules.length === 1 ? '' : 's'} in ${result.root}/`,
  ];
  for (const m of result.modules) lines.push(`  ${m.status === 'created' ? '+' : '='} ${m.dir}  dependsOn: [${m.dependsOn.join(', ')}]`);
  for (const file of result.written) lines.push(`  wrote ${file}`);
  for (const { file, reason } of result.skipped) lines.push(`  kept ${file} (${reason})`);
  // Each adopted module's contract, so the next change to one shows up in review (and in check).
  if (result.modules.length > 0) {
    try {
      for (const file of await writeModuleContracts(io.cwd, { modules: result.modules.map((m) => m.name), ...(tsconfig ? { tsConfig: tsconfig } : {}) })) lines.push(`  wrote ${file}`);
    } catch (error) {
      lines.push(`  module contracts not written (${(error as Error).message.split('\n')[0]}): run \`modulith contracts\` once the project compiles`);
    }
  }
  lines.push(...result.notes.map((n) => `  ${n}`));
  io.stdout(`${lines.join('\n')}\n`);
  if (!result.runBaseline) return 0;
  // Recorded here and now, so `modulith check` exits 0 right after init and fails only on new violations.
  return baselineCommand(tsconfig ? ['--tsconfig', tsconfig] : [], io);
}
