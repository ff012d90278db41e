import { AsyncLocalStorage } from 'node:async_hooks';
import { APP_CALLER } from './attributes.js';

/**
 * The module whose code is running in this async flow: set while a facade method, an event
 * listener or a module's HTTP handler runs. A facade call reads it to record its caller.
 * Our own storage, not the OpenTelemetry context: that one propagates only when an SDK installs
 * a context manager, and the caller must be right with or without one (metrics, remote headers).
 */
const scope = new AsyncLocalStorage<string>();

export function currentModule(): string {
  return scope.getStore() ?? APP_CALLER;
}

export function runInModule<T>(module: string, fn: () => T): T {
  return scope.run(module, fn);
}
