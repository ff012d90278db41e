import { createBaseline, DEFAULT_BASELINE, runCheck, writeBaseline } from '../../boundaries/index.js';
import { parseOptions } from '../args.js';
import type { CliIo } from '../io.js';
import { leaksPlugin } from '../leaks-plugin.js';
import { createProgress } from '../progress.js';

/**
 * `modulith baseline [--output FILE] [--tsconfig FILE]`: records every failing violation of today, so `check` fails
 * only on new ones. Rewriting it after fixes is how the baseline ratchets down.
 */
export async function baselineCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseOptions(
    args,
    { output: { type: 'string' }, tsconfig: { type: 'string' }, 'no-cache': { type: 'boolean' }, 'no-leaks': { type: 'boolean' } },
    { min: 0, max: 0, names: '' },
  );
  const file = (values.output as string | undefined) ?? DEFAULT_BASELINE;
  const cache = values['no-cache'] !== true;
  const progress = createProgress(io.stderr, io.stderrIsTTY, 'modulith baseline');
  try {
    const result = await runCheck({
      rootDir: io.cwd,
      baseline: false,
      tsConfig: values.tsconfig as string | undefined,
      onWarning: (message) => io.stderr(`modulith baseline: warning: ${message}\n`),
      cache,
      plugins: values['no-leaks'] === true ? [] : [leaksPlugin({ cache })],
      onProgress: (message) => progress.update(message),
    });
    progress.done();
    const baseline = createBaseline(result.found);
    writeBaseline(io.cwd, file, baseline);
    const warnings = result.found.filter((v) => v.severity !== 'error').length;
    io.stdout(
      `modulith: recorded ${baseline.violations.length} violation${baseline.violations.length === 1 ? '' : 's'} in ${file}` +
        `${warnings ? ` (${warnings} warning${warnings === 1 ? '' : 's'} not recorded: they never fail the check)` : ''}\n`,
    );
    return 0;
  } finally {
    progress.done();
  }
}
