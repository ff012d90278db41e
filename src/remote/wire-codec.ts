/**
 * The one codec of facade calls: what crosses a process boundary, and what strict mode makes
 * every in-process call go through, so a contract that cannot travel fails in the monolith first.
 *
 * Allowed: null, booleans, finite numbers, strings, arrays and plain objects of those. Object
 * properties whose value is undefined are dropped (optional fields), as JSON does. Everything
 * else is refused with the path of the offending value, because JSON would silently change it
 * (a Date turns into a string, a Map into {}, a class instance loses its methods).
 */
export class WireContractError extends TypeError {
  constructor(
    /** Where the value was, e.g. `BillingFacade.charge argument 1 .createdAt`. */
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path} cannot cross a process boundary: ${reason}`);
    this.name = 'WireContractError';
  }
}

/** Keys that could reach an object's prototype chain when a decoded value is merged somewhere. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Deep-checks `value` against the wire rules and returns a copy holding only wire values. */
export function toWire(value: unknown, path: string): unknown {
  return checked(value, path, new Set());
}

/** `above` holds the objects containing the current one: meeting one again is a cycle. */
function checked(value: unknown, path: string, above: Set<object>): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw new WireContractError(path, `${value} is not a finite number (JSON writes it as null)`);
      return value;
    case 'undefined':
      throw new WireContractError(path, 'undefined is not a JSON value; use null or leave the property out');
    case 'bigint':
      throw new WireContractError(path, 'a bigint has no JSON form; send it as a string');
    case 'symbol':
      throw new WireContractError(path, 'a symbol cannot be serialized');
    case 'function':
      throw new WireContractError(path, 'a function cannot be serialized; return data, not behaviour');
  }
  if (value === null) return null;
  const object = value as object;
  if (above.has(object)) throw new WireContractError(path, 'the value refers back to an object that contains it (a cycle); JSON cannot write it');
  above.add(object);
  try {
    if (Array.isArray(object)) {
      const out: unknown[] = [];
      for (let index = 0; index < object.length; index++) {
        if (!(index in object)) throw new WireContractError(`${path}[${index}]`, 'a hole in a sparse array becomes null on the wire; fill it');
        out.push(checked(object[index], `${path}[${index}]`, above));
      }
      return out;
    }
    const kind = nonPlainKind(object);
    if (kind) throw new WireContractError(path, kind);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(object)) {
      if (FORBIDDEN_KEYS.has(key)) throw new WireContractError(`${path}.${key}`, `the key '${key}' is refused (prototype pollution)`);
      if (item === undefined) continue;
      out[key] = checked(item, `${path}.${key}`, above);
    }
    return out;
  } finally {
    above.delete(object);
  }
}

function nonPlainKind(value: object): string | undefined {
  if (value instanceof Date) return 'a Date becomes a string on the wire; send an ISO 8601 string';
  if (value instanceof Map || value instanceof Set) return `a ${value.constructor.name} becomes {} on the wire; send an array or a plain object`;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return 'binary data does not survive JSON; send a base64 string';
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) return undefined;
  const name = (proto?.constructor as { name?: string } | undefined)?.name || 'an anonymous class';
  return `an instance of ${name} loses its class and methods on the wire; send a plain object`;
}

/** Serializes a value for the wire (checked first). */
export function encodeWire(value: unknown, path: string): string {
  return JSON.stringify(toWire(value, path));
}

/** Parses wire text, refusing keys that reach prototypes. */
export function decodeWire(text: string, path: string): unknown {
  return JSON.parse(text, (key, item) => {
    if (FORBIDDEN_KEYS.has(key)) throw new WireContractError(`${path}.${key}`, `the key '${key}' is refused (prototype pollution)`);
    return item;
  });
}

/**
 * What a value becomes after a trip over the wire; strict mode's in-process stand-in for the trip.
 * toWire's copy is exactly what JSON.parse(JSON.stringify(v)) gives for the values it accepts
 * (but -0, which JSON writes as 0), at a fraction of the cost: no text, no reviver.
 */
export function roundTrip<T>(value: T, path: string): T {
  if (value === undefined) return value; // a void result: nothing travels
  return toWire(value, path) as T;
}
