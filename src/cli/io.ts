/** Where the command reads and writes: the real process by default, anything in tests. */
export interface CliIo {
  /** Project root; default process.cwd(). */
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stderr is an interactive terminal (progress is shown only then). */
  stderrIsTTY: boolean;
}

export function processIo(overrides: Partial<CliIo> = {}): CliIo {
  return {
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stderrIsTTY: process.stderr.isTTY === true,
    ...overrides,
  };
}

/** Exit codes of every command (PRODUCT.md): 0 clean, 1 violations, 2 bad configuration or usage. */
export const EXIT = { ok: 0, violations: 1, config: 2 } as const;
