/** One thing wrong with a project's module configuration: where it is, what it is, how to fix it. */
export interface Problem {
  /** Path relative to the project root, `/` separators. */
  file: string;
  message: string;
  fix: string;
}

/**
 * Thrown when the module model cannot be built. Every problem is listed, not just the first, so a
 * user (or an agent) fixes them in one pass.
 */
export class ModuleModelError extends Error {
  constructor(readonly problems: Problem[]) {
    super(formatProblems(problems));
    this.name = 'ModuleModelError';
  }
}

export function formatProblems(problems: Problem[]): string {
  const lines = problems.map((p) => `  ${p.file}: ${p.message}\n    fix: ${p.fix}`);
  return `nest-modulith: invalid module configuration (${problems.length} problem${problems.length === 1 ? '' : 's'})\n${lines.join('\n')}`;
}
