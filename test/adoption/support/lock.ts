import { mkdirSync, rmdirSync, statSync } from 'node:fs';

/**
 * Runs `work` holding a lock directory (mkdir is atomic), so spec files running in parallel
 * workers never pack or install the same thing twice at once. A lock older than `staleMs` was
 * left by a killed run and is taken over.
 */
export async function withLock<T>(lock: string, work: () => Promise<T>, staleMs = 900_000): Promise<T> {
  const deadline = Date.now() + staleMs;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const stat = statSync(lock, { throwIfNoEntry: false });
      if (stat && Date.now() - stat.mtimeMs > staleMs) release(lock);
      else if (Date.now() > deadline) throw new Error(`timed out waiting for the lock ${lock}`);
      else await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await work();
  } finally {
    release(lock);
  }
}

function release(lock: string): void {
  try {
    rmdirSync(lock);
  } catch {
    // already gone
  }
}
