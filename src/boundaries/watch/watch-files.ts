import { readdirSync, watch, type FSWatcher } from 'node:fs';
import { dirname, join, relative } from 'node:path';

export interface WatchFilesOptions {
  rootDir: string;
  /** Folders watched with everything below them (project-relative; `.` for the project root). */
  folders: readonly string[];
  /** Single files watched (project-relative or absolute): their folders are watched, filtered to them. */
  files: readonly string[];
  /** Path regexes (project-relative) never watched, like the check's exclude; node_modules and dot folders never are. */
  exclude?: readonly string[];
  /** Quiet time after the last event before `onChange` (ms); default 40. */
  debounceMs?: number;
  /** Longest wait while events keep coming (ms); default 300. */
  maxWaitMs?: number;
}

export interface FilesWatcher {
  close(): void;
}

/**
 * Watches folders for changes with one fs.watch per folder (Linux's recursive fs.watch in Node 20
 * walks node_modules too; this one never enters node_modules, dot folders or excluded paths), and
 * follows folders as they appear and disappear. Calls `onChange` with the project-relative paths
 * seen changing, debounced (an editor's save is often several events). Where fs.watch fails (a
 * full inotify table), it falls back to calling `onChange([])` every second: the check stat()s
 * every file anyway.
 */
export function watchFiles(options: WatchFilesOptions, onChange: (paths: string[]) => void): FilesWatcher {
  const { rootDir } = options;
  const excluded = (options.exclude ?? []).map((re) => new RegExp(re));
  const isExcluded = (path: string): boolean => excluded.some((re) => re.test(path));
  const watchers = new Map<string, FSWatcher>();
  const fileFilters = new Map<string, Set<string>>();
  const pending = new Set<string>();
  let resync = false;
  let timer: NodeJS.Timeout | undefined;
  let firstEventAt = 0;
  let poll: NodeJS.Timeout | undefined;
  let closed = false;
  const debounceMs = options.debounceMs ?? 40;
  const maxWaitMs = options.maxWaitMs ?? 300;

  const flush = (): void => {
    timer = undefined;
    if (closed) return;
    if (resync) {
      resync = false;
      sync();
    }
    const paths = [...pending].sort();
    pending.clear();
    onChange(paths);
  };
  const schedule = (): void => {
    const now = Date.now();
    if (!timer) firstEventAt = now;
    else clearTimeout(timer);
    timer = setTimeout(flush, Math.max(0, Math.min(debounceMs, firstEventAt + maxWaitMs - now)));
  };
  const startPolling = (): void => {
    poll ??= setInterval(() => onChange([]), 1000);
  };

  const add = (dir: string, onlyFiles?: Set<string>): void => {
    if (watchers.has(dir)) return;
    try {
      const watcher = watch(join(rootDir, dir), { persistent: true }, (event, name) => {
        const file = name ? String(name) : undefined;
        const filter = fileFilters.get(dir);
        if (filter && (!file || !filter.has(file)) && !recursive.has(dir)) return;
        const path = file ? (dir === '.' ? file : `${dir}/${file}`) : dir;
        if (file && (file.startsWith('.') || file === 'node_modules') && !filter?.has(file)) return;
        if (isExcluded(path)) return;
        pending.add(path);
        // A rename may be a folder appearing or disappearing: look again before the next check.
        if (event === 'rename') resync = true;
        schedule();
      });
      watcher.on('error', () => {
        watchers.get(dir)?.close();
        watchers.delete(dir);
        resync = true;
        schedule();
      });
      watchers.set(dir, watcher);
    } catch {
      if (!onlyFiles) startPolling();
    }
  };

  /** Folders to watch now: every folder under the watched ones. */
  const recursive = new Set<string>();
  const sync = (): void => {
    const wanted = new Set<string>();
    const walk = (dir: string): void => {
      wanted.add(dir);
      let entries;
      try {
        entries = readdirSync(join(rootDir, dir), { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        if (!entry.isDirectory() || entry.name.startsWith('.') || entry.name === 'node_modules') continue;
        const path = dir === '.' ? entry.name : `${dir}/${entry.name}`;
        if (!isExcluded(path)) walk(path);
      }
    };
    for (const folder of options.folders) walk(folder);
    recursive.clear();
    for (const dir of wanted) recursive.add(dir);
    fileFilters.clear();
    for (const file of options.files) {
      const rel = relative(rootDir, join(rootDir, file)).split('\\').join('/');
      const dir = dirname(rel);
      const filter = fileFilters.get(dir) ?? new Set<string>();
      filter.add(rel.slice(dir === '.' ? 0 : dir.length + 1));
      fileFilters.set(dir, filter);
    }
    // A watched folder that does not exist yet (a modules root before the first module) is seen
    // through its parent.
    for (const folder of options.folders) {
      if (wanted.has(folder) && !existsFolder(join(rootDir, folder))) {
        const parent = dirname(folder);
        const filter = fileFilters.get(parent) ?? new Set<string>();
        filter.add(folder.slice(parent === '.' ? 0 : parent.length + 1));
        fileFilters.set(parent, filter);
        wanted.delete(folder);
        recursive.delete(folder);
      }
    }
    for (const dir of fileFilters.keys()) wanted.add(dir);
    for (const [dir, watcher] of watchers) {
      if (!wanted.has(dir)) {
        watcher.close();
        watchers.delete(dir);
      }
    }
    for (const dir of wanted) add(dir, recursive.has(dir) ? undefined : fileFilters.get(dir));
  };

  sync();
  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      if (poll) clearInterval(poll);
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}

function existsFolder(path: string): boolean {
  try {
    readdirSync(path);
    return true;
  } catch {
    return false;
  }
}
