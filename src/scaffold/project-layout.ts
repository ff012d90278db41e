import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { ModuleModelError, readConfigFile, readProjectConfig, rootProblems } from '../core/index.js';
import { readPackageJson } from './project-files.js';

// Where a project keeps (or will keep) its modules, and the Nest CLI configuration that makes
// `nest build` copy their module.json files next to the compiled code.

/** The Nest CLI's own configuration files, in the order it looks for them. */
const NEST_CLI_FILES = ['nest-cli.json', '.nest-cli.json'];
const NEST_MODULE_FILE = /\.module\.(ts|mts)$/;

/**
 * The asset entries that make `nest build` (and `nest start --watch`) copy every module.json into
 * dist/, and every module.api.md beside it (the runtime compares the contracts of processes built
 * from different versions with it).
 */
const ASSET_GLOBS = ['**/module.json', '**/module.api.md'];
const assetText = (glob: string): string => `{ "include": "${glob}", "watchAssets": true }`;
const ASSET_TEXT = ASSET_GLOBS.map(assetText).join(', ');

export interface NestCliConfig {
  /** Project-relative file name, e.g. `nest-cli.json`. */
  file: string;
  text: string;
  /** The parsed file (comments and trailing commas tolerated). */
  source: ts.JsonSourceFile;
  root: ts.ObjectLiteralExpression;
  /** `sourceRoot`, normalized; the Nest CLI's default `src` when the file has none. */
  sourceRoot: string;
}

