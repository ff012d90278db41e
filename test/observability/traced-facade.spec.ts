// @modulith-covers observability, events, runtime
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { runInModule, traceFacade, unwrapTracedFacade } from '../../src/observability/index.js';
import { startTestTelemetry, type TestTelemetry } from '../support/otel.js';

let telemetry: TestTelemetry;
beforeAll(() => {
  telemetry = startTestTelemetry();
});
afterAll(async () => {
  await telemetry.stop();
});
beforeEach(() => telemetry.reset());

/** No @Facade list: every method of the implementation is traced. */
abstract class PlainFacade {
  abstract greet(name: string): string;
}

class PlainService implements PlainFacade {
  readonly prefix = 'hello';
  initialised = 0;
  #secret = 'private fields keep working';
  greet(name: string): string {
    return `${this.prefix} ${name}`;
  }
  secret(): string {
    return this.#secret;
  }
  onModuleInit(): void {
    this.initialised++;
  }
}

describe('traceFacade', () => {
  it('traces every method of a facade without a method list, keeping members, private fields and the facade type', () => {
    const impl = new PlainService();
    const facade = traceFacade(PlainFacade, impl, 'greeter') as PlainService;
    expect(facade).toBeInstanceOf(PlainFacade);
    expect(facade.constructor).toBe(PlainFacade);
    expect(runInModule('caller', () => facade.greet('you'))).toBe('hello you');
    expect(facade.secret()).toBe('private fields keep working');
    expect(facade.prefix).toBe('hello');
    expect(unwrapTracedFacade(facade)).toBe(impl);
    const [greet] = telemetry.spans();
    expect(greet?.name).toBe('PlainFacade.greet');
    expect(greet?.attributes).toMatchObject({ 'modulith.module': 'greeter', 'modulith.caller': 'caller' });
  });

  it('hides Nest lifecycle hooks (Nest already calls them on the implementation)', () => {
    const facade = traceFacade(PlainFacade, new PlainService(), 'greeter') as PlainService;
    expect(facade.onModuleInit).toBeUndefined();
    expect('onModuleInit' in facade).toBe(false);
  });

  it('traces only the listed methods when there is a list, and wraps a frozen implementation', () => {
    const impl = Object.freeze({ greet: (name: string) => `hi ${name}`, other: () => 1 });
    const facade = traceFacade(PlainFacade, impl, 'greeter', ['greet']) as typeof impl;
    expect(facade.greet('x')).toBe('hi x');
    expect(facade.other()).toBe(1);
    expect(telemetry.spans().map((span) => span.name)).toEqual(['PlainFacade.greet']);
  });

  it('keeps symbol markers defined on the wrapper on the wrapper', () => {
    const impl = new PlainService();
    const facade = traceFacade(PlainFacade, impl, 'greeter');
    const marker = Symbol('marker');
    Object.defineProperty(facade, marker, { value: 'wrapped', enumerable: false });
    expect((facade as unknown as Record<symbol, unknown>)[marker]).toBe('wrapped');
    expect((impl as unknown as Record<symbol, unknown>)[marker]).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(facade, marker)?.value).toBe('wrapped');
  });
});
