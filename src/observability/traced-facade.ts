import { context, SpanKind, type Attributes, type Span } from '@opentelemetry/api';
import { ATTR } from './attributes.js';
import { modulithInstruments } from './instruments.js';
import { currentModule, runInModule } from './module-scope.js';
import { recordError } from './spans.js';
import { modulithTracer } from './telemetry.js';

type AbstractClass = abstract new (...args: any[]) => unknown;

const TARGET = Symbol('nest-modulith:traced-facade-target');

// Nest calls these on every provider instance: the wrapper must not expose the implementation's,
// which Nest already calls on the implementation itself (they would run twice).
const HIDDEN = new Set(['onModuleInit', 'onApplicationBootstrap', 'onModuleDestroy', 'beforeApplicationShutdown', 'onApplicationShutdown']);
// Never traced: the object's own plumbing, and `then` (which makes a value look like a Promise).
const UNTRACED = new Set([...Object.getOwnPropertyNames(Object.prototype), 'then', 'catch', 'finally']);

/**
 * The facade a hosted module exports, as its callers get it: every call of a method becomes an
 * INTERNAL span `<Facade>.<method>` plus the facade metrics, and runs inside the serving module's
 * scope (so the calls it makes record it as their caller).
 *
 * A Proxy, not a copy, so the implementation's other members keep working. It reports the facade
 * class as its prototype and constructor: `instanceof Facade` holds even for an implementation
 * that only `implements` it, and Nest's discovery (listeners, schedulers) does not find the
 * implementation's decorated methods twice. `methods` is the @Facade list; without one, every
 * method the implementation has is traced.
 */
export function traceFacade<T>(facade: AbstractClass, implementation: T, module: string, methods?: readonly string[]): T {
  if (!implementation || (typeof implementation !== 'object' && typeof implementation !== 'function')) return implementation;
  const impl = implementation as unknown as Record<PropertyKey, unknown>;
  const listed = methods ? new Set(methods) : undefined;
  const wrappers = new Map<string, (...args: unknown[]) => unknown>();
  // The proxy's own target is a fresh object of the facade's prototype; every member comes from
  // the implementation. A frozen implementation would make the Proxy invariants forbid wrapping.
  const shell = Object.create(facade.prototype as object) as object;
  // Symbol-keyed properties defined on the wrapper itself (markers such as the remote
  // subsystem's "wrapper of" link) stay on the shell, not on the implementation.
  const onShell = (property: PropertyKey) => typeof property === 'symbol' && Object.prototype.hasOwnProperty.call(shell, property);
  return new Proxy(shell, {
    get(_, property) {
      if (property === TARGET) return impl;
      if (property === 'constructor') return facade;
      if (typeof property !== 'string') return onShell(property) ? Reflect.get(shell, property) : Reflect.get(impl, property, impl);
      if (HIDDEN.has(property)) return undefined;
      const value = Reflect.get(impl, property, impl);
      if (typeof value !== 'function' || UNTRACED.has(property) || (listed && !listed.has(property))) return value;
      let wrapper = wrappers.get(property);
      if (!wrapper) {
        wrapper = (...args: unknown[]) => callTraced(facade.name, property, module, () => (impl[property] as (...a: unknown[]) => unknown).apply(impl, args));
        wrappers.set(property, wrapper);
      }
      return wrapper;
    },
    set: (_, property, value) => Reflect.set(impl, property, value, impl),
    has: (_, property) => onShell(property) || (typeof property === 'string' && HIDDEN.has(property) ? false : Reflect.has(impl, property)),
    ownKeys: () => [...new Set([...Reflect.ownKeys(impl), ...Reflect.ownKeys(shell)])],
    getOwnPropertyDescriptor: (_, property) => {
      if (onShell(property)) return Reflect.getOwnPropertyDescriptor(shell, property);
      const descriptor = Reflect.getOwnPropertyDescriptor(impl, property);
      return descriptor && { ...descriptor, configurable: true };
    },
    defineProperty: (_, property, descriptor) => Reflect.defineProperty(typeof property === 'symbol' ? shell : impl, property, descriptor),
    deleteProperty: (_, property) => Reflect.deleteProperty(onShell(property) ? shell : impl, property),
  }) as T;
}

/** The implementation behind a traced facade (or the value itself). */
export function unwrapTracedFacade<T>(facade: T): T {
  return ((facade as Record<symbol, unknown> | undefined)?.[TARGET] as T | undefined) ?? facade;
}

/**
 * Runs one call in its span and scope and records the metrics. Synchronous methods stay
 * synchronous: only a returned promise (thenable) is awaited for the span's end.
 */
function callTraced(facade: string, method: string, module: string, call: () => unknown): unknown {
  const attributes: Attributes = { [ATTR.module]: module, [ATTR.caller]: currentModule(), [ATTR.facade]: facade, [ATTR.method]: method };
  const started = performance.now();
  return modulithTracer().startActiveSpan(`${facade}.${method}`, { kind: SpanKind.INTERNAL, attributes }, context.active(), (span) => {
    let result: unknown;
    try {
      result = runInModule(module, call);
    } catch (error) {
      finish(span, attributes, started, error);
      throw error;
    }
    if (result && typeof (result as PromiseLike<unknown>).then === 'function') {
      return Promise.resolve(result).then(
        (value) => (finish(span, attributes, started), value),
        (error: unknown) => {
          finish(span, attributes, started, error);
          throw error;
        },
      );
    }
    finish(span, attributes, started);
    return result;
  });
}

function finish(span: Span, attributes: Attributes, started: number, error?: unknown): void {
  const failed = arguments.length > 3;
  if (failed) recordError(span, error);
  span.end();
  const { facadeCalls, facadeDuration } = modulithInstruments();
  const measured = { ...attributes, [ATTR.outcome]: failed ? 'error' : 'ok' };
  facadeCalls.add(1, measured);
  facadeDuration.record((performance.now() - started) / 1000, measured);
}
