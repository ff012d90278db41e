import { ChangesError, runChangedCheck, runCheck, type ChangeSummary } from '../../boundaries/index.js';
import { getReporter, REPORTERS } from '../../report/index.js';
import { parseOptions, UsageError } from '../args.js';
import type { CliIo } from '../io.js';
import { checkPlugins } from '../check-plugins.js';
import { createProgress } from '../progress.js';

/**
 * `modulith check [--format F] [--baseline FILE] [--tsconfig FILE] [--no-cache] [--no-leaks] [--no-contracts] [--no-agents] [--watch] [--changed [--since REF]]`:
 * prints the report, returns 0 or 1 (--watch: 0 when stopped; --changed: 2 when git cannot say what changed).
 */
export async function checkCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseOptions(
    args,
    { format: { type: 'string' }, baseline: { type: 'string' }, tsconfig: { type: 'string' }, 'no-cache': { type: 'boolean' }, 'no-leaks': { type: 'boolean' }, 'no-contracts': { type: 'boolean' }, 'no-agents': { type: 'boolean' }, watch: { type: 'boolean' }, changed: { type: 'boolean' }, since: { type: 'string' } },
    { min: 0, max: 0, names: '' },
  );
  const format = (values.format as string | undefined) ?? 'pretty';
  const reporter = getReporter(format);
  if (!reporter) throw new UsageError(`unknown format '${format}' (use ${Object.keys(REPORTERS).join(', ')})`);

  const cache = values['no-cache'] !== true;
  const changed = values.changed === true || values.since !== undefined;
  if (changed && values.watch === true) throw new UsageError('--changed and --watch do not go together');
  if (values.watch === true) {
    if (format !== 'pretty' && format !== 'json') throw new UsageError(`--watch prints pretty or json, not '${format}'`);
    const { checkWatchCommand } = await import('./check-watch.js');
    return checkWatchCommand(
      { format, baseline: values.baseline as string | undefined, tsConfig: values.tsconfig as string | undefined, cache, leaks: values['no-leaks'] !== true, contracts: values['no-contracts'] !== true, args },
      io,
    );
  }
  const progress = createProgress(io.stderr, io.stderrIsTTY, 'modulith check');
  try {
    const options = {
      rootDir: io.cwd,
      baseline: values.baseline as string | undefined,
      tsConfig: values.tsconfig as string | undefined,
      onWarning: (message: string) => io.stderr(`modulith check: warning: ${message}\n`),
      cache,
      plugins: checkPlugins({ cache, leaks: values['no-leaks'] !== true, contracts: values['no-contracts'] !== true, agents: values['no-agents'] !== true }),
      onProgress: (message: string) => progress.update(message),
    };
    if (changed) {
      let scoped: Awaited<ReturnType<typeof runChangedCheck>>;
      try {
        scoped = await runChangedCheck({ ...options, ...(values.since !== undefined ? { since: values.since as string } : {}) });
      } catch (error) {
        if (!(error instanceof ChangesError)) throw error;
        progress.done();
        io.stderr(`modulith check: ${error.message}\n`);
        return 2;
      }
      progress.done();
      const input = { ...scoped.result, violations: scoped.violations as typeof scoped.result.violations, stale: scoped.stale };
      if (format === 'json') {
        io.stdout(`${JSON.stringify({ ...(JSON.parse(reporter(input)) as object), changed: scoped.changed }, null, 2)}\n`);
      } else if (format === 'pretty') {
        io.stdout(`${reporter(input)}\n${renderChangeSummary(scoped.changed, values.since as string | undefined)}`);
      } else {
        // github / sarif stay machine-readable on stdout; the summary goes to stderr.
        io.stdout(reporter(input));
        io.stderr(renderChangeSummary(scoped.changed, values.since as string | undefined));
      }
      return scoped.exitCode;
    }
    const result = await runCheck(options);
    progress.done();
    io.stdout(reporter(result));
    if (result.stats.modules === 0) {
      // A fresh app: nothing to check yet, which is fine; say what to do next (stderr keeps
      // --format json/sarif output parseable).
      const { noModulesHint } = await import('../../scaffold/index.js');
      io.stderr(`modulith check: ${noModulesHint(io.cwd)}\n`);
    }
    return result.exitCode;
  } finally {
    progress.done();
  }
}

/** The summary `check --changed` ends with: what changed, module by module, and what it reaches. */
export function renderChangeSummary(changed: ChangeSummary, since: string | undefined): string {
  const lines = [`changed ${since !== undefined ? `since ${since} (merge base ${changed.base?.slice(0, 12) ?? '?'}) and in the working tree` : 'in the working tree'}: ${changed.files.length} file${changed.files.length === 1 ? '' : 's'}`];
  if (changed.files.length === 0) lines.push('  nothing changed');
  for (const m of changed.modules) {
    const what =
      m.contract === 'unchanged'
        ? 'internals only (contract unchanged)'
        : `contract ${m.contract === 'breaking' ? 'changed, BREAKING' : 'changed (compatible)'}${m.dependents.length > 0 ? `; reaches ${m.dependents.join(', ')}` : '; no module depends on it'}`;
    lines.push(`  ${m.name}: ${m.files.length} file${m.files.length === 1 ? '' : 's'}, ${what}`);
  }
  if (changed.shell.length > 0) lines.push(`  outside modules (app shell, config, docs): ${changed.shell.length > 8 ? `${changed.shell.slice(0, 8).join(', ')} and ${changed.shell.length - 8} more` : changed.shell.join(', ')}`);
  const { errors, warnings } = changed.elsewhere;
  if (errors + warnings > 0) lines.push(`  not counted: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'} in unchanged files (\`modulith check\` lists them)`);
  if (changed.modules.some((m) => m.contract !== 'unchanged')) lines.push('  a contract changed: review module.api.md with the owners of the modules it reaches (`modulith contracts` records it)');
  return `${lines.join('\n')}\n`;
}
