const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const DELAY_MS = 1000;

export interface Progress {
  update(message: string): void;
  done(): void;
}

/**
 * A spinner with the current stage on stderr, shown only on a terminal and only once a run has
 * taken longer than a second: fast runs and CI logs stay clean.
 */
export function createProgress(write: (text: string) => void, isTTY: boolean, label: string): Progress {
  if (!isTTY) return { update: () => undefined, done: () => undefined };
  let message = '';
  let frame = 0;
  let shown = false;
  let interval: NodeJS.Timeout | undefined;
  const draw = (): void => {
    shown = true;
    write(`\r\x1b[K${FRAMES[frame++ % FRAMES.length]} ${label}: ${message}`);
  };
  const timer = setTimeout(() => {
    draw();
    interval = setInterval(draw, 100);
    interval.unref();
  }, DELAY_MS);
  timer.unref();
  return {
    update(next) {
      message = next;
      if (shown) draw();
    },
    done() {
      clearTimeout(timer);
      if (interval) clearInterval(interval);
      if (shown) write('\r\x1b[K');
    },
  };
}
