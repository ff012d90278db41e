type AbstractClass = abstract new (...args: any[]) => unknown;

/**
 * An object that is an instance of the facade class (so `instanceof BillingFacade` holds) and
 * implements each listed method by handing the call to `invoke`.
 */
export function implementFacade<T>(facade: AbstractClass, methods: readonly string[], invoke: (method: string, args: unknown[]) => Promise<unknown>): T {
  const target = Object.create(facade.prototype) as Record<string, unknown>;
  for (const method of methods) {
    Object.defineProperty(target, method, {
      value: (...args: unknown[]) => invoke(method, args),
      enumerable: false,
      writable: false,
    });
  }
  return target as T;
}

/** Optional trailing arguments the caller left out are not sent (JSON has no undefined). */
export function trimArguments(args: unknown[]): unknown[] {
  let end = args.length;
  while (end > 0 && args[end - 1] === undefined) end--;
  return end === args.length ? args : args.slice(0, end);
}
