import { execFileSync } from 'node:child_process';

/**
 * The files a change touched, from git: what `modulith check --changed [--since REF]` checks.
 *
 * - without `since`: the working tree against HEAD (staged, unstaged and untracked files), from
 *   `git status --porcelain -z --untracked-files=all` (works before the first commit too);
 * - with `since`: the commits since the merge base of REF and HEAD (`git diff REF...HEAD`, i.e.
 *   what this branch did since it forked from REF, not what REF did since), plus the working tree.
 *
 * Paths are project-relative with `/` (the project may be a subfolder of the repository); files
 * outside the project are left out. REF is validated before git sees it (no option injection) and
 * resolved to a commit id; git is then only called with that id.
 */
export class ChangesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChangesError';
  }
}

export interface ChangedFiles {
  /** Project-relative paths, sorted, deduplicated (renames list both paths; deletions included). */
  files: string[];
  /** The commit the change is measured from: the merge base with REF, or HEAD (undefined before the first commit). */
  base: string | undefined;
  /** The repository path prefix of the project ('' at the repository root, else 'sub/dir/'). */
  prefix: string;
}

const MAX_REF_LENGTH = 256;

/** A REF git may be given: no leading '-', no whitespace or control characters, not too long; else ChangesError. */
export function validateRef(ref: string): string {
  const shown = JSON.stringify(ref.length > 60 ? `${ref.slice(0, 60)}…` : ref);
  if (ref.length === 0) throw new ChangesError('--since: give a git revision (a branch, tag or commit, e.g. --since origin/main)');
  if (ref.length > MAX_REF_LENGTH) throw new ChangesError(`--since ${shown}: longer than ${MAX_REF_LENGTH} characters; give a branch, tag or commit`);
  // eslint-disable-next-line no-control-regex
  if (ref.startsWith('-') || /[\s\x00-\x1f\x7f]/.test(ref)) {
    throw new ChangesError(`--since ${shown}: not a git revision (it starts with '-' or contains spaces or control characters); give a branch, tag or commit, e.g. --since origin/main`);
  }
  return ref;
}

function git(rootDir: string, args: string[]): string {
  return execFileSync('git', args, { cwd: rootDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
}

function tryGit(rootDir: string, args: string[]): string | undefined {
  try {
    return git(rootDir, args);
  } catch {
    return undefined;
  }
}

/** The files changed in the working tree (and, with `since`, by the commits since its merge base with HEAD). */
export function changedFiles(rootDir: string, options: { since?: string } = {}): ChangedFiles {
  const since = options.since === undefined ? undefined : validateRef(options.since);
  const inside = tryGit(rootDir, ['rev-parse', '--is-inside-work-tree']);
  if (inside?.trim() !== 'true') {
    throw new ChangesError(`${rootDir} is not inside a git work tree, so there is no change to check; run \`git init\` (and commit), or run \`modulith check\` without --changed`);
  }
  const prefix = git(rootDir, ['rev-parse', '--show-prefix']).trim();
  const head = tryGit(rootDir, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'])?.trim() || undefined;

  const repoPaths = new Set<string>();
  let base = head;
  if (since !== undefined) {
    const ref = tryGit(rootDir, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${since}^{commit}`])?.trim();
    if (!ref || !/^[0-9a-f]{40,64}$/.test(ref)) {
      throw new ChangesError(`--since ${JSON.stringify(since)}: unknown git revision; give a branch, tag or commit that exists here (e.g. --since origin/main; \`git fetch\` first in a shallow CI clone)`);
    }
    if (!head) throw new ChangesError('--since: the repository has no commit yet; commit first, or drop --since to check the working tree');
    const mergeBase = tryGit(rootDir, ['merge-base', ref, head])?.trim();
    if (!mergeBase || !/^[0-9a-f]{40,64}$/.test(mergeBase)) {
      throw new ChangesError(`--since ${JSON.stringify(since)}: it shares no history with HEAD; give a revision this branch started from (\`git fetch --unshallow\` in a shallow CI clone)`);
    }
    base = mergeBase;
    for (const path of git(rootDir, ['diff', '--name-only', '-z', '--no-renames', mergeBase, head]).split('\0')) if (path) repoPaths.add(path);
  }
  for (const path of statusPaths(git(rootDir, ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames']))) repoPaths.add(path);

  const files = [...repoPaths]
    .filter((p) => p.startsWith(prefix))
    .map((p) => p.slice(prefix.length))
    // Installed packages and the check's own caches (node_modules/.cache/modulith/, or
    // .modulith-cache/) are never a change of the project, even in a repository that tracks them.
    .filter((p) => p.length > 0 && !p.startsWith('.modulith-cache/') && !/(^|\/)node_modules\//.test(p))
    .sort();
  return { files, base, prefix };
}

/** The paths of `git status --porcelain=v1 -z`: "XY path\0", a rename or copy followed by "orig\0". */
export function statusPaths(output: string): string[] {
  const tokens = output.split('\0');
  const paths: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const entry = tokens[i]!;
    if (entry.length < 4) continue;
    paths.push(entry.slice(3));
    if (entry[0] === 'R' || entry[0] === 'C') {
      const original = tokens[++i];
      if (original) paths.push(original);
    }
  }
  return paths;
}

/** A file's content at a commit (undefined when it did not exist there); `commit` must be a resolved id. */
export function fileAt(rootDir: string, commit: string, prefix: string, path: string): string | undefined {
  if (!/^[0-9a-f]{40,64}$/.test(commit)) return undefined;
  return tryGit(rootDir, ['show', `${commit}:${prefix}${path}`]);
}
