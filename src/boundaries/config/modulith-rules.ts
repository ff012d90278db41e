import type { IConfiguration, ICruiseOptions } from 'dependency-cruiser';
import { loadApplicationModules } from '../../core/index.js';
import { boundaryRules } from './depcruise-rules.js';
import { MOCK_FUNCTIONS } from './mock-functions.js';
import { MODULITH_OPTIONS, resolveModulithOptions, type ModulithOptions, type ModulithRulesOptions } from './modulith-options.js';

/** A dependency-cruiser configuration that also carries modulith's resolved options (under a symbol key). */
export type ModulithConfiguration = IConfiguration & { [MODULITH_OPTIONS]: ModulithOptions };

/**
 * The dependency-cruiser configuration of a modular monolith, generated from its module.json files.
 * A project's whole `.dependency-cruiser.js` is
 *
 *     module.exports = require('nest-modulith/depcruise').modulithRules();            // CommonJS
 *     import { modulithRules } from 'nest-modulith/depcruise'; export default modulithRules();  // ESM
 *
 * so `npx depcruise <folders> --validate` enforces the file-level boundaries and `modulith check`
 * reads the same file. Spread it to add rules of your own: `{ ...c, forbidden: [...c.forbidden, mine] }`
 * (keep the symbol-keyed options by spreading, not by JSON round-trips).
 */
export function modulithRules(input: ModulithRulesOptions = {}): ModulithConfiguration {
  const options = resolveModulithOptions(input);
  // A cycle in the declared graph is a violation `modulith check` reports, not a broken configuration.
  const model = loadApplicationModules(options.rootDir, { roots: options.roots, allowEmpty: true, allowCycles: true });
  return {
    forbidden: boundaryRules(model, options.pathAliases),
    options: cruiseOptionsFor(options),
    [MODULITH_OPTIONS]: options,
  };
}

/** How dependency-cruiser must read a NestJS/TypeScript project for the boundary rules to hold. */
export function cruiseOptionsFor(options: ModulithOptions): ICruiseOptions {
  return {
    doNotFollow: { path: ['(^|/)node_modules(/|$)'] },
    exclude: { path: options.exclude },
    // Type-only imports couple modules too: keep them (TypeScript would erase them before analysis).
    tsPreCompilationDeps: true,
    ...(options.tsConfig ? { tsConfig: { fileName: options.tsConfig } } : {}),
    exoticRequireStrings: [...MOCK_FUNCTIONS],
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
  };
}
