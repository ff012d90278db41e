import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isConfigurationError, watchCheck, type BoundaryViolation, type CheckResult, type EngineRun } from '../../boundaries/index.js';
import { prettyReport } from '../../report/index.js';
import type { CliIo } from '../io.js';
import { contractsPlugin } from '../contracts-plugin.js';
import { configPlugin } from '../config-plugin.js';
import { foreignTablePlugin } from '../foreign-table-plugin.js';
import { leaksPlugin } from '../leaks-plugin.js';
import { unexpectedErrorMessage } from '../unexpected-error.js';

export interface WatchCommandOptions {
  format: 'pretty' | 'json';
  baseline: string | undefined;
  tsConfig: string | undefined;
  cache: boolean;
  leaks: boolean;
  /** Module contracts against their module.api.md (default on). */
  contracts?: boolean;
  /** The check command's arguments, to start again in a new process after a configuration change. */
  args: string[];
}

/** Exit code of a watch process that asks its parent to start it again (the configuration changed). */
const RESTART = 75;
const CHILD = 'MODULITH_WATCH_CHILD';

/**
 * `modulith check --watch`: the full report once, then, after every save, only what changed
 * (new and fixed violations, a one-line summary, the time the re-check took). Configuration
 * errors are printed and watching goes on; Ctrl-C (SIGINT) or SIGTERM ends it with exit code 0.
 * `--format json` prints one JSON object per line instead: `{"event":"check",...}`,
 * `{"event":"error",...}`, `{"event":"restart",...}`.
 *
 * A changed .dependency-cruiser.js (or the tsconfig/package.json it read) can only be read again
 * by a new process: the command then restarts itself, supervising the new process.
 */
export async function checkWatchCommand(options: WatchCommandOptions, io: CliIo, stop?: AbortSignal): Promise<number> {
  const print = printer(options.format, io);
  const session = watchCheck({
    rootDir: io.cwd,
    baseline: options.baseline,
    tsConfig: options.tsConfig,
    cache: options.cache,
    onWarning: (message) => io.stderr(`modulith check: warning: ${message}\n`),
    plugins: [...(options.leaks ? [leaksPlugin({ cache: options.cache })] : []), ...(options.contracts !== false ? [contractsPlugin()] : []), foreignTablePlugin(), configPlugin()],
    onRun: (run) => print(run),
  });
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const onSignal = (): void => void session.stop();
  for (const signal of signals) process.on(signal, onSignal);
  stop?.addEventListener('abort', onSignal, { once: true });
  try {
    const outcome = await session.done;
    if (!outcome.restart) {
      if (options.format === 'pretty') io.stderr('modulith check --watch: stopped\n');
      return 0;
    }
    if (process.env[CHILD] === '1') return RESTART;
    return await supervise(options.args, io, stop);
  } finally {
    for (const signal of signals) process.off(signal, onSignal);
    stop?.removeEventListener('abort', onSignal);
  }
}

