import { spawn } from 'node:child_process';

/** One finished command: what ran, where, how it ended, what it printed. */
export interface CommandResult {
  command: string;
  cwd: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  timedOut: boolean;
}

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Killed (SIGKILL) after this long; the result then has timedOut. Default 5 minutes. */
  timeoutMs?: number;
}

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const NPX = process.platform === 'win32' ? 'npx.cmd' : 'npx';

/**
 * The environment of every process the suite starts: ours, minus what an enclosing `npm test`
 * or Jest set for themselves — npm's lifecycle variables (npm_lifecycle_*, npm_package_*,
 * npm_config_local_prefix pointing at this repository, a --prefix, empty flag values), Jest's
 * NODE_ENV=test, NODE_OPTIONS, other test projects' MODULITH_* — so a generated app sees a plain
 * shell. npm settings the user gave (npm_config_cache, npm_config_registry, ...) are kept.
 */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const dropped =
    /^(npm_(lifecycle_|package_|command$|execpath$|node_execpath$|config_(local_prefix|global_prefix|prefix|user_agent|npm_version|node_gyp|argv|init_module)$)|INIT_CWD$|NODE_ENV$|NODE_OPTIONS$|JEST_WORKER_ID$|MODULITH_)/i;
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (dropped.test(key) || (/^npm_config_/i.test(key) && !value)) continue;
    env[key] = value;
  }
  return {
    ...env,
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    ...extra,
  };
}

/** Runs a command to its end, capturing stdout and stderr. Never throws for a failing command. */
export function run(file: string, args: string[], options: RunOptions): Promise<CommandResult> {
  const command = [file, ...args].join(' ');
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(file, args, { cwd: options.cwd, env: options.env ?? cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 300_000);
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      resolve({ command, cwd: options.cwd, code, signal, stdout, stderr, ms: Date.now() - started, timedOut });
    };
    child.once('error', (error) => {
      stderr += `\n${error.message}`;
      finish(null, null);
    });
    child.once('close', finish);
  });
}

export const npm = (args: string[], options: RunOptions) => run(NPM, args, options);
export const npx = (args: string[], options: RunOptions) => run(NPX, args, options);

/** The last `lines` lines of a text, for diagnostics. */
export function tail(text: string, lines = 40): string {
  const all = text.trimEnd().split('\n');
  return (all.length > lines ? [`… (${all.length - lines} lines before)`, ...all.slice(-lines)] : all).join('\n');
}

/** A failed command as a readable error: the command, where it ran, how it ended and the tails of its output. */
export class CommandFailedError extends Error {
  constructor(
    readonly result: CommandResult,
    why = 'failed',
  ) {
    super(describeResult(result, why));
    this.name = 'CommandFailedError';
  }
}

export function describeResult(result: CommandResult, why = 'failed'): string {
  const ending = result.timedOut ? `timed out after ${result.ms} ms` : result.signal ? `killed by ${result.signal}` : `exit ${result.code}`;
  return [
    `\`${result.command}\` ${why} (${ending}, ${(result.ms / 1000).toFixed(1)} s) in ${result.cwd}`,
    `--- stdout (tail) ---`,
    tail(result.stdout) || '(empty)',
    `--- stderr (tail) ---`,
    tail(result.stderr) || '(empty)',
  ].join('\n');
}

/** The result when the command exited 0 (or with `expected`), else a CommandFailedError. */
export function succeeded(result: CommandResult, expected = 0): CommandResult {
  if (result.code !== expected) throw new CommandFailedError(result, expected === 0 ? 'failed' : `did not exit ${expected}`);
  return result;
}

/** Text without ANSI colour codes (runners colour their summaries when they think a terminal is there). */
export function plain(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, '');
}
