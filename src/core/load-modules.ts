import { existsSync, lstatSync, readdirSync, readlinkSync, statSync, type Dirent } from 'node:fs';
import { join, resolve } from 'node:path';
import { ApplicationModule, type ModuleManifest } from './application-module.js';
import { ApplicationModules } from './application-modules.js';
import { errorCode, readConfigFile, unreadable } from './config-file.js';
import { isModuleName, MODULE_NAME_RULE, suggestModuleName } from './module-name.js';
import { ModuleModelError, type Problem } from './problem.js';
import { readProjectConfig } from './project-config.js';
import { validateModules } from './validate-modules.js';
import { printable } from './printable.js';
import { parseConfig, parseExternals } from './module-config.js';
import { parseOwners } from './module-owners.js';

export interface LoadOptions {
  /** Modules roots relative to rootDir; default: package.json#modulith.roots, else `modules`. */
  roots?: string[];
  /**
   * A project with no module yet (every root missing, or holding no module.json) loads as an
   * empty model instead of failing on its missing roots. A missing root next to roots that do
   * hold modules is still a problem.
   */
  allowEmpty?: boolean;
  /**
   * A cycle in the declared `dependsOn` graph does not stop the load: the model comes back and
   * `model.declaredCycles()` lists the cycles. For `modulith check`, which reports them as
   * `module-cycle` violations (a baseline can record them), and for the runtime, which refuses
   * them unless the baseline records them. Default false: a cycle is a ModuleModelError like any
   * other problem of the configuration.
   */
  allowCycles?: boolean;
}

const PUBLIC_ENTRIES = ['index.ts', 'index.mts', 'index.js', 'index.mjs'];
const KNOWN_KEYS = new Set(['$schema', 'name', 'dependsOn', 'shared', 'description', 'owners', 'schema', 'config', 'externals']);
/** A module.json is a few hundred bytes: anything near this is not one. */
const MANIFEST_MAX_BYTES = 1024 * 1024;

/**
 * Builds the model of a project's modules from its `module.json` files and validates it.
 * Throws ModuleModelError listing every problem, each naming its file and the fix (a cycle of
 * the declared graph too, unless `allowCycles`).
 */
export function loadApplicationModules(rootDir: string, options: LoadOptions = {}): ApplicationModules {
  const absRoot = resolve(rootDir);
  const roots = options.roots ?? readProjectConfig(absRoot).roots;
  const problems: Problem[] = [];
  let missingRoots = 0;
  const modules: ApplicationModule[] = [];
  // Folders whose module.json is there but unusable: reported once, as what is wrong with it.
  const broken = new Set<string>();
  // Broken symbolic links in a modules root: reported when a module depends on their name.
  const danglingLinks = new Map<string, Problem>();

  for (const root of roots) {
    const absModulesRoot = join(absRoot, root);
    const entries = readModulesRoot(absModulesRoot, root, problems);
    if (entries === 'missing') {
      missingRoots++;
      continue;
    }
    for (const entry of entries) {
      const dir = root === '.' ? entry.name : `${root}/${entry.name}`;
      if (entry.isSymbolicLink()) {
        const link = linkedFolderProblem(join(absModulesRoot, entry.name), dir);
        if (link?.always) {
          problems.push(link.problem);
          broken.add(entry.name);
        } else if (link) {
          danglingLinks.set(entry.name, link.problem);
        }
        continue;
      }
      if (!entry.isDirectory()) continue;
      const manifestFile = join(absRoot, dir, 'module.json');
      // A broken or looping symbolic link, a directory, an unreadable file: a problem of this
      // file, never a module silently missing (that would be blamed on the modules depending on it).
      const read = readConfigFile(manifestFile, `${dir}/module.json`, { maxBytes: MANIFEST_MAX_BYTES, expected: `a JSON file like { "name": "${entry.name}", "dependsOn": [] }` });
      if (read.kind === 'missing') continue;
      if (read.kind === 'problem') {
        problems.push(read.problem);
        broken.add(entry.name);
        continue;
      }
      const manifest = parseManifest(read.text, `${dir}/module.json`, entry.name, problems);
      if (!manifest) {
        broken.add(entry.name);
        continue;
      }
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
          manifest.owners,
          manifest.schema,
          manifest.config,
          manifest.externals,
        ),
      );
    }
  }

  // No module anywhere and nothing wrong but missing roots: a project that has no module yet.
  if (options.allowEmpty && modules.length === 0 && problems.length === missingRoots) problems.length = 0;
  for (const [name, problem] of danglingLinks) {
    if (modules.some((m) => m.dependsOn.includes(name))) {
      problems.push(problem);
      broken.add(name);
    }
  }
  problems.push(...validateModules(modules, broken, { allowCycles: options.allowCycles }));
  if (problems.length > 0) throw new ModuleModelError(problems);
  modules.sort((a, b) => a.name.localeCompare(b.name));
  return new ApplicationModules(absRoot, roots, modules);
}

/**
 * The entries of a modules root, or 'missing' (recorded as a problem) when it does not exist.
 * A root that is a file, a broken link or unreadable is a problem; its entries are then [].
 */
