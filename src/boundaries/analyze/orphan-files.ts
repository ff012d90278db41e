import type { ApplicationModules } from '../../core/index.js';
import type { ExtractedFile } from '../extract/extracted.js';
import type { BoundaryViolation } from './boundary-violation.js';

/**
 * Source files in a subfolder of a modules root that has no module.json: sealed by nothing. One
 * violation per folder (stable under file renames, so baselines keep matching). Files directly
 * in a root folder are app-shell code, not orphans.
 */
export function orphanFiles(model: ApplicationModules, files: readonly ExtractedFile[]): BoundaryViolation[] {
  const byFolder = new Map<string, string[]>();
  for (const { path } of files) {
    const root = model.rootOf(path);
    if (!root || root === '.' || model.moduleOf(path)) continue;
    const rest = path.slice(root.length + 1);
    const slash = rest.indexOf('/');
    if (slash < 0) continue;
    const folder = `${root}/${rest.slice(0, slash)}`;
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), path]);
  }
  return [...byFolder.entries()].map(([folder, paths]) => {
    const name = folder.slice(folder.lastIndexOf('/') + 1);
    return {
      rule: 'orphan-file',
      severity: 'error' as const,
      from: folder,
      to: `${folder}/module.json`,
      fromModule: null,
      toModule: null,
      message: `${folder} holds ${paths.length} source file${paths.length === 1 ? '' : 's'} (${paths.slice(0, 3).join(', ')}${paths.length > 3 ? ', ...' : ''}) but no module.json, so they belong to no module`,
      fix: `create ${folder}/module.json with { "name": "${name}", "dependsOn": [] } or move the files into a module`,
    };
  });
}
