import 'reflect-metadata';

const FACADE_METHODS = 'nest-modulith:facade-methods';

/** The names of T's methods. */
export type FacadeMethodNames<T> = { [K in keyof T]-?: T[K] extends (...args: any[]) => any ? K : never }[keyof T] & string;

/**
 * Names that must never be callable from another process: they reach the prototype chain, or
 * make the client look like a Promise (`then`) to `await`.
 */
const RESERVED = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype', 'then', 'catch', 'finally']);
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * Lists a facade's methods. Abstract methods do not exist at runtime, so this list is what a
 * remote client implements and the only thing a process answers on the broker. The type makes
 * it exhaustive: adding a method to the facade without adding it here is a compile error.
 *
 *   @Facade<BillingFacade>({ openAccount: true, charge: true, refund: true, statement: true })
 *   export abstract class BillingFacade { ... }
 */
export function Facade<T>(methods: Record<FacadeMethodNames<T>, true>): (target: abstract new (...args: any[]) => T) => void {
  const names = Object.keys(methods).sort();
  return (target) => {
    for (const name of names) {
      if (!IDENTIFIER.test(name) || RESERVED.has(name)) {
        throw new TypeError(`@Facade on ${target.name}: '${name}' cannot be a facade method (reserved or not an identifier); rename the method`);
      }
    }
    Reflect.defineMetadata(FACADE_METHODS, Object.freeze(names), target);
  };
}

/** The method names @Facade declared on a facade class, or undefined when it has none. */
export function facadeMethods(facade: unknown): readonly string[] | undefined {
  if (typeof facade !== 'function') return undefined;
  return Reflect.getOwnMetadata(FACADE_METHODS, facade) as readonly string[] | undefined;
}

/** Like facadeMethods, but an error that names the facade and the fix when it has no @Facade. */
export function requireFacadeMethods(facade: abstract new (...args: any[]) => unknown, why: string): readonly string[] {
  const methods = facadeMethods(facade);
  if (!methods) {
    throw new Error(
      `${facade.name} has no @Facade({ ... }) listing its methods, and ${why}. ` +
        `Add @Facade<${facade.name}>({ methodName: true, ... }) (from 'nest-modulith') above 'abstract class ${facade.name}'`,
    );
  }
  return methods;
}
