import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';

/** A candidate module folder: its name and absolute path. */
export interface ModuleFolder {
  name: string;
  absDir: string;
}

/** How one module reaches another today: how many import statements, from which files. */
export interface ModuleEdge {
  from: string;
  to: string;
  imports: number;
  /** Project-relative files of `from` holding such imports, sorted. */
  files: string[];
}

const SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', 'build', 'coverage', '.git']);

/**
 * The module-level import graph of the given folders: every import, `export ... from`,
 * `import()`, `require()` and `import x = require()` of every source file of each folder,
 * resolved with TypeScript's own module resolution and the project's compiler options
 * (baseUrl, `paths` aliases, moduleResolution), mapped to the folder that holds the target.
 */
export function moduleImportGraph(rootDir: string, folders: readonly ModuleFolder[], options: ts.CompilerOptions): ModuleEdge[] {
  const host: ts.ModuleResolutionHost = {
    fileExists: memo(ts.sys.fileExists),
    directoryExists: memo(ts.sys.directoryExists!),
    readFile: ts.sys.readFile,
    realpath: ts.sys.realpath,
    getCurrentDirectory: () => rootDir,
  };
  const cache = ts.createModuleResolutionCache(rootDir, (f) => (ts.sys.useCaseSensitiveFileNames ? f : f.toLowerCase()), options);
  // A second, lenient resolution for relative imports a strict ESM resolution rejects
  // (extensionless imports in a project whose settings TypeScript itself would flag).
  const lenient: ts.CompilerOptions = { ...options, moduleResolution: ts.ModuleResolutionKind.Bundler, module: ts.ModuleKind.ESNext };
  const ownerOf = (file: string) => folders.find((f) => file === f.absDir || file.startsWith(f.absDir + sep) || file.startsWith(`${f.absDir}/`));

  const edges = new Map<string, ModuleEdge>();
  for (const folder of folders) {
    for (const file of sourceFiles(folder.absDir)) {
      const text = readFileSync(file, 'utf8');
      const mode = ts.getImpliedNodeFormatForFile(file, cache.getPackageJsonInfoCache(), host, options);
      for (const reference of ts.preProcessFile(text, true, true).importedFiles) {
        let resolved = ts.resolveModuleName(reference.fileName, file, options, host, cache, undefined, mode).resolvedModule;
        if (!resolved && reference.fileName.startsWith('.')) {
          resolved = ts.resolveModuleName(reference.fileName, file, lenient, host).resolvedModule;
        }
        if (!resolved || resolved.isExternalLibraryImport) continue;
        const target = ownerOf(resolved.resolvedFileName);
        if (!target || target.name === folder.name) continue;
        const key = `${folder.name}\0${target.name}`;
        const edge = edges.get(key) ?? { from: folder.name, to: target.name, imports: 0, files: [] };
        edge.imports++;
        const shown = relative(rootDir, file).split(sep).join('/');
        if (!edge.files.includes(shown)) edge.files.push(shown);
        edges.set(key, edge);
      }
    }
  }
  return [...edges.values()]
    .map((e) => ({ ...e, files: e.files.sort() }))
    .sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}

/** Source files under a folder (recursively), without declaration files and build output. */
export function sourceFiles(absDir: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name) && !entry.name.startsWith('.')) walk(join(dir, entry.name));
      } else if (SOURCE.test(entry.name) && !/\.d\.[mc]?ts$/.test(entry.name)) {
        out.push(join(dir, entry.name));
      }
    }
  };
  walk(absDir);
  return out.sort();
}

function memo(fn: (path: string) => boolean): (path: string) => boolean {
  const known = new Map<string, boolean>();
  return (path) => {
    let value = known.get(path);
    if (value === undefined) known.set(path, (value = fn(path)));
    return value;
  };
}
