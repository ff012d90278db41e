import type { ApplicationModules } from '../core/index.js';
import type { LiveModule } from './live-module.js';

/** One reason the app must not start: which module, what is wrong, how to fix it. */
export interface BootViolation {
  module: string;
  rule: 'unknown-module' | 'duplicate-module' | 'global-module' | 'undeclared-import' | 'exports-internals' | 'missing-dependency' | 'foreign-entity' | 'missing-config' | 'invalid-config';
  message: string;
  fix: string;
}

/**
 * Compares the feature modules living in the Nest container with the declared model.
 * Pure: the same inputs always give the same violations, in a stable order.
 */
export function verifyLiveModules(model: ApplicationModules, live: readonly LiveModule[]): BootViolation[] {
  const violations: BootViolation[] = [];
  const present = new Map<string, LiveModule>();
  for (const module of live) {
    const other = present.get(module.name);
    if (other && other.className !== module.className) {
      violations.push({
        module: module.name,
        rule: 'duplicate-module',
        message: `${module.className} and ${other.className} are both @FeatureModule({ name: '${module.name}' })`,
        fix: `bind each module.json to exactly one Nest module: rename one of them`,
      });
    }
    present.set(module.name, module);
  }

  for (const module of present.values()) {
    const declared = model.get(module.name);
    if (!declared) {
      violations.push({
        module: module.name,
        rule: 'unknown-module',
        message: `${module.className} is @FeatureModule({ name: '${module.name}' }) but no module.json declares '${module.name}'`,
        fix: `create ${model.roots[0]}/${module.name}/module.json or use one of: ${model.names.join(', ') || '(no modules found)'}`,
      });
      continue;
    }
    if (module.isGlobal) {
      violations.push({
        module: module.name,
        rule: 'global-module',
        message: `${module.className} is @Global(): every module could inject its providers without declaring a dependency`,
        fix: `remove @Global() from ${module.className}; modules that need it import it and list '${module.name}' in dependsOn`,
      });
    }
    for (const imported of module.imports) {
      if (!model.get(imported) || model.mayUse(module.name, imported)) continue;
      violations.push({
        module: module.name,
        rule: 'undeclared-import',
        message: `${module.className} imports the Nest module of '${imported}', which ${declared.manifest} does not declare`,
        fix: `add "${imported}" to "dependsOn" in ${declared.manifest}, or remove the import`,
      });
    }
    for (const token of module.extraExports) {
      violations.push({
        module: module.name,
        rule: 'exports-internals',
        message: `${module.className} exports ${token}, which is not one of its facades`,
        fix: `export only facades: remove ${token} from "exports" and expose what callers need as a method of a facade in ${declared.entry ?? `${declared.dir}/index.ts`}`,
      });
    }
    for (const dependency of declared.dependsOn) {
      if (present.has(dependency)) continue;
      violations.push({
        module: module.name,
        rule: 'missing-dependency',
        message: `'${module.name}' depends on '${dependency}', but no @FeatureModule named '${dependency}' is part of the app`,
        fix: `add the Nest module of '${dependency}' to ModulithModule.forRoot({ modules: [...] })`,
      });
    }
  }
  return violations.sort((a, b) => a.module.localeCompare(b.module) || a.rule.localeCompare(b.rule));
}
