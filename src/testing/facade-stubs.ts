import type { Provider } from '@nestjs/common';
import { facadeMethods, type FacadeMethodNames } from '../remote/index.js';

/** A facade class: its abstract class is the DI token. */
export type FacadeClass<T = unknown> = abstract new (...args: any[]) => T;

type Method<T, K extends keyof T> = T[K] extends (...args: infer A) => infer R ? { args: A; result: Awaited<R> } : never;
type Behaviour = (...args: unknown[]) => unknown;

/**
 * Names a stub never answers as a facade method, unless @Facade lists them: what `await`, Nest's
 * lifecycle hooks, Jest's matchers and the prototype chain probe on any object.
 */
const NOT_METHODS = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  'then', 'catch', 'finally', 'toJSON', 'asymmetricMatch', 'nodeType', 'tagName', '$$typeof', '@@__IMMUTABLE_ITERABLE__@@', '@@__IMMUTABLE_RECORD__@@',
  'onModuleInit', 'onApplicationBootstrap', 'onModuleDestroy', 'beforeApplicationShutdown', 'onApplicationShutdown',
]);

/**
 * The programmable stand-in of one facade in a slice: program a method with `on`, `returns` or
 * `throws`, read what it was called with through `calls`. Every stubbed method returns a Promise,
 * like the facade's own. An unprogrammed call rejects in a strict slice (so a test never passes
 * on a silent `undefined`) and resolves undefined otherwise.
 */
export class FacadeStub<T> {
  private readonly behaviours = new Map<string, Behaviour>();
  private readonly recorded = new Map<string, unknown[][]>();
  /** The object bound to the facade token: an instance of the facade class answering its methods. */
  readonly instance: T;

  constructor(
    readonly facade: FacadeClass<T>,
    /** The stubbed module's name, for messages. */
    readonly module: string,
    private readonly slice: { target: string; strict: boolean },
  ) {
    const declared = facadeMethods(facade);
    const answers = (name: string | symbol): name is string =>
      typeof name === 'string' && (declared ? declared.includes(name) : !NOT_METHODS.has(name));
    const methods = new Map<string, Behaviour>();
    this.instance = new Proxy(Object.create(facade.prototype) as object, {
      get: (target, name, receiver) => {
        if (!answers(name)) return Reflect.get(target, name, receiver);
        let method = methods.get(name);
        if (!method) methods.set(name, (method = (...args: unknown[]) => this.invoke(name, args)));
        return method;
      },
    }) as T;
  }

  /** Answers `method` with `behaviour` (sync or async; its result or throw becomes the call's Promise). */
  on<K extends FacadeMethodNames<T>>(method: K, behaviour: (...args: Method<T, K>['args']) => Method<T, K>['result'] | Promise<Method<T, K>['result']>): this {
    this.behaviours.set(this.checked(method), behaviour as Behaviour);
    return this;
  }

  /** Answers `method` with `value`. */
  returns<K extends FacadeMethodNames<T>>(method: K, value: Method<T, K>['result']): this {
    return this.on(method, () => value);
  }

  /** Makes `method` reject with `error`. */
  throws<K extends FacadeMethodNames<T>>(method: K, error: unknown): this {
    return this.on(method, () => {
      throw error;
    });
  }

  /** The argument lists `method` was called with, oldest first. */
  calls<K extends FacadeMethodNames<T>>(method: K): Array<Method<T, K>['args']> {
    return [...(this.recorded.get(this.checked(method)) ?? [])] as Array<Method<T, K>['args']>;
  }

  /** Forgets the programmed behaviours and the recorded calls. */
  reset(): this {
    this.behaviours.clear();
    this.recorded.clear();
    return this;
  }

  private async invoke(method: string, args: unknown[]): Promise<unknown> {
    const list = this.recorded.get(method) ?? [];
    list.push(args);
    this.recorded.set(method, list);
    const behaviour = this.behaviours.get(method);
    if (behaviour) return behaviour(...args);
    if (!this.slice.strict) return undefined;
    throw new UnprogrammedStubError(
      `${this.facade.name}.${method}() was called, but it is a stub (the slice of '${this.slice.target}' stubs '${this.module}') and nothing is programmed for '${method}'. ` +
        `Program it: slice.stubs.of(${this.facade.name}).on('${method}', async (...args) => ...) (or .returns / .throws), ` +
        `or boot '${this.module}' for real (bootstrap: 'direct-dependencies'), or create the slice with strict: false to let unprogrammed calls resolve undefined`,
    );
  }

  private checked(method: string): string {
    const declared = facadeMethods(this.facade);
    if (declared && !declared.includes(method)) {
      throw new Error(`${this.facade.name} has no method '${method}' (its @Facade lists: ${declared.join(', ')})`);
    }
    if (!declared && NOT_METHODS.has(method)) throw new Error(`'${method}' cannot be stubbed: it is not a facade method`);
    return method;
  }
}

/**
 * A call of a stub nothing was programmed for. It carries a domain error code, so it reaches the
 * test unchanged through the strict-mode facades of the slice (a plain Error would arrive as an
 * anonymous "internal error" there, as it would from another process).
 */
export class UnprogrammedStubError extends Error {
  readonly code = 'modulith-testing.unprogrammed-stub';
  override name = 'UnprogrammedStubError';
}

/** The stubs of a slice, one per facade of each stubbed module. */
export class SliceStubs {
  private readonly stubs = new Map<FacadeClass, FacadeStub<unknown>>();

  constructor(private readonly slice: { target: string; strict: boolean }) {}

  /** Creates the stubs of a stubbed module's facades; returns the providers binding them. */
  standIn(module: string, facades: readonly FacadeClass[]): Provider[] {
    return facades.map((facade) => {
      const stub = new FacadeStub(facade, module, this.slice);
      this.stubs.set(facade, stub);
      return { provide: facade, useValue: stub.instance };
    });
  }

  /** The stub bound to `facade`; throws when no stubbed module of this slice has that facade. */
  of<T>(facade: FacadeClass<T>): FacadeStub<T> {
    const stub = this.stubs.get(facade);
    if (stub) return stub as FacadeStub<T>;
    const stubbed = [...new Set([...this.stubs.values()].map((s) => `${s.module} (${s.facade.name})`))].sort();
    throw new Error(
      `${facade?.name ?? String(facade)} is not stubbed in the slice of '${this.slice.target}': ` +
        (stubbed.length > 0 ? `the stubbed facades are ${stubbed.join(', ')}` : 'it stubs no module') +
        `; a module in the slice runs for real — get its facade with slice.get(${facade?.name ?? 'Facade'})`,
    );
  }
}
