import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type ts from 'typescript';
import type { CheckPlugin, RuleDescription } from '../boundaries/index.js';
import { compareByLocation, readJsonCache, writeCacheFile, type ApplicationModules, type Violation } from '../core/index.js';

/** The rule declared config adds to the check. */
export const CONFIG_RULES: RuleDescription[] = [
  {
    id: 'undeclared-config',
    severity: 'error',
    summary: 'a module reads an environment variable its module.json "config" does not declare (process.env, ConfigService, ModuleConfig), one another module declares, or one whose name cannot be known (process.env[expression])',
    why: 'a module owns its outside world: every variable it reads is declared, so the process hosting it checks it at boot, inventories list it and an extraction knows what the new service needs',
  },
];

/** One read of an environment variable in a file: its name (undefined: computed, cannot be checked), line and how. */
export interface ConfigRead {
  name?: string;
  line: number;
  how: string;
}

/** Bump when the record's shape or the scan's meaning changes. */
const VERSION = 1;
const CACHE_FILE = 'undeclared-config.json';
const SOURCE_FILE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const DECLARATION_FILE = /\.d\.(ts|mts|cts)$/;
/** A file without any of these words reads no variable: it is not parsed. */
const MAY_READ = /env|config/i;
/** A key of ConfigService / ModuleConfig that names an environment variable (not a nested path like 'database.host'). */
const ENV_KEY = /^[A-Z_][A-Z0-9_]*$/;
/** Receivers whose get/getOrThrow reads a variable: configService, this.config, moduleConfig, ... */
const CONFIG_RECEIVER = /config/i;

/** The reads found per file, keyed by the file's content hash: a warm run reads no unchanged file. */
interface ConfigIndex {
  version: number;
  files: Record<string, { hash: string; reads: ConfigRead[] }>;
}

type Context = Parameters<CheckPlugin['run']>[1];

/**
 * Declared config as a check plugin (rule undeclared-config). In a module's files, every read of
 * an environment variable must name one its module.json "config" declares: `process.env.X`,
 * `process.env['X']`, `const { X } = process.env`, the same through `const env = process.env`,
 * and `config.get('X')` / `getOrThrow('X')` on a ConfigService or ModuleConfig (a receiver whose
 * name says config, an upper-case key). `process.env[expression]` cannot be checked and is
 * reported too (a `const` string in the same file counts as its value). A module's spec files are
 * checked like its code, as every other rule does: a test that needs a variable shows the module
 * needs it. The app shell (code in no module) may read anything.
 *
 * The scan is syntactic (TypeScript's parser, one file at a time, no Program) and cached per file
 * content: a warm run reads no unchanged file and does not load TypeScript. `onScanned` is told
 * which files a run parsed.
 */
export function configPlugin(options: { cache?: boolean; onScanned?: (run: { files: string[]; typescript: boolean }) => void } = {}): CheckPlugin {
  let memory: { rootDir: string; index: ConfigIndex } | undefined;
  const run = async (model: ApplicationModules, context: Context): Promise<Violation[]> => {
    const cacheFile = options.cache !== false && context.cacheDir ? join(context.cacheDir, CACHE_FILE) : undefined;
    const files = context.files.filter((f) => SOURCE_FILE.test(f.path) && !DECLARATION_FILE.test(f.path) && model.moduleOf(f.path) !== undefined);
    let index =
      memory?.rootDir === context.rootDir ? memory.index : cacheFile ? readJsonCache<ConfigIndex>(cacheFile, (i) => typeof i.files === 'object' && i.files !== null) : undefined;
    if (index && index.version !== VERSION) index = undefined;
    const next: ConfigIndex = { version: VERSION, files: {} };
    const changed: Array<{ path: string; hash: string; text: string }> = [];
    for (const file of files) {
      const known = index?.files[file.path];
      if (known && known.hash === file.hash) {
        next.files[file.path] = known;
        continue;
      }
      let text = '';
      try {
        text = readFileSync(resolve(context.rootDir, file.path), 'utf8');
      } catch {
        // unreadable: nothing to report
      }
      if (MAY_READ.test(text)) changed.push({ path: file.path, hash: file.hash, text });
      else next.files[file.path] = { hash: file.hash, reads: [] };
    }
    if (changed.length > 0) {
      const { default: tsApi } = await import('typescript');
      for (const file of changed) next.files[file.path] = { hash: file.hash, reads: scanConfigReads(tsApi, file.path, file.text) };
    }
    const dirty = changed.length > 0 || !index || Object.keys(index.files).length !== Object.keys(next.files).length;
    options.onScanned?.({ files: changed.map((f) => f.path).sort(), typescript: changed.length > 0 });
    memory = { rootDir: context.rootDir, index: next };
    if (cacheFile && dirty) writeCacheFile(cacheFile, JSON.stringify(next));
    return violations(model, next);
  };
  return {
    name: 'declared config',
    rules: CONFIG_RULES,
    run,
    async warmUp(model, context) {
      await run(model, context);
    },
  };
}

