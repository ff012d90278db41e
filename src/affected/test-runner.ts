import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AffectedError } from './affected-error.js';

export type RunnerName = 'jest' | 'vitest';

/** The project's test runner and the command that runs chosen files with its own configuration. */
export interface RunnerCommand {
  runner: RunnerName;
  /** How it was found, e.g. `package.json scripts.test`, `devDependencies.vitest`, `jest.config.js`. */
  detectedBy: string;
  /** Executable and arguments, run without a shell. */
  command: string;
  args: string[];
}

interface PackageJson {
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** A test script npm may be given more arguments: one command, no `&&`, `;`, `|` or redirection after which they would land elsewhere. */
const SIMPLE_SCRIPT = /^[^&|;<>`$()]*$/;

/** Jest or Vitest, from package.json scripts.test, then its dependencies, then config files; AffectedError when neither. */
export function detectRunner(rootDir: string): { runner: RunnerName; detectedBy: string; script?: string } {
  let pkg: PackageJson = {};
  try {
    pkg = JSON.parse(readFileSync(join(rootDir, 'package.json'), 'utf8')) as PackageJson;
  } catch {
    pkg = {};
  }
  const script = typeof pkg.scripts?.test === 'string' ? pkg.scripts.test : undefined;
  if (script !== undefined && /\bvitest\b/.test(script)) return { runner: 'vitest', detectedBy: 'package.json scripts.test', script };
  if (script !== undefined && /\bjest\b/.test(script)) return { runner: 'jest', detectedBy: 'package.json scripts.test', script };
  for (const field of ['devDependencies', 'dependencies'] as const) {
    if (pkg[field]?.vitest !== undefined) return { runner: 'vitest', detectedBy: `package.json ${field}.vitest` };
    if (pkg[field]?.jest !== undefined) return { runner: 'jest', detectedBy: `package.json ${field}.jest` };
  }
  let files: string[] = [];
  try {
    files = readdirSync(rootDir);
  } catch {
    files = [];
  }
  const vitestConfig = files.find((f) => /^vitest\.config\.[cm]?[jt]s$/.test(f));
  if (vitestConfig) return { runner: 'vitest', detectedBy: vitestConfig };
  const jestConfig = files.find((f) => /^jest\.config\.([cm]?[jt]s|json)$/.test(f));
  if (jestConfig) return { runner: 'jest', detectedBy: jestConfig };
  throw new AffectedError(`no test runner found in ${rootDir}: modulith test runs Jest or Vitest (a package.json "test" script running one, the package in devDependencies, or a jest.config / vitest.config file)`);
}

/**
 * The command running `files` with the project's runner and configuration, then `extra`:
 * Jest through the project's `test` script when it is a plain jest command
 * (`npm test -- --runTestsByPath <files> <extra>`), else `npx jest --runTestsByPath ...`;
 * Vitest as `npx vitest run <files> <extra>`.
 */
export function runnerCommand(rootDir: string, files: readonly string[], extra: readonly string[] = []): RunnerCommand {
  const found = detectRunner(rootDir);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
  if (found.runner === 'jest') {
    if (found.script !== undefined && SIMPLE_SCRIPT.test(found.script)) {
      return { runner: 'jest', detectedBy: found.detectedBy, command: npm, args: ['test', '--', '--runTestsByPath', ...files, ...extra] };
    }
    return { runner: 'jest', detectedBy: found.detectedBy, command: npx, args: ['jest', '--runTestsByPath', ...files, ...extra] };
  }
  return { runner: 'vitest', detectedBy: found.detectedBy, command: npx, args: ['vitest', 'run', ...files, ...extra] };
}

/** The command as one line a user could paste (arguments quoted where a shell would split them). */
export function formatCommand(command: RunnerCommand): string {
  const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  return [command.command, ...command.args].map(quote).join(' ');
}

/** Runs the command in `cwd`, passing its output on; resolves to its exit code (1 when killed by a signal or it cannot start). */
export function runTests(command: RunnerCommand, io: { cwd: string; stdout: (text: string) => void; stderr: (text: string) => void }): Promise<number> {
  if (!existsSync(io.cwd)) return Promise.resolve(1);
  return new Promise((resolve) => {
    const child = spawn(command.command, command.args, { cwd: io.cwd, stdio: ['inherit', 'pipe', 'pipe'], shell: process.platform === 'win32', env: process.env });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => io.stdout(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => io.stderr(chunk));
    child.on('error', (error) => {
      io.stderr(`modulith test: could not start ${command.command}: ${error.message}\n`);
      resolve(1);
    });
    child.on('close', (code) => resolve(code ?? 1));
  });
}
