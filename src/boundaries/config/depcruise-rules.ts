import type { IForbiddenRuleType } from 'dependency-cruiser';
import type { ApplicationModules } from '../../core/index.js';
import { escapeRegex } from './glob-to-regex.js';
import { MOCK_REGEX } from './mock-functions.js';
import { dirsRegex } from './modulith-options.js';

const NEVER = '^$';

/**
 * The file-level half of the boundary rules, as plain dependency-cruiser rules, so that
 * `depcruise --validate` in a user's CI enforces the same boundaries as `modulith check`
 * (which additionally sees module-level cycles, unused and orphan declarations, and reports with
 * its own messages). Rule names are modulith's rule ids, qualified (`undeclared-dependency/orders`)
 * where one id needs several rules.
 */
export function boundaryRules(model: ApplicationModules, pathAliases: readonly string[]): IForbiddenRuleType[] {
  const modules = model.modules;
  if (modules.length === 0) return [];
  const inAnyModule = dirsRegex(modules.map((m) => m.dir));
  const publicFiles = filesRegex(modules.flatMap((m) => (m.entry ? [m.entry] : [])));
  // Rule names must be unique: dependency-cruiser merges same-named rules when it reads a config.
  // Mocks are the only exotic requires the generated options declare, so "not an exotic require"
  // is "not a mock" (a user adding exoticRequireStrings of their own gets those checked by
  // `modulith check`, which judges every dependency itself).
  const rules: IForbiddenRuleType[] = [
    {
      name: 'deep-import',
      severity: 'error',
      comment: "Only a module's index.ts is public: import the module folder, not its internal files.",
      // $1 is the importing module's folder (from.path's group): its own internals are fine.
      from: { path: inAnyModule },
      to: { path: inAnyModule, pathNot: ['^$1/', publicFiles], dependencyTypesNot: ['exotic-require'] },
    },
    {
      name: 'shell-imports-internals',
      severity: 'error',
      comment: "App-shell code (outside every module) may import modules' public index.ts only.",
      from: { pathNot: inAnyModule },
      to: { path: inAnyModule, pathNot: publicFiles, dependencyTypesNot: ['exotic-require'] },
    },
    {
      name: 'test-mocks-internals',
      severity: 'error',
      comment: 'Tests mock other modules through their public API, never their internal files.',
      from: { path: inAnyModule },
      to: { path: inAnyModule, pathNot: ['^$1/', publicFiles], exoticRequire: MOCK_REGEX },
    },
    {
      name: 'test-mocks-internals/app-shell',
      severity: 'error',
      comment: 'Tests outside the modules mock them through their public API, never their internal files.',
      from: { pathNot: inAnyModule },
      to: { path: inAnyModule, pathNot: publicFiles, exoticRequire: MOCK_REGEX },
    },
  ];

  for (const module of modules) {
    const forbidden = modules.filter((other) => other !== module && !model.mayUse(module.name, other.name) && other.entry);
    if (forbidden.length === 0) continue;
    rules.push({
      name: `${module.shared ? 'shared-imports-module' : 'undeclared-dependency'}/${module.name}`,
      severity: 'error',
      comment: module.shared
        ? `'${module.name}' is a shared module: it may import only other shared modules.`
        : `'${module.name}' may import only the modules its module.json lists in "dependsOn" (and shared modules): ${module.dependsOn.join(', ') || 'none'}.`,
      from: { path: `^${escapeRegex(module.dir)}/` },
      to: { path: filesRegex(forbidden.map((m) => m.entry!)) },
    });
  }

  rules.push({
    name: 'unresolved-import',
    severity: 'error',
    comment: 'Every relative or path-alias import inside a module must resolve to a file.',
    from: { path: inAnyModule },
    to: { couldNotResolve: true, path: ['^[.]', ...pathAliases.map(aliasRegex)] },
  });
  return rules;
}

function filesRegex(files: readonly string[]): string {
  return files.length === 0 ? NEVER : `^(${files.map(escapeRegex).join('|')})$`;
}

/** `@app/*` -> `^@app/`, `@config` -> `^@config$`. */
export function aliasRegex(alias: string): string {
  const star = alias.indexOf('*');
  return star < 0 ? `^${escapeRegex(alias)}$` : `^${escapeRegex(alias.slice(0, star))}`;
}
