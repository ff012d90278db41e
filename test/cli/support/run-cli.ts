import { main } from '../../../src/cli/index.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `modulith ...argv` in-process in `cwd`, capturing what it prints. */
export async function runCli(argv: string[], cwd: string, options: { tty?: boolean } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    cwd,
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    stderrIsTTY: options.tty ?? false,
  });
  return { code, stdout, stderr };
}
