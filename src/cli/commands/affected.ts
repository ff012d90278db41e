import { findAffected, parseFilesOption, type Affected } from '../../affected/index.js';
import { ChangesError } from '../../boundaries/index.js';
import { parseOptions, UsageError } from '../args.js';
import type { CliIo } from '../io.js';

export const AFFECTED_OPTIONS = {
  since: { type: 'string' },
  files: { type: 'string' },
  'all-dependents': { type: 'boolean' },
  tsconfig: { type: 'string' },
  'no-cache': { type: 'boolean' },
} as const;

/** Runs findAffected from parsed options; bad input (hostile --since/--files, outside git) is printed and returns 2. */
export async function affectedFromOptions(values: Record<string, string | boolean | undefined>, io: CliIo, command: string): Promise<Affected | number> {
  try {
    const files = values.files !== undefined ? parseFilesOption(values.files as string, io.cwd) : undefined;
    const { model: _model, ...result } = await findAffected({
      rootDir: io.cwd,
      ...(values.since !== undefined ? { since: values.since as string } : {}),
      ...(files !== undefined ? { files } : {}),
      allDependents: values['all-dependents'] === true,
      ...(values.tsconfig !== undefined ? { tsConfig: values.tsconfig as string } : {}),
      cache: values['no-cache'] !== true,
    });
    return result;
  } catch (error) {
    if (error instanceof ChangesError || (error as Error)?.name === 'AffectedError') {
      io.stderr(`modulith ${command}: ${(error as Error).message}\n`);
      return 2;
    }
    throw error;
  }
}

/**
 * `modulith affected [--since REF] [--files a,b] [--all-dependents] [--format pretty|json]`: the
 * modules a change touches and those to re-test, with why. Exit 0; 2 outside git or on bad input.
 */
export async function affectedCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseOptions(args, { ...AFFECTED_OPTIONS, format: { type: 'string' } }, { min: 0, max: 0, names: '' });
  const format = (values.format as string | undefined) ?? 'pretty';
  if (format !== 'pretty' && format !== 'json') throw new UsageError(`unknown format '${format}' (use pretty, json)`);
  const result = await affectedFromOptions(values, io, 'affected');
  if (typeof result === 'number') return result;
  io.stdout(format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : renderAffected(result, values));
  return 0;
}

/** What changed, since when, and each affected module with why. */
export function renderAffected(result: Affected, values: Record<string, string | boolean | undefined>): string {
  const where = values.files !== undefined ? 'in the files given' : values.since !== undefined ? `since ${String(values.since)} (merge base ${result.base?.slice(0, 12) ?? '?'}) and in the working tree` : 'in the working tree';
  const lines = [`changed ${where}: ${result.files.length} file${result.files.length === 1 ? '' : 's'}${result.allDependents ? ' (--all-dependents: any change reaches the dependents)' : ''}`];
  if (result.shell.code.length > 0) lines.push(`  app shell (code, config): ${list(result.shell.code)}`);
  if (result.shell.tests.length > 0) lines.push(`  tests outside modules: ${list(result.shell.tests)}`);
  if (result.shell.docs.length > 0) lines.push(`  docs (affect nothing): ${list(result.shell.docs)}`);
  if (result.affected.length === 0) {
    lines.push(result.files.length === 0 ? 'nothing changed: no module affected' : 'no module affected');
  } else {
    lines.push(`affected: ${result.affected.length} module${result.affected.length === 1 ? '' : 's'}`);
    const width = Math.max(...result.affected.map((n) => n.length));
    for (const name of result.affected) lines.push(`  ${name.padEnd(width)}  ${result.reasons[name]}`);
    const same = [values.since !== undefined ? `--since ${String(values.since)}` : '', values.files !== undefined ? `--files ${String(values.files)}` : '', result.allDependents ? '--all-dependents' : ''].filter(Boolean);
    lines.push(`run their tests: modulith test --affected${same.length ? ` ${same.join(' ')}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

function list(files: readonly string[]): string {
  return files.length > 6 ? `${files.slice(0, 6).join(', ')} and ${files.length - 6} more` : files.join(', ');
}
