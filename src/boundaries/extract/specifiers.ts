/**
 * Does a specifier name a file of the project (relative, absolute, or through a tsconfig `paths`
 * alias) rather than an npm package? Only those can be wrong in a way the boundary check reports.
 */
export function isPathSpecifier(specifier: string, pathAliases: readonly string[]): boolean {
  if (specifier.startsWith('.') || specifier.startsWith('/')) return true;
  return pathAliases.some((alias) => {
    const star = alias.indexOf('*');
    return star < 0 ? specifier === alias : specifier.startsWith(alias.slice(0, star));
  });
}
