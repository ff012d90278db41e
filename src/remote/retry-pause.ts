/**
 * A wait between connection attempts that close() can cut short, so a process closed while
 * its broker is down exits instead of waiting on a timer for ever.
 */
export class RetryPause {
  private wake: (() => void) | undefined;

  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  cancel(): void {
    this.wake?.();
  }
}

/** Between two attempts to reach a broker that is down. */
export const RECONNECT_PAUSE_MS = 500;
