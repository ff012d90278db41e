import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { ModuleModelError, parseManifest, readConfigFile, readProjectConfig, rootProblems, type Problem } from '../core/index.js';
import { readCompilerOptions, usesJsExtensions } from '../leaks/index.js';
import { breakCycles, type DroppedDependency } from './break-cycles.js';
import { moduleImportGraph, type ModuleEdge, type ModuleFolder } from './import-graph.js';
import { manifestText, readPackageJson, schemaRef, withRoots, writeNew, type PackageJson } from './project-files.js';
import { adoptableRoot, applyAssetsPlan, freshModulesRoot, normalizeRoot, planModuleJsonAsset, type AssetsPlan } from './project-layout.js';

export interface InitOptions {
  /**
   * The modules root, relative to rootDir (e.g. `src`, `src/modules`, `src/app`). Default: the
   * first of the configured roots, `modules`, `<sourceRoot>/modules`, `src/modules`,
   * `<sourceRoot>` and `src` that holds Nest modules; for an app without any (a fresh `nest new`
   * app) `<sourceRoot>/modules` of nest-cli.json, else `src/modules` when src/ exists, else `modules`.
   */
  modules?: string;
  /**
   * tsconfig used to resolve imports, relative to rootDir; default `tsconfig.json`, else
   * `tsconfig.base.json`. When given, the generated `.dependency-cruiser.js` records it, so that
   * `modulith check` resolves imports the same way without being told again.
   */
  tsconfig?: string;
}

/** One module init found. */
export interface InitModule {
  name: string;
  /** Project-relative folder, e.g. `src/users`. */
  dir: string;
  /** The dependencies its module.json declares (written now, or already there). */
  dependsOn: string[];
  /** `created`: init wrote its module.json; `existing`: it had one, left untouched. */
  status: 'created' | 'existing';
}

export interface InitResult {
  /** The modules root used, project-relative. */
  root: string;
  /**
   * No module found: an app without feature modules yet (a fresh `nest new` app). init then only
   * records the root, sets up nest-cli.json and the dependency-cruiser config; `modulith new`
   * creates the first module.
   */
  fresh: boolean;
  modules: InitModule[];
  /** Files init created or changed, project-relative, in the order written. Empty on a second run. */
  written: string[];
  /** Files init left alone on purpose, and why (an existing .dependency-cruiser.js, ...). */
  skipped: Array<{ file: string; reason: string }>;
  /**
   * Module dependencies left out of dependsOn because today's imports form a cycle between
   * modules (the model rejects declared cycles). Their imports remain violations, recorded by
   * the baseline.
   */
  dropped: DroppedDependency[];
  /** Every module edge found in today's imports (before breaking cycles). */
  edges: ModuleEdge[];
  /**
   * True when the CLI should now run `modulith baseline` (so `check` exits 0): something was
   * written, or there is no modulith-baseline.json yet.
   */
  runBaseline: boolean;
  /** Human-readable notes for the CLI to print (what was dropped, what to do next). */
  notes: string[];
}

const PUBLIC_ENTRIES = ['index.ts', 'index.mts', 'index.js', 'index.mjs'];
const NEST_MODULE_FILE = /\.module\.(ts|mts)$/;
const DEPCRUISE_CONFIGS = ['.dependency-cruiser.js', '.dependency-cruiser.cjs', '.dependency-cruiser.mjs', '.dependency-cruiser.json'];
export const BASELINE_FILE = 'modulith-baseline.json';

/**
 * `modulith init`: adopts an existing Nest app. Finds its modules (direct subfolders of the modules
 * root holding a `*.module.ts`), writes each a module.json whose dependsOn is what its files
 * import today (cycles broken by dropping the cheapest edges), gives modules without a public API
 * an index.ts re-exporting their Nest module, records a non-default root in package.json, makes
 * nest-cli.json copy module.json files into dist/ and writes a `.dependency-cruiser.js` calling
 * the package's rules. On an app without feature modules yet (a fresh `nest new` app) it sets up
 * the modules root (`src/modules`) the same way and leaves the first module to `modulith new`.
 * Never overwrites an existing module.json, index.ts or dependency-cruiser config; a second run
 * writes nothing. Throws ModuleModelError (naming the file and the fix) when the root chosen holds
 * no module while another folder does.
 */
