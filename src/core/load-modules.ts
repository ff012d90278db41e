import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ApplicationModule, type ModuleManifest } from './application-module.js';
import { ApplicationModules } from './application-modules.js';
import { ModuleModelError, type Problem } from './problem.js';
import { readProjectConfig } from './project-config.js';
import { validateModules } from './validate-modules.js';

export interface LoadOptions {
  /** Modules roots relative to rootDir; default: package.json#modulith.roots, else `modules`. */
  roots?: string[];
  /**
   * A project with no module yet (every root missing, or holding no module.json) loads as an
   * empty model instead of failing on its missing roots. A missing root next to roots that do
   * hold modules is still a problem.
   */
  allowEmpty?: boolean;
}

const PUBLIC_ENTRIES = ['index.ts', 'index.mts', 'index.js', 'index.mjs'];
const KNOWN_KEYS = new Set(['$schema', 'name', 'dependsOn', 'shared', 'description']);

/**
 * Builds the model of a project's modules from its `module.json` files and validates it.
 * Throws ModuleModelError listing every problem, each naming its file and the fix.
 */
export function loadApplicationModules(rootDir: string, options: LoadOptions = {}): ApplicationModules {
  const absRoot = resolve(rootDir);
  const roots = options.roots ?? readProjectConfig(absRoot).roots;
  const problems: Problem[] = [];
  let missingRoots = 0;
  const modules: ApplicationModule[] = [];

  for (const root of roots) {
    const absModulesRoot = join(absRoot, root);
    if (!existsSync(absModulesRoot)) {
      missingRoots++;
      problems.push({
        file: root,
        message: `modules root '${root}' does not exist`,
        fix: `create the folder ${root}/ or change "modulith.roots" in package.json`,
      });
      continue;
    }
    for (const entry of readdirSync(absModulesRoot, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const dir = root === '.' ? entry.name : `${root}/${entry.name}`;
      const manifestFile = join(absRoot, dir, 'module.json');
      if (!existsSync(manifestFile)) continue;
      const manifest = parseManifest(readFileSync(manifestFile, 'utf8'), `${dir}/module.json`, entry.name, problems);
      if (!manifest) continue;
      const publicEntry = PUBLIC_ENTRIES.find((f) => existsSync(join(absRoot, dir, f)));
      modules.push(
        new ApplicationModule(
          manifest.name,
          manifest.dependsOn,
          manifest.shared,
          manifest.description,
          root,
          dir,
          publicEntry ? `${dir}/${publicEntry}` : undefined,
        ),
      );
    }
  }

  // No module anywhere and nothing wrong but missing roots: a project that has no module yet.
  if (options.allowEmpty && modules.length === 0 && problems.length === missingRoots) problems.length = 0;
  problems.push(...validateModules(modules));
  if (problems.length > 0) throw new ModuleModelError(problems);
  modules.sort((a, b) => a.name.localeCompare(b.name));
  return new ApplicationModules(absRoot, roots, modules);
}

/** Parses one module.json; records problems and returns undefined when it cannot be used. */
export function parseManifest(text: string, file: string, folderName: string, problems: Problem[]): ModuleManifest | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    problems.push({ file, message: `is not valid JSON (${(error as Error).message})`, fix: 'repair the JSON syntax' });
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.push({ file, message: 'must be a JSON object', fix: `write { "name": "${folderName}", "dependsOn": [] }` });
    return undefined;
  }
  const data = raw as Record<string, unknown>;
  const before = problems.length;
  if (typeof data.name !== 'string' || data.name.length === 0) {
    problems.push({ file, message: '"name" is missing or not a string', fix: `set "name": "${folderName}"` });
  } else if (data.name !== folderName) {
    problems.push({
      file,
      message: `"name" is '${data.name}' but the folder is '${folderName}'`,
      fix: `set "name": "${folderName}" or rename the folder to '${data.name}'`,
    });
  }
  const dependsOn = data.dependsOn ?? [];
  if (!Array.isArray(dependsOn) || !dependsOn.every((d) => typeof d === 'string')) {
    problems.push({ file, message: '"dependsOn" must be an array of module names', fix: 'write e.g. "dependsOn": ["billing"]' });
  } else {
    const seen = new Set<string>();
    for (const dep of dependsOn as string[]) {
      if (seen.has(dep)) problems.push({ file, message: `"dependsOn" lists '${dep}' twice`, fix: `remove the second '${dep}'` });
      seen.add(dep);
    }
  }
  if (data.shared !== undefined && typeof data.shared !== 'boolean') {
    problems.push({ file, message: '"shared" must be true or false', fix: 'write "shared": true or remove it' });
  }
  if (data.description !== undefined && typeof data.description !== 'string') {
    problems.push({ file, message: '"description" must be a string', fix: 'write "description": "what this module does"' });
  }
  for (const key of Object.keys(data)) {
    if (!KNOWN_KEYS.has(key)) {
      problems.push({
        file,
        message: `unknown key "${key}"`,
        fix: `remove "${key}" (allowed: name, dependsOn, shared, description)`,
      });
    }
  }
  if (problems.length > before) return undefined;
  return {
    name: data.name as string,
    dependsOn: [...new Set(dependsOn as string[])],
    shared: data.shared === true,
    description: data.description as string | undefined,
  };
}