/** The project's nest-cli.json, or undefined when it has none. A file that cannot be parsed is a ModuleModelError naming it. */
export function readNestCli(absRoot: string): NestCliConfig | undefined {
  let file: string | undefined;
  let text = '';
  for (const candidate of NEST_CLI_FILES) {
    const read = readConfigFile(join(absRoot, candidate), candidate, { expected: 'the Nest CLI configuration (a JSON file)' });
    if (read.kind === 'missing') continue;
    if (read.kind === 'problem') throw new ModuleModelError([read.problem]);
    file = candidate;
    text = read.text;
    break;
  }
  if (!file) return undefined;
  const source = ts.parseJsonText(file, text);
  const syntax = (source as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? [];
  const root = source.statements[0]?.expression;
  if (syntax.length > 0 || !root || !ts.isObjectLiteralExpression(root)) {
    const why = syntax.length > 0 ? `is not valid JSON (${ts.flattenDiagnosticMessageText(syntax[0].messageText, ' ')})` : 'must hold a JSON object';
    throw new ModuleModelError([{ file, message: why, fix: 'repair the JSON syntax of the Nest CLI configuration' }]);
  }
  const sourceRoot = stringValue(property(root, 'sourceRoot')?.initializer);
  // Modules go below sourceRoot: one outside the project would have init and new write there.
  const outside = !sourceRoot ? [] : rootProblems(sourceRoot, '"sourceRoot"', file);
  if (outside.length > 0) throw new ModuleModelError(outside);
  return { file, text, source, root, sourceRoot: sourceRoot ? normalizeRoot(sourceRoot) : 'src' };
}

/**
 * The modules root of an app that has none yet: `<sourceRoot>/modules` of its nest-cli.json
 * (`src/modules` for a `nest new` app), else `src/modules` when src/ exists, else `modules`.
 */
export function freshModulesRoot(absRoot: string): string {
  const nest = readNestCli(absRoot);
  if (nest) return nest.sourceRoot === '.' ? 'modules' : `${nest.sourceRoot}/modules`;
  return isDirectory(join(absRoot, 'src')) ? 'src/modules' : 'modules';
}

/** Names of the subfolders of `root` that init adopts: those holding a `*.module.ts` or a module.json. */
export function moduleFolders(absRoot: string, root: string): string[] {
  const absModulesRoot = join(absRoot, root);
  if (!isDirectory(absModulesRoot)) return [];
  return readdirSync(absModulesRoot, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules')
    .filter((e) => {
      const absDir = join(absModulesRoot, e.name);
      return existsSync(join(absDir, 'module.json')) || readdirSync(absDir).some((f) => NEST_MODULE_FILE.test(f));
    })
    .map((e) => e.name)
    .sort();
}

/**
 * Where `modulith init` finds modules to adopt without --modules: the first of the configured
 * roots (package.json "modulith"), `modules`, `<sourceRoot>/modules`, `src/modules`,
 * `<sourceRoot>` and `src` whose subfolders hold Nest modules (or module.json files). Undefined
 * for an app without feature modules (a fresh `nest new` app).
 */
export function adoptableRoot(absRoot: string, except?: string): { root: string; folders: string[] } | undefined {
  const configured = readPackageJson(absRoot)?.data.modulith !== undefined ? readProjectConfig(absRoot).roots : [];
  const sourceRoot = readNestCli(absRoot)?.sourceRoot ?? 'src';
  const candidates = [...configured, 'modules', `${sourceRoot}/modules`, 'src/modules', sourceRoot, 'src'].map(normalizeRoot);
  for (const root of new Set(candidates)) {
    if (root === except) continue;
    const folders = moduleFolders(absRoot, root);
    if (folders.length > 0) return { root, folders };
  }
  return undefined;
}

/**
 * The root `modulith new` writes to: the first configured root; without a "modulith" key in
 * package.json, `modules` when that folder exists (the default root), else the fresh root
 * (`record`: true when package.json must name it).
 */
export function newModuleRoot(absRoot: string): { root: string; record: boolean } {
  if (readPackageJson(absRoot)?.data.modulith !== undefined) return { root: readProjectConfig(absRoot).roots[0], record: false };
  if (isDirectory(join(absRoot, 'modules'))) return { root: 'modules', record: false };
  const root = freshModulesRoot(absRoot);
  return { root, record: root !== 'modules' };
}

/**
 * The hint `modulith check` prints for a project without a module: what to run next. Never
 * fails: a broken nest-cli.json is not the check's business.
 */
export function noModulesHint(rootDir: string): string {
  try {
    const adoptable = adoptableRoot(rootDir);
    if (adoptable) {
      const shown = adoptable.folders.slice(0, 5).join(', ') + (adoptable.folders.length > 5 ? ', ...' : '');
      return `no modules yet: ${adoptable.root}/ holds Nest modules without a module.json (${shown}) — adopt them with \`npx modulith init\``;
    }
    const configured = readPackageJson(rootDir)?.data.modulith !== undefined;
    const where = configured ? readProjectConfig(rootDir).roots.join(', ') : newModuleRoot(rootDir).root;
    return `no modules yet under ${where} — create one with \`npx modulith new <name>\``;
  } catch {
    return 'no modules yet — create one with `npx modulith new <name>`';
  }
}

/** A change to nest-cli.json worked out before anything is written (a broken file fails first). */
export interface AssetsPlan {
  /** The file to rewrite and its new text; none when there is no nest-cli.json or it already copies module.json files. */
  file?: string;
  text?: string;
  /** Why nothing is written although something is off (a modules root outside sourceRoot). */
  note?: string;
}

/**
 * nest-cli.json (when the project has one) is to get `{ "include": "**\/module.json", "watchAssets": true }`
 * in compilerOptions.assets, so `nest build` puts every module.json next to its compiled module,
 * where the app finds it at boot. Shared by init and new; throws ModuleModelError for a file it
 * cannot edit, before either has written anything.
 */
export function planModuleJsonAsset(absRoot: string, modulesRoot: string): AssetsPlan {
  const nest = readNestCli(absRoot);
  if (!nest) return {};
  const edit = withModuleJsonAsset(nest, modulesRoot);
  return { ...(edit.text !== undefined ? { file: nest.file, text: edit.text } : {}), ...(edit.note ? { note: edit.note } : {}) };
}

/** Writes a planned nest-cli.json change, recording it in `written` and `notes`. */
export function applyAssetsPlan(absRoot: string, plan: AssetsPlan, written: string[], notes: string[]): void {
  if (plan.note) notes.push(plan.note);
  if (plan.file === undefined || plan.text === undefined) return;
  writeFileSync(join(absRoot, plan.file), plan.text);
  written.push(plan.file);
  notes.push(`${plan.file}: compilerOptions.assets copies each module.json and module.api.md into dist/ on \`nest build\``);
}

export interface AssetsEdit {
  /** The new text of the file, or undefined when it already copies module.json files. */
  text: string | undefined;
  /** Why nothing was written although something is off (a modules root outside sourceRoot). */
  note?: string;
}

/**
 * nest-cli.json with `{ "include": "**\/module.json", "watchAssets": true }` in
 * `compilerOptions.assets`, so `nest build` copies each module.json next to its compiled module
 * (asset globs are relative to sourceRoot). Merged into existing assets; an entry for
 * `**\/module.json` already there (string or object) is kept as it is. The edit is made in the
 * text, so the file keeps its comments, key order and indentation.
 */
export function withModuleJsonAsset(nest: NestCliConfig, modulesRoot: string): AssetsEdit {
  const inside = nest.sourceRoot === '.' || modulesRoot === nest.sourceRoot || modulesRoot.startsWith(`${nest.sourceRoot}/`);
  if (!inside) {
    return {
      text: undefined,
      note: `${nest.file}: the modules root ${modulesRoot}/ is outside sourceRoot '${nest.sourceRoot}', so its assets cannot copy module.json files; make your build copy ${modulesRoot}/*/module.json next to the compiled modules`,
    };
  }
  const { text, source, root } = nest;
  const compilerOptions = property(root, 'compilerOptions');
  if (!compilerOptions) {
    return { text: insertMember(text, source, root, (indent, unit) => `"compilerOptions": {${nl(text)}${indent}${unit}"assets": [${ASSET_TEXT}]${nl(text)}${indent}}`) };
  }
  const options = compilerOptions.initializer;
  if (!ts.isObjectLiteralExpression(options)) {
    throw new ModuleModelError([{ file: nest.file, message: '"compilerOptions" must be an object', fix: `write "compilerOptions": { "assets": [${ASSET_TEXT}] }` }]);
  }
  const assets = property(options, 'assets');
  if (!assets) return { text: insertMember(text, source, options, () => `"assets": [${ASSET_TEXT}]`) };
  const list = assets.initializer;
  if (!ts.isArrayLiteralExpression(list)) {
    throw new ModuleModelError([{ file: nest.file, message: '"compilerOptions.assets" must be an array', fix: `write "assets": [${ASSET_TEXT}]` }]);
  }
  const present = (elements: readonly ts.Expression[], glob: string): boolean =>
    elements.some((e) => {
      const include = ts.isObjectLiteralExpression(e) ? stringValue(property(e, 'include')?.initializer) : stringValue(e);
      return include !== undefined && include.replace(/^\.\//, '') === glob;
    });
  const missing = ASSET_GLOBS.filter((glob) => !present(list.elements, glob));
  if (missing.length === 0) return { text: undefined };
  // One entry at a time, each in the style of its neighbours (the text is parsed again after each).
  let edited = text;
  for (const glob of missing) {
    const parsed = ts.parseJsonText(nest.file, edited);
    const object = parsed.statements[0].expression as ts.ObjectLiteralExpression;
    const assetsList = property(property(object, 'compilerOptions')!.initializer as ts.ObjectLiteralExpression, 'assets')!.initializer as ts.ArrayLiteralExpression;
    edited = insertMember(edited, parsed, assetsList, () => assetText(glob));
  }
  return { text: edited };
}

function property(object: ts.ObjectLiteralExpression, name: string): ts.PropertyAssignment | undefined {
  return object.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && ts.isStringLiteral(p.name) && p.name.text === name);
}

function stringValue(node: ts.Node | undefined): string | undefined {
  return node && ts.isStringLiteral(node) ? node.text : undefined;
}

function nl(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/**
 * Adds a member at the end of an object or array literal, in the style of its neighbours: on its
 * own line with their indentation when they are one per line, inline otherwise; a trailing comma
 * and a comment after the last member stay where they belong.
 */
function insertMember(
  text: string,
  source: ts.JsonSourceFile,
  container: ts.ObjectLiteralExpression | ts.ArrayLiteralExpression,
  member: (indent: string, unit: string) => string,
): string {
  const newline = nl(text);
  const members: readonly ts.Node[] = ts.isObjectLiteralExpression(container) ? container.properties : container.elements;
  const open = container.getStart(source);
  const close = container.end - 1;
  const containerIndent = lineIndent(text, open);
  const unit = indentUnit(text);
  if (members.length === 0) {
    const inner = text.slice(open + 1, close);
    if (ts.isArrayLiteralExpression(container) && !inner.includes('\n')) {
      return `${text.slice(0, open + 1)}${member(containerIndent, unit)}${text.slice(close)}`;
    }
    const indent = containerIndent + unit;
    return `${text.slice(0, open + 1)}${newline}${indent}${member(indent, unit)}${newline}${containerIndent}${text.slice(close)}`;
  }
  const first = members[0].getStart(source);
  const last = members[members.length - 1].end;
  const multiline = text.slice(open, first).includes('\n');
  // After the last member: an optional trailing comma, then an optional comment on the same line.
  let at = last;
  const skipBlanks = () => {
    while (at < close && (text[at] === ' ' || text[at] === '\t')) at++;
  };
  skipBlanks();
  const trailingComma = text[at] === ',';
  if (trailingComma) at++;
  const beforeComment = at;
  skipBlanks();
  if (text.startsWith('//', at)) {
    while (at < close && text[at] !== '\n' && text[at] !== '\r') at++;
  } else if (text.startsWith('/*', at)) {
    const end = text.indexOf('*/', at);
    at = end < 0 || end > close ? beforeComment : end + 2;
  } else {
    at = beforeComment;
  }
  if (!multiline) {
    return `${text.slice(0, at)}${trailingComma ? ' ' : ', '}${member(containerIndent, unit)}${trailingComma ? ',' : ''}${text.slice(at)}`;
  }
  const indent = lineIndent(text, first);
  const inserted = `${newline}${indent}${member(indent, unit)}${trailingComma ? ',' : ''}`;
  return trailingComma ? `${text.slice(0, at)}${inserted}${text.slice(at)}` : `${text.slice(0, last)},${text.slice(last, at)}${inserted}${text.slice(at)}`;
}

/** The whitespace at the start of the line holding `pos`. */
function lineIndent(text: string, pos: number): string {
  const start = text.lastIndexOf('\n', pos - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))![0];
}

function indentUnit(text: string): string {
  const match = /^([ \t]+)["/]/m.exec(text);
  return match ? match[1] : '  ';
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

export function normalizeRoot(root: string): string {
  const trimmed = root.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
  return trimmed === '' ? '.' : trimmed;
}