export function initProject(rootDir: string, options: InitOptions = {}): InitResult {
  const absRoot = resolve(rootDir);
  const pkg = readPackageJson(absRoot);
  if (options.modules !== undefined) {
    // Never adopt (and write module.json files into) folders outside the project.
    const problems = rootProblems(options.modules, 'the modules root', `--modules ${options.modules}`);
    if (problems.length > 0) throw new ModuleModelError(problems);
  }
  const root = options.modules ? normalizeRoot(options.modules) : defaultRoot(absRoot, pkg);
  const absModulesRoot = join(absRoot, root);
  if (existsSync(absModulesRoot) && !statSync(absModulesRoot).isDirectory()) {
    throw new ModuleModelError([{ file: root, message: `modules root '${root}' is a file, not a folder`, fix: 'pass --modules with the folder holding your feature modules, e.g. --modules src/modules' }]);
  }
  const written: string[] = [];
  const skipped: InitResult['skipped'] = [];
  const notes: string[] = [];
  const assets = planModuleJsonAsset(absRoot, root);

  // 1. The modules: folders with a Nest module, plus folders that already have a module.json.
  const problems: Problem[] = [];
  const folders: Array<ModuleFolder & { dir: string; existing?: string[] }> = [];
  const entries = existsSync(absModulesRoot) ? readdirSync(absModulesRoot, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name)) : [];
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const absDir = join(absModulesRoot, entry.name);
    const dir = root === '.' ? entry.name : `${root}/${entry.name}`;
    const read = readConfigFile(join(absDir, 'module.json'), `${dir}/module.json`, { expected: `a JSON file like { "name": "${entry.name}", "dependsOn": [] }` });
    if (read.kind === 'problem') {
      problems.push(read.problem);
    } else if (read.kind === 'text') {
      const manifest = parseManifest(read.text, `${dir}/module.json`, entry.name, problems);
      folders.push({ name: entry.name, absDir, dir, existing: manifest?.dependsOn ?? [] });
    } else if (readdirSync(absDir).some((f) => NEST_MODULE_FILE.test(f))) {
      folders.push({ name: entry.name, absDir, dir });
    }
  }
  if (problems.length > 0) throw new ModuleModelError(problems);
  if (folders.length === 0) {
    // Nothing here. Feature modules elsewhere mean a wrong --modules; none at all, a fresh app.
    const elsewhere = adoptableRoot(absRoot, root);
    if (elsewhere) {
      throw new ModuleModelError([
        {
          file: root,
          message: `no module found: no subfolder of ${root}/ holds a *.module.ts, but ${elsewhere.root}/ does (${elsewhere.folders.join(', ')})`,
          fix: `pass --modules ${elsewhere.root} (the folder whose subfolders are your feature modules)`,
        },
      ]);
    }
    setUpProject(absRoot, root, pkg, assets, written, skipped, notes, options.tsconfig);
    notes.push(`no modules yet: create the first one with \`npx modulith new <name>\` (it goes to ${root}/<name>)`);
    return { root, fresh: true, modules: [], written, skipped, dropped: [], edges: [], runBaseline: false, notes };
  }
  const compiler = readCompilerOptions(absRoot, options.tsconfig);
  if (compiler.stray.length > 0) {
    // Without them, imports through their aliases resolve to nothing: dependsOn would miss them.
    notes.push(
      `no tsconfig.json or tsconfig.base.json here, but ${compiler.stray.join(', ')} declare${compiler.stray.length === 1 ? 's' : ''} path aliases or a baseUrl: ` +
        `imports through them were not followed, so dependsOn may miss dependencies; run \`modulith init --tsconfig ${compiler.stray[0]}\` (module.json files already written are kept: delete them first to have them written again)`,
    );
  }

  // 2. dependsOn from today's imports; cycles broken by dropping the cheapest edges.
  const edges = moduleImportGraph(absRoot, folders, compiler.options);
  const fixed = new Map(folders.filter((f) => f.existing).map((f) => [f.name, f.existing!]));
  const { kept, dropped, unbreakable } = breakCycles(
    folders.map((f) => f.name),
    edges,
    fixed,
  );
  for (const d of dropped) {
    // Declaring the edge would bring the cycle back: the way out is decoupling, never a declaration.
    notes.push(
      `left '${d.to}' out of ${folders.find((f) => f.name === d.from)!.dir}/module.json to break the cycle ${[...d.cycle, d.cycle[0]].join(' -> ')}: its ${d.imports} import${d.imports === 1 ? '' : 's'} (${d.files.join(', ')}) ${d.imports === 1 ? 'remains a violation' : 'remain violations'}, recorded in the baseline; ` +
        `declaring it would recreate the cycle, so remove ${d.imports === 1 ? 'it' : 'them'} instead: have ${d.from} publish an event ${d.to} listens to, or move what both need into a shared module`,
    );
  }
  for (const cycle of unbreakable) {
    notes.push(`the existing module.json files declare a cycle (${[...cycle, cycle[0]].join(' -> ')}): remove one of these dependencies`);
  }

  // 3. module.json and index.ts per module.
  const jsExtensions = usesJsExtensions(compiler.options, absModulesRoot);
  const modules: InitModule[] = [];
  for (const folder of folders) {
    if (folder.existing) {
      modules.push({ name: folder.name, dir: folder.dir, dependsOn: [...folder.existing], status: 'existing' });
      continue;
    }
    const dependsOn = kept.filter((e) => e.from === folder.name).map((e) => e.to).sort();
    const manifest = join(folder.absDir, 'module.json');
    if (writeNew(manifest, manifestText(schemaRef(absRoot, folder.absDir, pkg), folder.name, dependsOn))) written.push(`${folder.dir}/module.json`);
    modules.push({ name: folder.name, dir: folder.dir, dependsOn, status: 'created' });
  }
  for (const folder of folders) {
    if (PUBLIC_ENTRIES.some((f) => existsSync(join(folder.absDir, f)))) continue;
    const text = publicApiFor(folder.absDir, jsExtensions);
    if (!text) {
      notes.push(`${folder.dir} has no index.ts and its *.module.ts exports no class: write ${folder.dir}/index.ts with the module's public API`);
      continue;
    }
    if (writeNew(join(folder.absDir, 'index.ts'), text)) written.push(`${folder.dir}/index.ts`);
  }

  // 4. package.json, nest-cli.json and the dependency-cruiser config.
  setUpProject(absRoot, root, pkg, assets, written, skipped, notes, options.tsconfig);

  // The CLI records the baseline itself right after; a note telling the user to do it would be wrong.
  const runBaseline = written.length > 0 || !existsSync(join(absRoot, BASELINE_FILE));
  return { root, fresh: false, modules, written, skipped, dropped, edges, runBaseline, notes };
}