function readModulesRoot(absModulesRoot: string, root: string, problems: Problem[]): Dirent[] | 'missing' {
  const fix = `create the folder ${root}/ or change "modulith.roots" in package.json`;
  const fail = (problem: Problem): Dirent[] => {
    problems.push({ file: root, message: `modules root '${root}' ${problem.message}`, fix: problem.fix });
    return [];
  };
  let isDirectory: boolean;
  try {
    isDirectory = statSync(absModulesRoot).isDirectory();
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' && lstatSync(absModulesRoot, { throwIfNoEntry: false })?.isSymbolicLink()) {
      return fail({ file: root, message: `is a broken symbolic link to '${readlinkSync(absModulesRoot)}'`, fix: `point the link at the folder holding your modules, or ${fix}` });
    }
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      problems.push({ file: root, message: `modules root '${root}' does not exist`, fix });
      return 'missing';
    }
    if (code === 'ELOOP') return fail({ file: root, message: 'is a symbolic link that loops: it never reaches a folder', fix: `replace the link with the folder holding your modules, or ${fix}` });
    return fail(unreadable(root, error));
  }
  if (!isDirectory) return fail({ file: root, message: 'is a file, not a folder', fix });
  try {
    return readdirSync(absModulesRoot, { withFileTypes: true });
  } catch (error) {
    return fail(unreadable(root, error));
  }
}

/**
 * What is wrong with a symbolic link where a module folder would be: `always` for a link to a
 * folder holding a module.json (the check does not follow links, so its files would go
 * unchecked); a broken or looping link only matters when a module depends on its name.
 */
function linkedFolderProblem(absLink: string, dir: string): { problem: Problem; always: boolean } | undefined {
  const target = readlinkSync(absLink);
  try {
    if (!statSync(absLink).isDirectory()) return undefined;
  } catch (error) {
    const loops = errorCode(error) === 'ELOOP';
    return {
      always: false,
      problem: {
        file: dir,
        message: loops ? `is a symbolic link that loops ('${target}'): it never reaches a folder` : `is a broken symbolic link to '${target}', which does not exist`,
        fix: `put the module's folder itself at ${dir}/ (with its module.json), or remove the link`,
      },
    };
  }
  if (!lstatSync(join(absLink, 'module.json'), { throwIfNoEntry: false })) return undefined;
  return {
    always: true,
    problem: {
      file: dir,
      message: `is a symbolic link to '${target}'; a module must be a real folder inside its modules root (the check does not follow links, so its files would go unchecked)`,
      fix: `move the folder to ${dir}/, or add the folder holding it to "modulith.roots" in package.json`,
    },
  };
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
  const folderValid = isModuleName(folderName);
  const folderFix = folderValid ? folderName : suggestModuleName(folderName);
  if (typeof data.name !== 'string' || data.name.length === 0) {
    problems.push({
      file,
      message: '"name" is missing or not a string',
      fix: folderValid ? `set "name": "${folderName}"` : `name the folder and the module alike, in kebab-case${folderFix ? `: '${folderFix}'` : ''}`,
    });
  } else if (!isModuleName(data.name)) {
    // One rule everywhere: `modulith new` refuses such a name, the schema flags it, so does the model.
    const suggestion = suggestModuleName(data.name) ?? folderFix;
    const target = suggestion ?? 'order-history';
    problems.push({
      file,
      message: `'${printable(data.name)}' is not a valid module name (${MODULE_NAME_RULE})`,
      fix:
        data.name === folderName || !folderValid
          ? `rename the folder to '${target}' and set "name": "${target}"${suggestion ? '' : ' (or another kebab-case name)'}`
          : `set "name": "${folderName}"`,
    });
  } else if (!folderValid) {
    problems.push({
      file,
      message: `the folder '${printable(folderName)}' is not a valid module name (${MODULE_NAME_RULE})`,
      fix: `rename the folder to '${data.name}'`,
    });
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
  const owners = parseOwners(data.owners, file);
  problems.push(...owners.problems);
  const config = parseConfig(data.config, file);
  problems.push(...config.problems);
  const externals = parseExternals(data.externals, file, config.config);
  problems.push(...externals.problems);
  if (data.schema !== undefined && (typeof data.schema !== 'string' || !SCHEMA_NAME.test(data.schema))) {
    problems.push({
      file,
      message: `"schema" must be a PostgreSQL schema name: lowercase letters, digits and _, starting with a letter or _, at most 63 characters (got ${printable(JSON.stringify(data.schema) ?? String(data.schema))})`,
      fix: `write e.g. "schema": "${folderName.replace(/[^a-z0-9_]/g, '_').replace(/^([0-9])/, '_$1').slice(0, 63)}" or remove it`,
    });
  }
  for (const key of Object.keys(data)) {
    if (!KNOWN_KEYS.has(key)) {
      problems.push({
        file,
        message: `unknown key "${key}"`,
        fix: `remove "${key}" (allowed: name, dependsOn, shared, description, owners, schema, config, externals)`,
      });
    }
  }
  if (problems.length > before) return undefined;
  return {
    name: data.name as string,
    dependsOn: [...new Set(dependsOn as string[])],
    shared: data.shared === true,
    description: data.description as string | undefined,
    owners: owners.owners,
    ...(typeof data.schema === 'string' ? { schema: data.schema } : {}),
    config: config.config,
    externals: externals.externals,
  };
}

/** A schema name that needs no quoting and is not one of PostgreSQL's own (pg_*). */
const SCHEMA_NAME = /^(?!pg_)[a-z_][a-z0-9_]{0,62}$/;

/** A name as it can be shown in one line of a message: control characters escaped, at most 80 characters. */
