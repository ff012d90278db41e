import { runCheck } from '../../boundaries/index.js';
import { getReporter, REPORTERS } from '../../report/index.js';
import { parseOptions, UsageError } from '../args.js';
import type { CliIo } from '../io.js';
import { contractsPlugin } from '../contracts-plugin.js';
import { leaksPlugin } from '../leaks-plugin.js';
import { createProgress } from '../progress.js';

/** `modulith check [--format F] [--baseline FILE] [--tsconfig FILE] [--no-cache] [--no-leaks] [--no-contracts] [--watch]`: prints the report, returns 0 or 1 (--watch: 0 when stopped). */
export async function checkCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseOptions(
    args,
    { format: { type: 'string' }, baseline: { type: 'string' }, tsconfig: { type: 'string' }, 'no-cache': { type: 'boolean' }, 'no-leaks': { type: 'boolean' }, 'no-contracts': { type: 'boolean' }, watch: { type: 'boolean' } },
    { min: 0, max: 0, names: '' },
  );
  const format = (values.format as string | undefined) ?? 'pretty';
  const reporter = getReporter(format);
  if (!reporter) throw new UsageError(`unknown format '${format}' (use ${Object.keys(REPORTERS).join(', ')})`);

  const cache = values['no-cache'] !== true;
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
    const result = await runCheck({
      rootDir: io.cwd,
      baseline: values.baseline as string | undefined,
      tsConfig: values.tsconfig as string | undefined,
      onWarning: (message) => io.stderr(`modulith check: warning: ${message}\n`),
      cache,
      plugins: [...(values['no-leaks'] === true ? [] : [leaksPlugin({ cache })]), ...(values['no-contracts'] === true ? [] : [contractsPlugin()])],
      onProgress: (message) => progress.update(message),
    });
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