/** Where Nest modules wait to be adopted; else the first configured root; else the fresh app's root (`src/modules`). */
function defaultRoot(absRoot: string, pkg: PackageJson | undefined): string {
  const adoptable = adoptableRoot(absRoot);
  if (adoptable) return adoptable.root;
  return pkg?.data.modulith !== undefined ? readProjectConfig(absRoot).roots[0] : freshModulesRoot(absRoot);
}

/**
 * What init sets up around the modules, each step skipped when already done: a non-default root
 * recorded in package.json, nest-cli.json copying module.json files into dist/, and a
 * `.dependency-cruiser.js` calling the package's rules.
 */
function setUpProject(
  absRoot: string,
  root: string,
  pkg: PackageJson | undefined,
  assets: AssetsPlan,
  written: string[],
  skipped: InitResult['skipped'],
  notes: string[],
  tsconfig: string | undefined,
): void {
  const configured = readProjectConfig(absRoot).roots;
  if (!configured.includes(root)) {
    // Without a "modulith" section the roots are the default (`modules`): replace them.
    const roots = pkg?.data.modulith !== undefined ? [...configured, root] : [root];
    if (pkg) writeFileSync(join(absRoot, 'package.json'), withRoots(pkg, roots));
    else writeNew(join(absRoot, 'package.json'), `${JSON.stringify({ modulith: { roots } }, null, 2)}\n`);
    written.push('package.json');
    notes.push(`package.json: "modulith": { "roots": ${JSON.stringify(roots)} } (where modulith finds the modules)`);
  }

  applyAssetsPlan(absRoot, assets, written, notes);

  const existingConfig = DEPCRUISE_CONFIGS.find((f) => existsSync(join(absRoot, f)));
  const esm = pkg?.data.type === 'module';
  const args = tsconfig ? `{ tsConfig: ${JSON.stringify(tsconfig.replace(/\\/g, '/'))} }` : '';
  if (existingConfig) {
    const text = readFileSync(join(absRoot, existingConfig), 'utf8');
    skipped.push({
      file: existingConfig,
      reason: !text.includes('nest-modulith/depcruise')
        ? `already exists; ${rulesCall(existingConfig, esm, args)} to get the module rules`
        : tsconfig && !text.includes(JSON.stringify(tsconfig.replace(/\\/g, '/')).slice(1, -1))
          ? `already exists and uses nest-modulith/depcruise; pass it the tsconfig: modulithRules(${args})`
          : 'already exists and uses nest-modulith/depcruise',
    });
  } else {
    const text = esm
      ? `// Module boundaries of this app, derived from its module.json files by nest-modulith.\nimport { modulithRules } from 'nest-modulith/depcruise';\n\nexport default modulithRules(${args});\n`
      : `// Module boundaries of this app, derived from its module.json files by nest-modulith.\nmodule.exports = require('nest-modulith/depcruise').modulithRules(${args});\n`;
    if (writeNew(join(absRoot, '.dependency-cruiser.js'), text)) written.push('.dependency-cruiser.js');
  }
}

