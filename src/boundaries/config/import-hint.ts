import { posix } from 'node:path';
import type { ProjectImports } from './project-imports.js';

/** A module's public API, as a fix hint must name it. */
export interface ImportTarget {
  /** Project-relative folder, e.g. `src/users`. */
  dir: string;
  /** Project-relative public entry, e.g. `src/users/index.ts`, when the module has one. */
  entry: string | undefined;
}

const TS_EXTENSION = /\.([cm]?)tsx?$/;

/** How the project writes imports, as seen in its files. */
export interface ImportStyle {
  /** The importing file writes relative imports with `.js` extensions (ESM under NodeNext). */
  jsExtensions: boolean;
  /**
   * Some file imports through baseUrl (`src/team/x`). Only then is a baseUrl path a fix that
   * works: TypeScript resolves it, but Node does not, unless the project has set that up.
   */
  baseUrlImports: boolean;
}

/**
 * The specifier a file should write to import a module's public API, one that resolves in this
 * project: the path alias that maps to the module (the shortest, when several do), else the path
 * from baseUrl (when the project imports that way), else a relative path from the importing file.
 * A folder import gets the entry file spelled out (`../users/index.js`) when the importing file
 * writes `.js` extensions, since ESM resolution imports no folders.
 */
export function importHint(target: ImportTarget, from: string, rootDir: string, imports: ProjectImports | undefined, style: ImportStyle): string {
  const { jsExtensions } = style;
  const absDir = posix.join(toPosix(rootDir), target.dir);
  const absEntry = target.entry ? posix.join(toPosix(rootDir), target.entry) : undefined;
  const folder = (specifier: string): string => (jsExtensions ? `${specifier}/${entryFile(target.entry)}` : specifier);

  const aliased = (imports?.paths ?? []).flatMap(({ alias, targets }) => targets.flatMap((t) => viaAlias(alias, toPosix(t), absDir, absEntry, folder)));
  if (aliased.length > 0) return aliased.sort((a, b) => a.length - b.length || a.localeCompare(b))[0];

  if (imports?.baseUrl !== undefined && style.baseUrlImports) {
    const fromBase = posix.relative(toPosix(imports.baseUrl), absDir);
    if (fromBase !== '' && !fromBase.startsWith('..') && !posix.isAbsolute(fromBase)) return folder(fromBase);
  }
  const relative = posix.relative(posix.dirname(from), target.dir);
  return folder(relative.startsWith('.') ? relative : `./${relative}`);
}

/** Specifiers through one alias target that name the module: its folder (`@app/users`) or its entry file (`@acme/users` -> `libs/users/src/index.ts`). */
function viaAlias(alias: string, target: string, absDir: string, absEntry: string | undefined, folder: (s: string) => string): string[] {
  const star = target.indexOf('*');
  if (star < 0) {
    if (alias.includes('*')) return [];
    if (target.replace(/\/$/, '') === absDir) return [folder(alias)];
    return absEntry !== undefined && (target === absEntry || target === absEntry.replace(TS_EXTENSION, '') || target === posix.dirname(absEntry)) ? [alias] : [];
  }
  const prefix = target.slice(0, star);
  const suffix = target.slice(star + 1);
  const out: string[] = [];
  const capture = (path: string): string | undefined =>
    path.length >= prefix.length + suffix.length && path.startsWith(prefix) && path.endsWith(suffix) ? path.slice(prefix.length, path.length - suffix.length) : undefined;
  const dirCapture = suffix === '' || suffix === '/' ? capture(suffix === '/' ? `${absDir}/` : absDir) : undefined;
  if (dirCapture) out.push(folder(alias.replace('*', dirCapture)));
  if (absEntry !== undefined && suffix !== '') {
    // A target naming files (`libs/*/src/index.ts`): the capture is the module's name in the alias.
    const entryCapture = capture(absEntry);
    if (entryCapture && !entryCapture.includes('/')) out.push(alias.replace('*', entryCapture));
  }
  return out;
}

/** `index.ts` -> `index.js`, `index.mts` -> `index.mjs`: the name ESM imports use for the entry. */
function entryFile(entry: string | undefined): string {
  return posix.basename(entry ?? 'index.ts').replace(TS_EXTENSION, (_, m: string) => `.${m}js`);
}

function toPosix(path: string): string {
  return path.split('\\').join('/');
}
