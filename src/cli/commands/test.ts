import { findTestFiles, formatCommand, planTests, runnerCommand, runTests, type Affected, type TestPlan } from '../../affected/index.js';
import { loadApplicationModules } from '../../core/index.js';
import { loadCheckConfig } from '../../boundaries/index.js';
import { parseOptions, UsageError } from '../args.js';
import type { CliIo } from '../io.js';
import { AFFECTED_OPTIONS, affectedFromOptions } from './affected.js';

/**
 * `modulith test [--affected] [--since REF] [--files a,b] [--all-dependents] [--dry-run] [--format pretty|json] [MODULE...] [-- runner args]`:
 * runs the test files of the modules named, of the modules a change affects (--affected, implied
 * by --since/--files/--all-dependents), or of every module, with the project's Jest or Vitest.
 * Exit code: the runner's; 0 with "nothing to test"; 2 on bad input (unknown module, outside git, no runner).
 */
export async function testCommand(argv: string[], io: CliIo): Promise<number> {
  const split = argv.indexOf('--');
  const args = split === -1 ? argv : argv.slice(0, split);
  const extra = split === -1 ? [] : argv.slice(split + 1);
  const { values, positionals } = parseOptions(args, { ...AFFECTED_OPTIONS, affected: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, format: { type: 'string' } }, { min: 0, max: Number.MAX_SAFE_INTEGER, names: 'MODULE' });
  const format = (values.format as string | undefined) ?? 'pretty';
  if (format !== 'pretty' && format !== 'json') throw new UsageError(`unknown format '${format}' (use pretty, json)`);
  const byChange = values.affected === true || values.since !== undefined || values.files !== undefined || values['all-dependents'] === true;
  if (byChange && positionals.length > 0) throw new UsageError(`give module names or --affected (--since, --files), not both`);

  let change: Affected | undefined;
  let selected: Map<string, string> | undefined;
  let modules: string[];
  let model;
  if (byChange) {
    const result = await affectedFromOptions(values, io, 'test');
    if (typeof result === 'number') return result;
    change = result;
    selected = new Map(result.affected.map((name) => [name, result.reasons[name]!]));
  }
  {
    const config = await loadCheckConfig(io.cwd, { tsConfig: values.tsconfig as string | undefined });
    model = loadApplicationModules(io.cwd, { roots: config.options.roots, allowEmpty: true, allowCycles: true });
    modules = model.names;
  }
  if (positionals.length > 0) {
    const unknown = positionals.filter((p) => !model.get(p));
    if (unknown.length > 0) {
      io.stderr(`modulith test: no module named ${unknown.map((u) => `'${u}'`).join(', ')} (known: ${modules.join(', ') || 'none'})\n`);
      return 2;
    }
    selected = new Map(positionals.map((name) => [name, 'named on the command line']));
  }

  const plan = planTests({ tests: findTestFiles(io.cwd, model), selected, modules, ...(change ? { change } : {}) });
  let command;
  try {
    command = plan.files.length > 0 ? runnerCommand(io.cwd, plan.files, extra) : undefined;
  } catch (error) {
    if ((error as Error)?.name !== 'AffectedError') throw error;
    io.stderr(`modulith test: ${(error as Error).message}\n`);
    return 2;
  }
  const summary = renderPlan(plan, command ? formatCommand(command) : undefined);
  if (values['dry-run'] === true) {
    if (format === 'json') {
      io.stdout(
        `${JSON.stringify(
          {
            ...plan,
            runner: command ? { name: command.runner, detectedBy: command.detectedBy } : null,
            command: command ? [command.command, ...command.args] : null,
            ...(change ? { affected: change } : {}),
          },
          null,
          2,
        )}\n`,
      );
    } else {
      io.stdout(summary);
    }
    return 0;
  }
  io.stderr(summary);
  if (!command) return 0;
  return runTests(command, io);
}

/** Which modules run and why, how many files, what is skipped, and the command. */
export function renderPlan(plan: TestPlan, command: string | undefined): string {
  const lines: string[] = [];
  for (const w of plan.warnings) lines.push(`warning: ${w}`);
  if (plan.files.length === 0) {
    lines.push(plan.modules.length === 0 ? 'modulith test: nothing to test (the change affects no module)' : `modulith test: nothing to test (${plan.modules.map((m) => m.name).join(', ')} ${plan.modules.length === 1 ? 'has' : 'have'} no test files)`);
  } else {
    lines.push(`modulith test: ${plan.files.length} test file${plan.files.length === 1 ? '' : 's'} for ${plan.modules.length} module${plan.modules.length === 1 ? '' : 's'}${plan.selection === 'all' ? ' (no filter: every test)' : ''}`);
    const width = Math.max(0, ...plan.modules.map((m) => m.name.length));
    for (const m of plan.modules) lines.push(`  ${m.name.padEnd(width)}  ${m.files.length} file${m.files.length === 1 ? '' : 's'}  ${m.reason}`);
    for (const o of plan.other) lines.push(`  + ${o.file}  ${o.reason}`);
  }
  if (plan.skipped.length > 0) {
    lines.push(`skipped ${plan.skipped.length} test file${plan.skipped.length === 1 ? '' : 's'} outside every module with no \`@modulith-covers\` header: ${plan.skipped.slice(0, 5).map((s) => s.file).join(', ')}${plan.skipped.length > 5 ? ` and ${plan.skipped.length - 5} more` : ''}`);
    lines.push(`  to include one: ${plan.skipped[0]!.fix}`);
  }
  if (command) lines.push(`command: ${command}`);
  return `${lines.join('\n')}\n`;
}