/** How an existing dependency-cruiser config of that kind gets the module rules (its module system is its extension's, or the package's for .js). */
function rulesCall(file: string, esm: boolean, args: string): string {
  if (file.endsWith('.json')) return `a JSON config cannot call the rules helper: replace it with a .dependency-cruiser.js calling require('nest-modulith/depcruise').modulithRules(${args})`;
  const module = file.endsWith('.mjs') || (file.endsWith('.js') && esm);
  return module
    ? `make it \`import { modulithRules } from 'nest-modulith/depcruise'; export default modulithRules(${args});\``
    : `make it \`module.exports = require('nest-modulith/depcruise').modulithRules(${args});\``;
}

/** index.ts re-exporting the exported classes of the folder's *.module.ts files (Nest modules first). */
function publicApiFor(absDir: string, jsExtensions: boolean): string | undefined {
  const lines: string[] = [];
  for (const file of readdirSync(absDir).filter((f) => NEST_MODULE_FILE.test(f)).sort()) {
    const source = ts.createSourceFile(file, readFileSync(join(absDir, file), 'utf8'), ts.ScriptTarget.Latest, false);
    const classes = source.statements
      .filter(ts.isClassDeclaration)
      .filter((c) => c.name && ts.getModifiers(c)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) && !ts.getModifiers(c)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword))
      .map((c) => c.name!.text);
    if (classes.length === 0) continue;
    const specifier = `./${file.replace(/\.(m?)ts$/, (_, m: string) => (jsExtensions ? `.${m}js` : ''))}`;
    lines.push(`export { ${classes.join(', ')} } from '${specifier}';`);
  }
  if (lines.length === 0) return undefined;
  return `// Public API of this module: other modules and the app shell import from here only.\n${lines.join('\n')}\n`;
}
