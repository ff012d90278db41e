import { newModule } from '../../scaffold/index.js';
import { parseOptions } from '../args.js';
import type { CliIo } from '../io.js';
import { writeModuleContracts } from './contracts.js';

/** `modulith new NAME [--depends-on a,b]`: scaffolds a sealed module that passes the check. */
export async function newCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, { 'depends-on': { type: 'string' } }, { min: 1, max: 1, names: 'the module NAME' });
  const dependsOn = ((values['depends-on'] as string | undefined) ?? '')
    .split(',')
    .map((d) => d.trim())
    .filter((d) => d.length > 0);
  const result = newModule(io.cwd, positionals[0], { dependsOn });
  const lines = [`modulith new: module '${result.name}' in ${result.dir} (${result.moduleClass}, facade ${result.facadeClass})`];
  for (const file of result.written) lines.push(`  wrote ${file}`);
  // The new module's contract (the others are not this command's business: `modulith contracts`).
  try {
    for (const file of await writeModuleContracts(io.cwd, { modules: [result.name] })) lines.push(`  wrote ${file}`);
  } catch (error) {
    lines.push(`  its contract was not written (${(error as Error).message.split('\n')[0]}): run \`modulith contracts\``);
  }
  lines.push(...result.notes.map((n) => `  ${n}`));
  io.stdout(`${lines.join('\n')}\n`);
  return 0;
}
