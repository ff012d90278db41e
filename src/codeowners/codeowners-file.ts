import { closeSync, fstatSync, lstatSync, mkdirSync, openSync, readSync, writeFileSync, type Stats } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { errorCode, loadApplicationModules, printable } from '../core/index.js';
import { CodeownersError } from './codeowners-error.js';
import { findSection, renderSection, sectionMarkers, spliceSection, type ModuleOwnership } from './section.js';

/** GitHub ignores a CODEOWNERS file larger than this. */
const MAX_BYTES = 3 * 1024 * 1024;

/** Where GitHub looks for CODEOWNERS, in its order, relative to the repository root. */
export const CODEOWNERS_LOCATIONS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'];

export interface CodeownersOptions {
  /** The project root (where module.json files are found from). */
  rootDir: string;
  /** The file to write, relative to rootDir; default: the repository's CODEOWNERS (see `defaultCodeownersFile`). */
  out?: string;
}

export interface CodeownersPlan {
  /** Absolute path of the CODEOWNERS file. */
  file: string;
  /** The file relative to the project root, `/` separators (e.g. `CODEOWNERS`, `../../.github/CODEOWNERS`). */
  shown: string;
  /** The repository root the paths are anchored at (absolute); the project root when no `.git` is found above it. */
  repositoryRoot: string;
  /** False when no `.git` was found in the project root or above it. */
  inRepository: boolean;
  /** The project folder inside the repository: '' at its root, else e.g. `apps/api/`. */
  prefix: string;
  /** The file's bytes (as latin1 text) today; undefined when it does not exist. */
  current: string | undefined;
  /** What the file should hold; equal to `current` when nothing is to be written (no owners and no section yet). */
  next: string | undefined;
  upToDate: boolean;
  /** Whether the file has the section today. */
  hasSection: boolean;
  owned: ModuleOwnership[];
  unowned: string[];
  /** Rule lines of the section that go away and that come in, for a short diff. */
  removed: string[];
  added: string[];
}

/**
 * What `modulith codeowners` would write: loads the modules, renders the section and places it
 * in the CODEOWNERS file (an existing section replaced, else appended). Throws ModuleModelError
 * for a bad module.json, CodeownersError for a file it cannot use.
 */
export function planCodeowners(options: CodeownersOptions): CodeownersPlan {
  const rootDir = resolve(options.rootDir);
  const model = loadApplicationModules(rootDir, { allowEmpty: true, allowCycles: true });
  const gitRoot = repositoryRoot(rootDir);
  const repoRoot = gitRoot ?? rootDir;
  const inside = relative(repoRoot, rootDir).split(sep).join('/');
  const prefix = inside === '' ? '' : `${inside}/`;

  const file = options.out !== undefined ? outFile(rootDir, repoRoot, options.out) : join(repoRoot, defaultCodeownersFile(repoRoot));
  const shown = relative(rootDir, file).split(sep).join('/');
  const current = readCodeowners(file, shown);
  const section = renderSection(model, prefix);
  const markers = sectionMarkers(prefix);
  const existing = current === undefined ? undefined : findSection(current, markers, shown);
  // No owners anywhere and no section yet: nothing to route, no file to create.
  const next = section.owned.length === 0 && !existing ? current : spliceSection(current, section.lines, markers, shown);
  const before = new Set((existing?.lines ?? []).filter(isRule));
  const after = new Set(next === current ? [...before] : section.lines.filter(isRule));
  return {
    file,
    shown,
    repositoryRoot: repoRoot,
    inRepository: gitRoot !== undefined,
    prefix,
    current,
    next,
    upToDate: next === current,
    hasSection: existing !== undefined,
    owned: section.owned,
    unowned: section.unowned,
    removed: [...before].filter((l) => !after.has(l)),
    added: [...after].filter((l) => !before.has(l)),
  };
}

/** Writes the planned file (creating its folder), refusing a path through a symbolic link. Returns false when it was already up to date. */
export function writeCodeowners(plan: CodeownersPlan): boolean {
  if (plan.upToDate || plan.next === undefined) return false;
  refuseLinks(plan.repositoryRoot, plan.file, plan.shown);
  mkdirSync(dirname(plan.file), { recursive: true });
  writeFileSync(plan.file, Buffer.from(plan.next, 'latin1'));
  return true;
}

