import { strayTsConfigs } from './discover-tsconfig.js';

/**
 * What to tell a user whose project has path aliases in a tsconfig the check did not find (no
 * tsconfig.json or tsconfig.base.json at the root: a sub-project of a monorepo, or only a
 * tsconfig.app.json): without it, imports through those aliases resolve to nothing, so a deep
 * import through one would go unseen. Undefined when there is nothing to say.
 */
export function missingTsConfigWarning(rootDir: string): string | undefined {
  const stray = strayTsConfigs(rootDir);
  if (stray.length === 0) return undefined;
  const first = stray[0];
  const shown = first.aliases[0] === 'baseUrl' ? 'a baseUrl' : `path aliases (${first.aliases.slice(0, 3).join(', ')}${first.aliases.length > 3 ? ', ...' : ''})`;
  const others = stray.length > 1 ? ` (also: ${stray.slice(1).map((s) => s.file).join(', ')})` : '';
  return (
    `no tsconfig.json or tsconfig.base.json in this folder, but ${first.file} declares ${shown}${others}: ` +
    `imports through them cannot be resolved, so boundaries crossed through them go unchecked. ` +
    `Fix: pass --tsconfig ${first.file} (or add a tsconfig.json that extends it)`
  );
}
