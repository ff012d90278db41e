/**
 * Does a specifier name a file of the project (relative, absolute, through a tsconfig `paths`
 * alias, or through baseUrl: `src/*` is among the aliases then) rather than an npm package? Only
 * those can be wrong in a way the boundary check reports.
 */
export function isPathSpecifier(specifier: string, pathAliases: readonly string[]): boolean {
  if (specifier.startsWith('.') || specifier.startsWith('/')) return true;
  return pathAliases.some((alias) => {
    const star = alias.indexOf('*');
    return star < 0 ? specifier === alias : specifier.startsWith(alias.slice(0, star));
  });
}