/** The root of the git repository holding `dir` (the nearest folder with a `.git` folder or file), or undefined. */
export function repositoryRoot(dir: string): string | undefined {
  let current = resolve(dir);
  for (;;) {
    if (entry(join(current, '.git'))) return current;
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/**
 * The CODEOWNERS file of a repository, relative to its root: the existing one wherever GitHub
 * finds it first (`.github/`, the root, `docs/`), else `.github/CODEOWNERS` when the repository
 * has a `.github/` folder, else `CODEOWNERS`.
 */
export function defaultCodeownersFile(repoRoot: string): string {
  const existing = CODEOWNERS_LOCATIONS.find((path) => entry(join(repoRoot, path)));
  if (existing) return existing;
  return entry(join(repoRoot, '.github'))?.isDirectory() ? '.github/CODEOWNERS' : 'CODEOWNERS';
}

/** What is at a path (not following a final link), or undefined: nothing there, or not reachable (a file where a folder should be). */
function entry(path: string): Stats | undefined {
  try {
    return lstatSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

function outFile(rootDir: string, repoRoot: string, out: string): string {
  if (out.trim() === '' || /[\0\r\n]/.test(out)) throw new CodeownersError('--out must name a file', 'write e.g. --out .github/CODEOWNERS');
  const file = resolve(rootDir, out);
  const inside = relative(repoRoot, file);
  if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    throw new CodeownersError(
      `--out '${printable(out)}' is outside the repository (${repoRoot}): CODEOWNERS paths are anchored at its root`,
      'name a file inside the repository, e.g. --out .github/CODEOWNERS',
    );
  }
  return file;
}

/** The file's bytes as latin1 text (so that what is kept is kept byte for byte), or undefined when there is none. */
function readCodeowners(file: string, shown: string): string | undefined {
  let stats: Stats | undefined;
  try {
    stats = lstatSync(file, { throwIfNoEntry: false });
  } catch (error) {
    if (errorCode(error) === 'ENOTDIR') return undefined;
    throw cannotRead(shown, error);
  }
  if (!stats) return undefined;
  if (stats.isSymbolicLink()) throw new CodeownersError(`${shown} is a symbolic link`, `replace it with the file itself (modulith codeowners never writes through a link)`);
  if (stats.isDirectory()) throw new CodeownersError(`${shown} is a directory, not a file`, `remove the directory, or name another file with --out`);
  if (!stats.isFile()) throw new CodeownersError(`${shown} is not a regular file`, 'replace it with a CODEOWNERS file');
  if (stats.size > MAX_BYTES) throw new CodeownersError(`${shown} is larger than 3 MiB, GitHub's limit for CODEOWNERS (it ignores the file)`, 'shorten it: use folder patterns rather than one line per file');
  try {
    const fd = openSync(file, 'r');
    try {
      const size = fstatSync(fd).size;
      const bytes = Buffer.alloc(Math.min(size, MAX_BYTES));
      let read = 0;
      while (read < bytes.length) {
        const n = readSync(fd, bytes, read, bytes.length - read, null);
        if (n === 0) break;
        read += n;
      }
      return bytes.subarray(0, read).toString('latin1');
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw cannotRead(shown, error);
  }
}

function cannotRead(shown: string, error: unknown): CodeownersError {
  const code = errorCode(error);
  if (code === 'EACCES' || code === 'EPERM') return new CodeownersError(`${shown} cannot be read: permission denied`, `give this user read and write access to ${shown}`);
  return new CodeownersError(`${shown} cannot be read (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`, `check that ${shown} is a readable file`);
}

/** Refuses a file whose path below the repository root passes through a symbolic link. */
function refuseLinks(repoRoot: string, file: string, shown: string): void {
  let current = repoRoot;
  for (const part of relative(repoRoot, file).split(sep)) {
    current = join(current, part);
    const stats = lstatSync(current, { throwIfNoEntry: false });
    if (!stats) return;
    if (stats.isSymbolicLink()) {
      throw new CodeownersError(`refusing to write ${shown} through the symbolic link ${relative(repoRoot, current).split(sep).join('/')}`, 'replace the link with a real folder or file, or name another file with --out');
    }
  }
}

function isRule(line: string): boolean {
  return line.trim() !== '' && !line.trimStart().startsWith('#');
}