/** The violations of the reads against the model: computed each run (cheap), so a module.json edit needs no re-scan. */
function violations(model: ApplicationModules, index: ConfigIndex): Violation[] {
  const owners = new Map<string, string[]>();
  for (const module of model.modules) for (const variable of module.config) owners.set(variable.name, [...(owners.get(variable.name) ?? []), module.name]);
  const found: Violation[] = [];
  for (const [path, { reads }] of Object.entries(index.files)) {
    const module = model.moduleOf(path);
    if (!module) continue;
    const seen = new Set<string>();
    for (const read of reads) {
      const base = { rule: 'undeclared-config', severity: 'error' as const, from: path, fromModule: module.name, line: read.line };
      if (read.name === undefined) {
        found.push({
          ...base,
          to: 'env:[computed]',
          toModule: null,
          message: `${module.name} reads an environment variable whose name is computed (${read.how}): it cannot be checked against ${module.manifest}`,
          fix: `read each variable by its literal name and declare it in ${module.manifest} "config"`,
        });
        continue;
      }
      if (module.config.some((v) => v.name === read.name)) continue;
      const name = shown(read.name);
      if (seen.has(`${read.name}:${read.line}`)) continue;
      seen.add(`${read.name}:${read.line}`);
      const owner = (owners.get(read.name) ?? []).find((o) => o !== module.name);
      const ownerModule = owner ? model.get(owner) : undefined;
      found.push(
        ownerModule
          ? {
              ...base,
              to: `env:${name}`,
              toModule: ownerModule.name,
              message: `${module.name} reads ${name} (${read.how}), which module ${ownerModule.name} declares (${ownerModule.manifest}): a module reads only its own variables`,
              fix: `ask ${ownerModule.name} through its facade, or declare ${name} in ${module.manifest} "config" if ${module.name} needs its own setting`,
            }
          : {
              ...base,
              to: `env:${name}`,
              toModule: null,
              message: `${module.name} reads ${name} (${read.how}), which ${module.manifest} does not declare`,
              fix: `declare it in ${module.manifest} "config": "${name}": { "description": "...", "type": "string" }`,
            },
      );
    }
  }
  return found.sort(compareByLocation);
}

/**
 * The environment variables a file reads, by a syntactic walk (no types): `process.env.X`,
 * `process.env['X']`, `process.env[expr]` (name undefined), `const { X } = process.env`, the same
 * through a `const env = process.env` alias, and `<config>.get('X')` / `.getOrThrow('X')`.
 */
