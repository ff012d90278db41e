/**
 * A sleep that can be cut short: the outbox dispatcher is woken by a publish, and connection
 * retry loops are stopped by close(), so a process closed while its broker is down exits
 * instead of waiting on a timer.
 */
export class WakeableSleep {
  private wakeUp: (() => void) | undefined;

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  /** Ends the current sleep now (nothing happens when none is under way). */
  wake(): void {
    this.wakeUp?.();
  }
}

/** Between two attempts to reach a broker that is down. */
export const RECONNECT_PAUSE_MS = 500;
