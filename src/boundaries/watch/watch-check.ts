import { CheckEngine, type CheckEngineOptions, type EngineRun } from './check-engine.js';
import { watchFiles, type FilesWatcher } from './watch-files.js';

export interface WatchCheckOptions extends CheckEngineOptions {
  /** Called after every check: the first one, then one per burst of changes. */
  onRun: (run: EngineRun & { paths: string[] }) => void;
  /** Quiet time before a re-check (ms); default 40. */
  debounceMs?: number;
}

export interface WatchSession {
  /** Stops watching (waits for a running check), and saves the caches. */
  stop(): Promise<void>;
  /** Resolves when the session ends: stopped, or with the reason when the configuration changed so that only a new process can read it. */
  done: Promise<{ restart?: string }>;
  engine: CheckEngine;
}

/**
 * `modulith check --watch` as a function: checks once, then again after every change to the
 * scanned files, a module.json or the configuration, one check at a time (changes during a check
 * start another right after it).
 */
export function watchCheck(options: WatchCheckOptions): WatchSession {
  const engine = new CheckEngine(options);
  let watcher: FilesWatcher | undefined;
  let running: Promise<void> | undefined;
  let queued: string[] | undefined;
  let stopped = false;
  let finish: (outcome: { restart?: string }) => void = () => undefined;
  const done = new Promise<{ restart?: string }>((resolve) => {
    finish = resolve;
  });
  let watchedKey = '';
  let warmed = false;

  /** Watches what the engine's configuration names; true when that changed (a check may then have missed edits made meanwhile). */
  const rewatch = (): boolean => {
    const targets = engine.watchTargets();
    const key = JSON.stringify(targets);
    if (key === watchedKey) return false;
    watchedKey = key;
    watcher?.close();
    watcher = watchFiles({ rootDir: engine.rootDir, folders: targets.folders, files: targets.files, exclude: targets.exclude, debounceMs: options.debounceMs }, (paths) => trigger(paths));
    return true;
  };

  const run = async (paths: string[]): Promise<void> => {
    const result = await engine.check();
    if (stopped) return;
    try {
      options.onRun({ ...result, paths });
    } catch {
      // a printer that throws must not end the session
    }
    if (result.restart) {
      stopped = true;
      watcher?.close();
      engine.save();
      finish({ restart: result.restart });
      return;
    }
    if (rewatch()) queued = [...(queued ?? [])];
    if (!warmed) {
      warmed = true;
      await engine.warmUp();
    }
  };
  const trigger = (paths: string[]): void => {
    if (stopped) return;
    if (running) {
      queued = [...(queued ?? []), ...paths];
      return;
    }
    running = run(paths).finally(() => {
      running = undefined;
      if (queued && !stopped) {
        const next = queued;
        queued = undefined;
        trigger(next);
      }
    });
  };
  const stop = async (): Promise<void> => {
    if (!stopped) {
      stopped = true;
      watcher?.close();
      await running?.catch(() => undefined);
      engine.save();
      finish({});
    }
    await done;
  };

  // Watch before the first check, so that nothing saved during it is missed.
  rewatch();
  trigger([]);
  return { stop, done, engine };
}
