import type { ExtractedDependency } from './extracted.js';

/**
 * Did the dependency resolve to a file of this project (or of its repository), however it got
 * there: relative path, tsconfig `paths`, baseUrl, package self-reference, workspace package?
 * dependency-cruiser's own types do not tell: a baseUrl import of a NestJS `team.service` file is
 * `undetermined` (its baseUrl matcher takes `.service` for an extension), a workspace package is
 * `aliased-workspace`. So judge by where it landed: not unresolved, not a builtin, not an npm package.
 */
export function isProjectFile(dep: Pick<ExtractedDependency, 'kinds' | 'resolved' | 'couldNotResolve'>): boolean {
  if (dep.couldNotResolve || dep.kinds.includes('core') || dep.kinds.some((k) => k.startsWith('npm'))) return false;
  return !/(^|\/)node_modules\//.test(dep.resolved);
}
