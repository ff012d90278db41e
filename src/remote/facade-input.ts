import { BadRequestException } from '@nestjs/common';
import { kindOf } from './request-packet.js';

/**
 * Facade inputs are validated by the facade. A facade method may be called by another module in
 * process, by a process on the broker, or by anything that can publish there: TypeScript types
 * do not exist at runtime, so a facade checks its arguments itself before they reach a query.
 * A wrong-typed argument is a BadRequestException (a 400 over HTTP, the same class across
 * processes) naming the call and the argument, never a database error.
 *
 *   @FacadeInput(BillingFacade, { input: arg.object({ accountId: arg.id, amount: arg.integer({ min: 1 }) }) })
 *   async charge({ accountId, amount }: ChargeInput) { ... }
 */

/** Checks one value: undefined when it is fine, else what it must be (e.g. `a positive integer`). */
export type ArgRule = (value: unknown, name: string) => string | undefined;

/** The longest string `arg.id` accepts. */
const MAX_ID_LENGTH = 200;

function expect(condition: boolean, expectation: string, value: unknown): string | undefined {
  return condition ? undefined : `must be ${expectation} (got ${kindOf(value)})`;
}

/** The rules of facade arguments; combine them with `arg.object` and `arg.optional`. */
export const arg = {
  /** An identifier: a non-empty string of at most 200 characters. */
  id: ((value) =>
    expect(typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH, `a non-empty string of at most ${MAX_ID_LENGTH} characters`, value)) as ArgRule,

  /** A string; non-empty unless `allowEmpty`, at most `maxLength` characters (default 10,000). */
  string({ maxLength = 10_000, allowEmpty = false }: { maxLength?: number; allowEmpty?: boolean } = {}): ArgRule {
    const what = `${allowEmpty ? 'a string' : 'a non-empty string'} of at most ${maxLength} characters`;
    return (value) => expect(typeof value === 'string' && (allowEmpty || value.length > 0) && value.length <= maxLength, what, value);
  },

  /** A safe integer within [min, max]. */
  integer({ min, max }: { min?: number; max?: number } = {}): ArgRule {
    const what =
      min === 1 && max === undefined
        ? 'a positive integer'
        : min === 0 && max === undefined
          ? 'a non-negative integer'
          : `an integer${min !== undefined ? ` from ${min}` : ''}${max !== undefined ? ` up to ${max}` : ''}`;
    return (value) =>
      expect(typeof value === 'number' && Number.isSafeInteger(value) && (min === undefined || value >= min) && (max === undefined || value <= max), what, value);
  },

  /** One of the listed strings. */
  oneOf(...allowed: string[]): ArgRule {
    return (value) => expect(typeof value === 'string' && allowed.includes(value), `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, value);
  },

  /** An ISO 8601 date-time string (e.g. `2024-01-01T00:00:00.000Z`). */
  dateTime: ((value) =>
    expect(typeof value === 'string' && value.length <= 64 && /^\d{4}-\d\d-\d\dT/.test(value) && !Number.isNaN(Date.parse(value)), 'an ISO 8601 date-time string', value)) as ArgRule,

  /** `rule`, or absent (undefined). */
  optional(rule: ArgRule): ArgRule {
    return (value, name) => (value === undefined ? undefined : rule(value, name));
  },

  /**
   * A plain object whose fields follow `fields` (reported as `<name>.<field>`). Fields it does not
   * list are left alone: the method reads only the ones it knows.
   */
  object(fields: Record<string, ArgRule>): ArgRule {
    return (value, name) => {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return `must be an object (got ${kindOf(value)})`;
      for (const [field, rule] of Object.entries(fields)) {
        const own = Object.getOwnPropertyDescriptor(value, field)?.value;
        const problem = rule(own, `${name}.${field}`);
        // A nested object reports its own field's path.
        if (problem) return problem.startsWith(`${name}.${field}`) ? problem : `${name}.${field} ${problem}`;
      }
      return undefined;
    };
  },
};

/** Where a facade method's problem is reported: `BillingFacade.charge: input.amount must be ...`. */
function problemOf(rules: Array<[string, ArgRule]>, args: unknown[]): string | undefined {
  for (const [index, [name, rule]] of rules.entries()) {
    const problem = rule(args[index], name);
    if (problem) return problem.startsWith(`${name}.`) ? problem : `${name} ${problem}`;
  }
  return undefined;
}

type AbstractClass = abstract new (...args: any[]) => unknown;

/**
 * Method decorator for a facade implementation: checks the arguments against `params` (one rule
 * per parameter, in order, named as in the signature) before the method runs, and rejects with a
 * BadRequestException naming the facade method and the argument when one does not fit.
 */
export function FacadeInput(facade: AbstractClass, params: Record<string, ArgRule>): MethodDecorator {
  const rules = Object.entries(params);
  return (_target, method, descriptor) => {
    const original = descriptor.value as unknown;
    if (typeof original !== 'function') throw new Error(`@FacadeInput(${facade.name}) decorates a method, not '${String(method)}'`);
    const call = `${facade.name}.${String(method)}`;
    const checked = function (this: unknown, ...args: unknown[]): unknown {
      const problem = problemOf(rules, args);
      if (problem) return Promise.reject(new BadRequestException(`${call}: ${problem}`));
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    };
    Object.defineProperty(checked, 'name', { value: (original as { name: string }).name });
    return { ...descriptor, value: checked as never };
  };
}