export function scanConfigReads(tsApi: typeof ts, path: string, text: string): ConfigRead[] {
  const source = tsApi.createSourceFile(path, text, tsApi.ScriptTarget.Latest, true, /\.(tsx|jsx)$/.test(path) ? tsApi.ScriptKind.TSX : undefined);
  const aliases = new Set<string>();
  const constants = new Map<string, string>();
  // First pass: names bound to process.env, and const strings (a computed key often is one).
  const collect = (node: ts.Node): void => {
    if (tsApi.isVariableDeclaration(node) && tsApi.isIdentifier(node.name) && node.initializer) {
      if (isProcessEnv(tsApi, node.initializer)) aliases.add(node.name.text);
      else if (tsApi.isVariableDeclarationList(node.parent) && node.parent.flags & tsApi.NodeFlags.Const && isStringLike(tsApi, node.initializer)) {
        constants.set(node.name.text, node.initializer.text);
      }
    }
    tsApi.forEachChild(node, collect);
  };
  collect(source);
  const isEnv = (node: ts.Node): boolean => isProcessEnv(tsApi, node) || (tsApi.isIdentifier(node) && aliases.has(node.text));
  const reads: ConfigRead[] = [];
  const line = (node: ts.Node): number => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const visit = (node: ts.Node): void => {
    if (tsApi.isPropertyAccessExpression(node) && isEnv(node.expression) && !isProcessEnv(tsApi, node)) {
      reads.push({ name: node.name.text, line: line(node), how: `${node.expression.getText(source)}.${node.name.text}` });
    } else if (tsApi.isElementAccessExpression(node) && isEnv(node.expression)) {
      const key = node.argumentExpression;
      const literal = isStringLike(tsApi, key) ? key.text : tsApi.isIdentifier(key) ? constants.get(key.text) : undefined;
      const receiver = node.expression.getText(source);
      if (literal !== undefined) reads.push({ name: literal, line: line(node), how: `${receiver}[...]` });
      else reads.push({ line: line(node), how: `${receiver}[${clip(key.getText(source))}]` });
    } else if (tsApi.isVariableDeclaration(node) && tsApi.isObjectBindingPattern(node.name) && node.initializer && isEnv(node.initializer)) {
      for (const element of node.name.elements) {
        const key = element.propertyName ?? element.name;
        if (element.dotDotDotToken) reads.push({ line: line(element), how: `{ ...${element.name.getText(source)} } = process.env` });
        else if (tsApi.isIdentifier(key) || isStringLike(tsApi, key)) reads.push({ name: key.text, line: line(element), how: 'destructured from process.env' });
        else reads.push({ line: line(element), how: `{ [${clip(key.getText(source))}] } = process.env` });
      }
    } else if (tsApi.isCallExpression(node) && tsApi.isPropertyAccessExpression(node.expression) && /^(get|getOrThrow)$/.test(node.expression.name.text)) {
      const receiver = node.expression.expression;
      const receiverName = tsApi.isIdentifier(receiver) ? receiver.text : tsApi.isPropertyAccessExpression(receiver) ? receiver.name.text : undefined;
      const key = node.arguments[0];
      if (receiverName && CONFIG_RECEIVER.test(receiverName) && key && isStringLike(tsApi, key) && ENV_KEY.test(key.text)) {
        reads.push({ name: key.text, line: line(node), how: `${clip(receiver.getText(source))}.${node.expression.name.text}()` });
      }
    }
    tsApi.forEachChild(node, visit);
  };
  visit(source);
  return reads;
}

function isProcessEnv(tsApi: typeof ts, node: ts.Node): boolean {
  // process.env, and globalThis.process.env
  return (
    tsApi.isPropertyAccessExpression(node) &&
    node.name.text === 'env' &&
    ((tsApi.isIdentifier(node.expression) && node.expression.text === 'process') ||
      (tsApi.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'process' && tsApi.isIdentifier(node.expression.expression) && node.expression.expression.text === 'globalThis'))
  );
}

function isStringLike(tsApi: typeof ts, node: ts.Node): node is ts.StringLiteral | ts.NoSubstitutionTemplateLiteral {
  return tsApi.isStringLiteral(node) || tsApi.isNoSubstitutionTemplateLiteral(node);
}

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}

/** A name from code in a message: it is only a string (any characters), shown printable and bounded. */
function shown(name: string): string {
  const clean = name.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 130 ? `${clean.slice(0, 128)}...` : clean;
}
