import { formatProblems, type Problem } from '../../core/index.js';

/**
 * The check cannot run because its own configuration is broken (a .dependency-cruiser.js that does
 * not load, a tsconfig that does not parse, a baseline that is not JSON). The CLI exits 2 on it.
 * Shaped like core's ModuleModelError so both print the same way: file, problem, fix.
 */
export class CheckConfigError extends Error {
  constructor(readonly problems: Problem[]) {
    super(formatProblems(problems).replace('invalid module configuration', 'invalid check configuration'));
    this.name = 'CheckConfigError';
  }
}

/** A configuration error of either kind, recognised by shape: several copies of the package (src/ and dist/) may be loaded. */
export function isConfigurationError(error: unknown): error is Error & { problems: Problem[] } {
  return (
    error instanceof Error &&
    (error.name === 'CheckConfigError' || error.name === 'ModuleModelError') &&
    Array.isArray((error as { problems?: unknown }).problems)
  );
}
