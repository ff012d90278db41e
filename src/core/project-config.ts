import { isAbsolute, join, posix, win32 } from 'node:path';
import { readConfigFile } from './config-file.js';
import { ModuleModelError, type Problem } from './problem.js';

/** Where a project keeps its modules. Read from the `modulith` key of its package.json. */
export interface ProjectConfig {
  /** Modules roots relative to the project root. Default `['modules']`. */
  roots: string[];
}

export const DEFAULT_ROOTS = ['modules'];

const SECTION_FIX = 'set "modulith": { "roots": ["<folder holding your modules>"] } or remove the key to use modules/';

/**
 * Reads `package.json#modulith`. Missing file or key means the defaults; a malformed value is a
 * configuration error that names the file, never a silent fallback: a package.json that is not a
 * readable JSON object, a "modulith" that is not an object, "roots" that are not a non-empty list
 * of folders inside the project.
 */
export function readProjectConfig(rootDir: string): ProjectConfig {
  const text = readPackageJsonText(rootDir);
  if (text === undefined) return { roots: [...DEFAULT_ROOTS] };
  const pkg = parsePackageJson(text);
  const section = pkg.modulith;
  if (section === undefined) return { roots: [...DEFAULT_ROOTS] };
  if (typeof section !== 'object' || section === null || Array.isArray(section)) {
    throw new ModuleModelError([
      { file: 'package.json', message: `"modulith" is ${describeJson(section)}; it must be an object like { "roots": ["modules"] }`, fix: SECTION_FIX },
    ]);
  }
  const roots = (section as { roots?: unknown }).roots;
  if (roots === undefined) return { roots: [...DEFAULT_ROOTS] };
  if (!Array.isArray(roots) || roots.length === 0) {
    throw new ModuleModelError([
      {
        file: 'package.json',
        message: `"modulith.roots" is ${Array.isArray(roots) ? 'empty' : describeJson(roots)}; it must be a non-empty array of folders`,
        fix: 'set "modulith": { "roots": ["modules"] } (folders relative to the project root) or remove "roots" to use modules/',
      },
    ]);
  }
  const problems = roots.flatMap((root, i) => rootProblems(root, `"modulith.roots"[${i}]`));
  if (problems.length > 0) throw new ModuleModelError(problems);
  const normalized = (roots as string[]).map(normalizeRoot);
  return { roots: [...new Set(normalized)] };
}

/** The text of a project's package.json (BOM dropped), or undefined when it has none; unreadable is a ModuleModelError. */
export function readPackageJsonText(rootDir: string): string | undefined {
  const read = readConfigFile(join(rootDir, 'package.json'), 'package.json', { expected: "the project's package.json", bom: 'reject' });
  if (read.kind === 'missing') return undefined;
  if (read.kind === 'problem') throw new ModuleModelError([read.problem]);
  return read.text;
}

/** package.json text parsed; not JSON, or not an object, is a ModuleModelError naming it. */
export function parsePackageJson(text: string): Record<string, unknown> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ModuleModelError([{ file: 'package.json', message: `is not valid JSON (${(error as Error).message})`, fix: 'repair the JSON syntax' }]);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ModuleModelError([
      { file: 'package.json', message: `is ${describeJson(data)}; it must be a JSON object`, fix: 'write a package.json object, e.g. { "name": "my-app", "private": true }' },
    ]);
  }
  return data as Record<string, unknown>;
}

/**
 * What is wrong with a modules root given by the user (package.json or `init --modules`), or
 * nothing: it must be a non-empty folder path inside the project — not absolute, not leaving it
 * through `..`, without control characters.
 */
export function rootProblems(root: unknown, where: string, file = 'package.json'): Problem[] {
  const fix = `use a folder inside the project, relative to its root, e.g. "modules" or "src/modules"`;
  if (typeof root !== 'string' || root.trim() === '') {
    return [{ file, message: `${where} is ${describeJson(root)}; it must be a folder path`, fix }];
  }
  // Control characters (NUL, newlines) in a path are never a folder anyone meant.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f]/.test(root)) return [{ file, message: `${where} ${JSON.stringify(root)} contains control characters`, fix }];
  if (isAbsolute(root) || posix.isAbsolute(root) || win32.isAbsolute(root)) {
    return [{ file, message: `${where} '${root}' is an absolute path; modules roots are relative to the project root`, fix }];
  }
  const normalized = posix.normalize(root.replace(/\\/g, '/'));
  if (normalized === '..' || normalized.startsWith('../')) {
    return [{ file, message: `${where} '${root}' is outside the project`, fix }];
  }
  return [];
}

function normalizeRoot(root: string): string {
  const trimmed = posix.normalize(root.replace(/\\/g, '/')).replace(/^\.\//, '').replace(/\/+$/, '');
  return trimmed === '' ? '.' : trimmed;
}

/** A JSON value in words for messages: `null`, `a number (5)`, `an array`, ... */
export function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)})`;
    case 'number':
      return `a number (${value})`;
    case 'boolean':
      return `${value}`;
    case 'undefined':
      return 'missing';
    default:
      return 'an object';
  }
}
