/**
 * The one codec of facade calls: what crosses a process boundary, and what strict mode makes
 * every in-process call go through, so a contract that cannot travel fails in the monolith first.
 *
 * Allowed: null, booleans, finite numbers, strings, arrays and plain objects of those. Object
 * properties whose value is undefined are dropped (optional fields), as JSON does. Everything
 * else is refused with the path of the offending value, because JSON would silently change it
 * (a Date turns into a string, a Map into {}, a class instance loses its methods).
 *
 * Bounded: a value nested deeper than `maxDepth` or larger than `maxBytes` (as JSON) is refused
 * too, by toWire and decodeWire alike, so nothing a peer sends can overflow the stack (recursion
 * is depth-counted, never deeper than the limit) or make a process copy megabytes.
 */
export class WireContractError extends TypeError {
  /** A stable code: the error crosses the wire as itself (see toWireError). */
  readonly code = 'modulith.wire-contract';

  constructor(
    /** Where the value was, e.g. `BillingFacade.charge argument 1 .createdAt`. */
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path} cannot cross a process boundary: ${reason}`);
    this.name = 'WireContractError';
  }
}

/** The bounds of the wire codec. */
export interface WireLimits {
  /** How deeply arrays and objects may nest (the top-level value is level 1). Default 64. */
  maxDepth: number;
  /**
   * How large a value may be, in bytes of JSON text (for toWire, an estimate in characters).
   * Default 1 MiB: NATS' default message limit, so whatever passes here can also travel.
   */
  maxBytes: number;
}

export const DEFAULT_WIRE_LIMITS: Readonly<WireLimits> = Object.freeze({ maxDepth: 64, maxBytes: 1024 * 1024 });

let limits: Readonly<WireLimits> = DEFAULT_WIRE_LIMITS;

/** The codec's current bounds. */
export function wireLimits(): Readonly<WireLimits> {
  return limits;
}

/**
 * Changes the codec's bounds for this process, e.g. a larger `maxBytes` when the broker's
 * `max_payload` is raised. Set the same values in every process of the app.
 */
export function setWireLimits(change: Partial<WireLimits>): void {
  const next = { ...limits, ...change };
  for (const [name, value] of Object.entries(next)) {
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`wire limit ${name} must be a positive integer (got ${String(value)})`);
  }
  limits = Object.freeze(next);
}

/** Keys that could reach an object's prototype chain when a decoded value is merged somewhere. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** What toWire carries down: the objects above the current one (a cycle) and the size so far. */
interface Walk {
  above: Set<object>;
  size: number;
  readonly root: string;
  readonly limits: Readonly<WireLimits>;
}

/** Deep-checks `value` against the wire rules and returns a copy holding only wire values. */
export function toWire(value: unknown, path: string): unknown {
  return checked(value, path, { above: new Set(), size: 0, root: path, limits }, 1);
}

function tooDeep(path: string, max: number): WireContractError {
  return new WireContractError(path, `it is nested deeper than ${max} levels (the wire limit)`);
}

function tooLarge(path: string, max: number): WireContractError {
  return new WireContractError(path, `it is larger than ${max} bytes of JSON (the wire limit)`);
}

/** Counts `bytes` of JSON text towards the size limit. */
function grow(walk: Walk, bytes: number): void {
  walk.size += bytes;
  if (walk.size > walk.limits.maxBytes) throw tooLarge(walk.root, walk.limits.maxBytes);
}

/** `depth` is the nesting level of `value` (1 at the top): recursion never goes deeper than the limit. */
function checked(value: unknown, path: string, walk: Walk, depth: number): unknown {
  switch (typeof value) {
    case 'string':
      grow(walk, value.length + 3);
      return value;
    case 'boolean':
      grow(walk, 6);
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw new WireContractError(path, `${value} is not a finite number (JSON writes it as null)`);
      grow(walk, 8);
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
  if (value === null) {
    grow(walk, 5);
    return null;
  }
  const object = value as object;
  if (depth > walk.limits.maxDepth) throw tooDeep(path, walk.limits.maxDepth);
  const { above } = walk;
  if (above.has(object)) throw new WireContractError(path, 'the value refers back to an object that contains it (a cycle); JSON cannot write it');
  above.add(object);
  try {
    grow(walk, 2);
    if (Array.isArray(object)) {
      const out: unknown[] = [];
      for (let index = 0; index < object.length; index++) {
        if (!(index in object)) throw new WireContractError(`${path}[${index}]`, 'a hole in a sparse array becomes null on the wire; fill it');
        out.push(checked(object[index], `${path}[${index}]`, walk, depth + 1));
      }
      return out;
    }
    const kind = nonPlainKind(object);
    if (kind) throw new WireContractError(path, kind);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(object)) {
      if (FORBIDDEN_KEYS.has(key)) throw new WireContractError(`${path}.${key}`, `the key '${key}' is refused (prototype pollution)`);
      if (item === undefined) continue;
      grow(walk, key.length + 4);
      out[key] = checked(item, `${path}.${key}`, walk, depth + 1);
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

/**
 * Parses wire text, refusing text larger or nested deeper than the limits (checked on the text,
 * before parsing) and keys that reach prototypes. Malformed JSON throws the parser's SyntaxError.
 */
export function decodeWire(text: string, path: string): unknown {
  checkWireText(text, path);
  return JSON.parse(text, (key, item) => {
    if (FORBIDDEN_KEYS.has(key)) throw new WireContractError(`${path}.${key}`, `the key '${key}' is refused (prototype pollution)`);
    return item;
  });
}

/**
 * Levels a broker message adds around the values it carries (`{ data: { args: [...] } }`,
 * `{ response: { value: ... } }`): wire text may nest that much deeper than a value.
 */
export const ENVELOPE_DEPTH = 4;

/**
 * Throws WireContractError when `text` is larger than the limit, or nested deeper than the limit
 * plus ENVELOPE_DEPTH (the values inside are checked again, exactly, by toWire); one pass, no parsing.
 */
export function checkWireText(text: string, path: string): void {
  const { maxBytes, maxDepth } = limits;
  // Characters never outnumber UTF-8 bytes: only a text that may be too large is measured.
  if (text.length > maxBytes || (text.length * 3 > maxBytes && Buffer.byteLength(text) > maxBytes)) throw tooLarge(path, maxBytes);
  if (jsonDepthExceeds(text, maxDepth + ENVELOPE_DEPTH)) {
    throw new WireContractError(path, `it is nested deeper than ${maxDepth} levels (the wire limit, and ${ENVELOPE_DEPTH} more for the message around the values)`);
  }
}

/**
 * Whether JSON text nests arrays and objects deeper than `maxDepth`, found by one pass over the
 * text (brackets inside strings do not count), without parsing or recursion: safe on any input.
 */
export function jsonDepthExceeds(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \\ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > maxDepth) return true;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      depth--;
    }
  }
  return false;
}

/**
 * Whether a parsed value nests arrays and objects deeper than `maxDepth`; iterative, so safe on
 * any value (e.g. a request body a JSON parser already read).
 */
export function valueDepthExceeds(value: unknown, maxDepth: number): boolean {
  const pending: Array<[unknown, number]> = [[value, 1]];
  const seen = new Set<object>();
  while (pending.length > 0) {
    const [item, depth] = pending.pop()!;
    if (item === null || typeof item !== 'object' || seen.has(item)) continue;
    if (depth > maxDepth) return true;
    seen.add(item);
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (child !== null && typeof child === 'object') pending.push([child, depth + 1]);
    }
  }
  return false;
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
