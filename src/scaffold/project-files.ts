import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { parsePackageJson, readPackageJsonText } from '../core/index.js';

/** Project-relative path with `/` separators. */
export function projectPath(rootDir: string, absPath: string): string {
  return relative(rootDir, absPath).split(sep).join('/');
}

/** Writes a new file (creating folders). Never overwrites: returns false when the file exists. */
export function writeNew(absPath: string, text: string): boolean {
  if (existsSync(absPath)) return false;
  mkdirSync(dirname(absPath), { recursive: true });
  writeFileSync(absPath, text, { flag: 'wx' });
  return true;
}

export interface PackageJson {
  text: string;
  data: Record<string, unknown>;
}

/** The project's package.json, or undefined when it has none; one that cannot be read or is not a JSON object is a ModuleModelError naming it. */
export function readPackageJson(rootDir: string): PackageJson | undefined {
  const text = readPackageJsonText(rootDir);
  return text === undefined ? undefined : { text, data: parsePackageJson(text) };
}

/**
 * The `$schema` value for a module.json in `moduleDir`: the schema shipped in
 * node_modules/nest-modulith (or this package's own when the project is nest-modulith itself),
 * relative to the module folder; undefined when neither exists.
 */
export function schemaRef(rootDir: string, moduleDir: string, pkg: PackageJson | undefined): string | undefined {
  const candidates = [
    ...(pkg?.data.name === 'nest-modulith' ? [join(rootDir, 'module.schema.json')] : []),
    join(rootDir, 'node_modules', 'nest-modulith', 'module.schema.json'),
  ];
  const found = candidates.find((c) => existsSync(c));
  return found ? relative(moduleDir, found).split(sep).join('/') : undefined;
}

/** module.json text, keys in the documented order, 2-space indent. */
export function manifestText(schema: string | undefined, name: string, dependsOn: readonly string[]): string {
  const data: Record<string, unknown> = {};
  if (schema) data.$schema = schema;
  data.name = name;
  data.dependsOn = [...dependsOn];
  return `${JSON.stringify(data, null, 2)}\n`;
}

/**
 * package.json text with `"modulith": { "roots": [...] }` set, touching nothing else: when the key
 * is new it is inserted as the last property, in the file's own indentation; an existing
 * `modulith` object is rewritten in place through JSON with the file's indentation.
 */
export function withRoots(pkg: PackageJson, roots: readonly string[]): string {
  const indent = detectIndent(pkg.text);
  const newline = pkg.text.includes('\r\n') ? '\r\n' : '\n';
  if (pkg.data.modulith === undefined) {
    const close = pkg.text.lastIndexOf('}');
    const before = pkg.text.slice(0, close).replace(/\s*$/, '');
    const empty = before.endsWith('{');
    const block = JSON.stringify({ roots }, null, indent)
      .split('\n')
      .map((line, i) => (i === 0 ? line : indent + line))
      .join(newline);
    return `${before}${empty ? '' : ','}${newline}${indent}"modulith": ${block}${newline}}${pkg.text.slice(close + 1)}`;
  }
  const data = { ...pkg.data, modulith: { ...(pkg.data.modulith as object), roots } };
  const trailing = pkg.text.endsWith('\n') ? newline : '';
  return JSON.stringify(data, null, indent).split('\n').join(newline) + trailing;
}

function detectIndent(text: string): string {
  const match = /^([ \t]+)"/m.exec(text);
  return match ? match[1] : '  ';
}

/** PascalCase of a kebab-case name: `order-history` -> `OrderHistory`. */
export function pascalCase(name: string): string {
  return name
    .split(/[-_]/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}

/** camelCase of a kebab-case name: `order-history` -> `orderHistory`. */
export function camelCase(name: string): string {
  const pascal = pascalCase(name);
  return pascal[0].toLowerCase() + pascal.slice(1);
}
