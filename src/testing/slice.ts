import { join } from 'node:path';
import type { DynamicModule, ForwardReference, Type } from '@nestjs/common';
import type { ApplicationModules } from '../core/index.js';
import { declaredImports, FEATURE_MODULE, FeatureModule, getFeatureModuleMetadata, type FeatureModuleMetadata } from '../runtime/index.js';

/** Which feature modules a slice boots for real besides the target (shared kernels always). */
export type SliceBootstrap = 'standalone' | 'direct-dependencies' | 'all-dependencies';

/** A feature module found through Nest imports: its name, class and the entry that imported it. */
export interface FoundModule {
  name: string;
  type: Type<unknown>;
  /** The class or DynamicModule as imported (forwardRef resolved). */
  entry: Type<unknown> | DynamicModule;
  /** Names of the feature modules it imports. */
  imports: string[];
  /** Its facade tokens (what a stand-in binds). */
  facades: ReadonlyArray<abstract new (...args: any[]) => unknown>;
}

/** What a slice is made of: the real modules (target first) and the ones replaced by stand-ins. */
export interface SlicePlan {
  target: FoundModule;
  inSlice: FoundModule[];
  stubbed: FoundModule[];
}

/**
 * Every feature module reachable from `target` through Nest `imports` (classes, DynamicModules,
 * forwardRef), read from the decorators' metadata so an earlier placement does not hide them.
 * Keyed by module name; the target comes first.
 */
export function reachableModules(target: Type<unknown> | DynamicModule): Map<string, FoundModule> {
  const found = new Map<string, FoundModule>();
  const visit = (entry: Type<unknown> | DynamicModule): FoundModule | undefined => {
    const type = typeOf(entry);
    const meta = getFeatureModuleMetadata(type);
    if (!type || !meta) return undefined;
    const known = found.get(meta.name);
    if (known) return known;
    const module: FoundModule = { name: meta.name, type, entry, imports: [], facades: meta.facades as unknown as FoundModule['facades'] };
    found.set(meta.name, module);
    const imports = [...declaredImports(type), ...(typeof entry === 'function' ? [] : (entry.imports ?? []))];
    for (const imported of imports) {
      const resolved = resolveImport(imported);
      const child = resolved && visit(resolved);
      if (child && !module.imports.includes(child.name)) module.imports.push(child.name);
    }
    return module;
  };
  if (!visit(target)) {
    throw new Error(`ModuleTest.create: ${typeOf(target)?.name ?? String(target)} is not a @FeatureModule; pass the feature module to test, e.g. ModuleTest.create(MediaModule)`);
  }
  return found;
}

/**
 * Splits the reachable modules: the target, shared kernels (module.json "shared": true) and, per
 * `bootstrap`, the target's direct or all (transitive) imports run for real; every other one is
 * stubbed, keeping its name and facade tokens.
 */
export function planSlice(found: Map<string, FoundModule>, model: ApplicationModules, bootstrap: SliceBootstrap): SlicePlan {
  const [target] = found.values();
  const real = new Set<string>([target.name]);
  if (bootstrap === 'direct-dependencies') target.imports.forEach((name) => real.add(name));
  if (bootstrap === 'all-dependencies') {
    const queue = [...target.imports];
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      if (real.has(name)) continue;
      real.add(name);
      queue.push(...found.get(name)!.imports);
    }
  }
  for (const module of found.values()) if (model.get(module.name)?.shared) real.add(module.name);
  const modules = [...found.values()];
  return {
    target,
    inSlice: modules.filter((m) => real.has(m.name)),
    stubbed: modules.filter((m) => !real.has(m.name)),
  };
}

/**
 * Feature modules the found ones declare in dependsOn but never import into Nest (so no class of
 * theirs was found): each gets an empty stand-in bound to its module.json, so the boot
 * verification finds every declared dependency, as in the app where they are all listed.
 */
export function declaredOnly(found: Map<string, FoundModule>, model: ApplicationModules): FoundModule[] {
  const missing = new Set<string>();
  const queue = [...found.keys()];
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    for (const dependency of model.get(name)?.dependsOn ?? []) {
      if (found.has(dependency) || missing.has(dependency)) continue;
      missing.add(dependency);
      queue.push(dependency);
    }
  }
  return [...missing].flatMap((name) => {
    const declared = model.get(name);
    if (!declared) return [];
    @FeatureModule({ name })
    class DeclaredDependencyStandIn {}
    // Its module.json is found from `file` (the folder of the module), not from this file.
    const meta: FeatureModuleMetadata = { name, facades: [], file: join(model.rootDir, declared.dir, 'index.ts') };
    Reflect.defineMetadata(FEATURE_MODULE, meta, DeclaredDependencyStandIn);
    Object.defineProperty(DeclaredDependencyStandIn, 'name', { value: `${name} (declared, not imported)` });
    return [{ name, type: DeclaredDependencyStandIn, entry: DeclaredDependencyStandIn, imports: [], facades: [] }];
  });
}

function typeOf(entry: unknown): Type<unknown> | undefined {
  if (typeof entry === 'function') return entry as Type<unknown>;
  return (entry as DynamicModule | undefined)?.module;
}

function resolveImport(entry: unknown): Type<unknown> | DynamicModule | undefined {
  if (!entry) return undefined;
  const forward = (entry as ForwardReference).forwardRef;
  if (typeof forward === 'function') return resolveImport(forward());
  if (typeof entry === 'function') return entry as Type<unknown>;
  // Promise<DynamicModule> imports are not followed: they cannot be read synchronously.
  if (typeof (entry as DynamicModule).module === 'function') return entry as DynamicModule;
  return undefined;
}
