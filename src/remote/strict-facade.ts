import { requireFacadeMethods } from './facade.decorator.js';
import { implementFacade, trimArguments } from './facade-object.js';
import { roundTrip } from './wire-codec.js';
import { Logger } from '@nestjs/common';
import { fromWireError, logWireErrors, toWireError } from './wire-error.js';

type AbstractClass = abstract new (...args: any[]) => unknown;

/**
 * Strict mode: the facade that callers in this process receive sends every call through the
 * wire codec, exactly as a remote call would, but stays in process. Arguments and results are
 * round-tripped (a Date argument, a class instance result... fail here, in the monolith's own
 * tests) and errors come back as they would from another process: an error the facade did not
 * mean to send (no HttpException, no domain error) becomes a generic one with an error id, and
 * the original is logged here under that id.
 */
export function strictFacade<T>(facade: AbstractClass, implementation: T, module = facade.name): T {
  const methods = requireFacadeMethods(facade, 'strict mode round-trips every facade call through the wire codec');
  const target = implementation as Record<string, (...args: unknown[]) => unknown>;
  for (const method of methods) {
    if (typeof target[method] !== 'function') {
      throw new Error(`@Facade on ${facade.name} lists '${method}', but its implementation ${describe(implementation)} has no such method`);
    }
  }
  const wrapper = implementFacade<T>(facade, methods, async (method, args) => {
    const call = `${facade.name}.${method}`;
    const wireArgs = roundTrip(trimArguments(args), `${call} arguments`);
    let result: unknown;
    try {
      result = await target[method](...wireArgs);
    } catch (error) {
      // toWireError keeps only wire values: what crosses a process, nothing more.
      throw fromWireError(toWireError(error, { module, method, facade: facade.name }, logStrictErrors));
    }
    return roundTrip(result, `${call} result`);
  });
  return markFacadeWrapper(wrapper as object, implementation) as T;
}

const logStrictErrors = logWireErrors(new Logger('StrictFacade'));

const IMPLEMENTATION = Symbol('nest-modulith:strict-facade-implementation');

/** The implementation behind a strict-mode facade (or the value itself): what a broker server calls, the codec being on the wire already. */
export function unwrapStrictFacade<T>(facade: T): T {
  return ((facade as Record<symbol, unknown>)?.[IMPLEMENTATION] as T | undefined) ?? facade;
}

/**
 * Marks `wrapper` as an in-process wrapper of `implementation` (strict mode, tracing): a broker
 * server unwraps it and calls the implementation, recording the call itself.
 */
export function markFacadeWrapper<T extends object>(wrapper: T, implementation: unknown): T {
  Object.defineProperty(wrapper, IMPLEMENTATION, { value: implementation, enumerable: false });
  return wrapper;
}

/** The innermost implementation behind any stack of marked wrappers (bounded: a cycle cannot loop). */
export function unwrapFacade<T>(facade: T): T {
  let current = facade;
  for (let depth = 0; depth < 8; depth++) {
    const inner = unwrapStrictFacade(current);
    if (inner === current) break;
    current = inner;
  }
  return current;
}

function describe(value: unknown): string {
  return (value as { constructor?: { name?: string } })?.constructor?.name ?? 'the bound value';
}
