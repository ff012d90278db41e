import { existsSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { DynamicModule, Type } from '@nestjs/common';
import { ApplicationModules, loadApplicationModules, ModuleModelError, type Problem } from '../core/index.js';
import { getFeatureModuleMetadata } from './feature-module.decorator.js';

/** How far above a module class's file its module.json may be (e.g. modules/billing/nest/billing.module.ts). */
const MAX_LEVELS = 6;

const BUILD_FIX =
  'copy the module.json files (and module.api.md, the contracts callers are checked against) into the build: in nest-cli.json, "compilerOptions": { "assets": [{ "include": "**/module.json", "watchAssets": true }, { "include": "**/module.api.md", "watchAssets": true }] } (npx modulith init sets it up), ' +
  'or pass ModulithModule.forRoot({ rootDir }) naming the folder that holds package.json and the modules roots';

/**
 * The model the app boots against. With `rootDir` (or `roots`), the project's module.json files
 * as `modulith check` reads them. Otherwise — the default — they are found next to the feature
 * modules' own files: each @FeatureModule class's file leads to its module.json, and that
 * module's modules root to all the others (shared kernels included). Nothing depends on
 * process.cwd(), so `node dist/main.js` boots from any directory as long as the build holds the
 * module.json files.
 *
 * A cycle of the declared graph does not stop the load here: forRoot admits it only when the
 * baseline records it (baselined-cycles.ts).
 */
export function locateModel(modules: ReadonlyArray<Type<unknown> | DynamicModule>, options: { rootDir?: string; roots?: string[] }): ApplicationModules {
  if (options.rootDir !== undefined || options.roots !== undefined) {
    return loadApplicationModules(options.rootDir ?? process.cwd(), { roots: options.roots, allowCycles: true });
  }
  const problems: Problem[] = [];
  const located: Array<{ name: string; dir: string; file: string }> = [];
  for (const entry of modules) {
    const type = typeof entry === 'function' ? entry : entry?.module;
    const meta = getFeatureModuleMetadata(type);
    if (!meta) continue; // placeModules names it
    if (!meta.file) {
      problems.push({
        file: `${type.name} (@FeatureModule '${meta.name}')`,
        message: 'the file defining this module class is unknown (stack traces are turned off?)',
        fix: 'pass ModulithModule.forRoot({ rootDir }) naming the folder that holds package.json and the modules roots',
      });
      continue;
    }
    const dir = manifestDirAbove(meta.file);
    if (!dir) {
      problems.push({ file: meta.file, message: `defines @FeatureModule '${meta.name}', but no module.json is next to it or in a folder above it`, fix: BUILD_FIX });
      continue;
    }
    located.push({ name: meta.name, dir, file: meta.file });
  }
  if (problems.length > 0) throw new ModuleModelError(problems);
  // No feature module listed: an empty model (placeModules names any listed class that is not one).
  if (located.length === 0) return new ApplicationModules(process.cwd(), [], []);

  // Every modules root that holds one of the app's feature modules, relative to their common folder.
  const rootDirs = [...new Set(located.map((m) => dirname(m.dir)))];
  const base = commonAncestor(rootDirs);
  const roots = rootDirs.map((dir) => toPosix(relative(base, dir)) || '.');
  const model = loadApplicationModules(base, { roots, allowCycles: true });
  for (const module of located) {
    const found = model.modules.find((m) => join(base, m.dir) === module.dir);
    if (found && found.name !== module.name) {
      problems.push({
        file: module.file,
        message: `defines @FeatureModule '${module.name}' but sits in the folder of module '${found.name}' (${join(module.dir, 'module.json')})`,
        fix: `name it '${found.name}', or move it into the folder of '${module.name}'`,
      });
    }
  }
  if (problems.length > 0) throw new ModuleModelError(problems);
  return model;
}

function manifestDirAbove(file: string): string | undefined {
  let dir = dirname(file);
  for (let level = 0; level <= MAX_LEVELS; level++) {
    if (existsSync(join(dir, 'module.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}

function commonAncestor(dirs: string[]): string {
  let common = dirs[0];
  for (const dir of dirs.slice(1)) {
    while (dir !== common && !dir.startsWith(common.endsWith(sep) ? common : common + sep)) common = dirname(common);
  }
  return common;
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}