/** Prints each run: the whole report first, then differences. */
export function printer(format: 'pretty' | 'json', io: CliIo): (run: EngineRun & { paths: string[] }) => void {
  let first = true;
  return (run) => {
    const at = new Date().toTimeString().slice(0, 8);
    if (run.restart) {
      if (format === 'json') io.stdout(`${JSON.stringify({ event: 'restart', reason: run.restart })}\n`);
      else io.stdout(`[${at}] ${run.restart}: restarting\n`);
      return;
    }
    if (run.error !== undefined || !run.result) {
      const message = isConfigurationError(run.error) ? (run.error as Error).message : unexpectedErrorMessage('check', run.error, io.cwd).trim();
      if (format === 'json') io.stdout(`${JSON.stringify({ event: 'error', message, durationMs: run.durationMs })}\n`);
      else io.stdout(`[${at}] ${message.trimEnd()}\n  (still watching: fix it and save)\n`);
      return;
    }
    const result = run.result;
    const changed = [...new Set([...run.configChanged, ...(run.changed ? [...run.changed.added, ...run.changed.changed, ...run.changed.deleted] : [])])].sort();
    if (format === 'json') {
      io.stdout(
        `${JSON.stringify({
          event: 'check',
          changed,
          new: first ? result.violations : run.added,
          fixed: first ? [] : run.fixed,
          ...counts(result),
          durationMs: run.durationMs,
        })}\n`,
      );
    } else if (first) {
      io.stdout(prettyReport({ ...result, stats: { ...result.stats, durationMs: run.durationMs } }));
      io.stdout(`watching ${result.stats.files} files in ${result.stats.modules} modules (Ctrl-C to stop)\n`);
    } else if (changed.length === 0 && run.added.length === 0 && run.fixed.length === 0) {
      return; // saved without a change (or a file the check does not read)
    } else {
      const lines: string[] = [];
      const what = changed.length === 0 ? 'no file changed' : changed.length <= 3 ? changed.join(', ') : `${changed.slice(0, 3).join(', ')} and ${changed.length - 3} more`;
      lines.push(`[${at}] ${what}`);
      for (const v of run.added) lines.push(`  + ${describe(v)}`);
      for (const v of run.fixed) lines.push(`  - ${describe(v)} (fixed)`);
      const c = counts(result);
      const state = c.errors === 0 && c.stale === 0 ? '✔ no boundary violations' : `✖ ${c.errors} error${c.errors === 1 ? '' : 's'}`;
      const warnings = c.warnings > 0 ? `, ${c.warnings} warning${c.warnings === 1 ? '' : 's'}` : '';
      lines.push(`  ${run.added.length} new, ${run.fixed.length} fixed: ${state}${warnings}${c.stale ? `, ${c.stale} stale baseline entries` : ''} (re-checked in ${run.durationMs} ms)`);
      io.stdout(`${lines.join('\n')}\n`);
    }
    first = false;
  };
}

function counts(result: CheckResult): { errors: number; warnings: number; known: number; stale: number } {
  const errors = result.violations.filter((v) => v.severity === 'error').length;
  return { errors, warnings: result.violations.length - errors, known: result.known, stale: result.stale.length };
}

function describe(v: BoundaryViolation): string {
  return `${v.from}${v.line ? `:${v.line}` : ''}  ${v.rule}${v.severity === 'warn' ? ' (warning)' : ''}: ${v.message}`;
}

/**
 * Runs `modulith check --watch` in a child process, again whenever it exits asking for it (exit
 * 75: its configuration changed), forwarding its output and our signals. Returns its exit code.
 */
async function supervise(args: string[], io: CliIo, stop?: AbortSignal): Promise<number> {
  const bin = modulithBin();
  if (!bin) {
    io.stderr('modulith check --watch: the configuration changed; run `modulith check --watch` again to read it\n');
    return 0;
  }
  for (;;) {
    const code = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, [...process.execArgv, bin, 'check', ...args], {
        cwd: io.cwd,
        env: { ...process.env, [CHILD]: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout.setEncoding('utf8').on('data', (text: string) => io.stdout(text));
      child.stderr.setEncoding('utf8').on('data', (text: string) => io.stderr(text));
      const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
      const onInt = forward('SIGINT');
      const onTerm = forward('SIGTERM');
      process.on('SIGINT', onInt);
      process.on('SIGTERM', onTerm);
      stop?.addEventListener('abort', onTerm, { once: true });
      child.on('close', (status) => {
        process.off('SIGINT', onInt);
        process.off('SIGTERM', onTerm);
        stop?.removeEventListener('abort', onTerm);
        resolve(status ?? 0);
      });
    });
    if (code !== RESTART) return code;
  }
}

/** bin/modulith.js of this package (from dist/src/cli/commands or src/cli/commands). */
function modulithBin(): string | undefined {
  for (const relative of ['../../../../bin/modulith.js', '../../../bin/modulith.js']) {
    const file = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(file)) return file;
  }
  return undefined;
}
