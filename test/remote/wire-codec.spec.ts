// @modulith-covers remote
import { describe, expect, it } from '@jest/globals';
import {
  DEFAULT_WIRE_LIMITS,
  Facade,
  WireContractError,
  decodeWire,
  encodeWire,
  facadeMethods,
  jsonDepthExceeds,
  requireFacadeMethods,
  roundTrip,
  setWireLimits,
  toWire,
  valueDepthExceeds,
} from 'nest-modulith';

// The wire codec decides what a facade call may carry between processes (and, in strict mode,
// inside one). A value JSON would silently change must be refused, naming where it sits.

class Money {
  constructor(readonly cents: number) {}
}

function refusal(value: unknown, path = 'BillingFacade.charge arguments'): WireContractError {
  try {
    toWire(value, path);
  } catch (error) {
    expect(error).toBeInstanceOf(WireContractError);
    return error as WireContractError;
  }
  throw new Error(`toWire accepted ${String(value)}`);
}

describe('wire codec: what may cross a process boundary', () => {
  const plain = {
    text: 'é 😀 "quoted"',
    whole: 42,
    fraction: -1.5,
    zero: 0,
    yes: true,
    no: false,
    nothing: null,
    list: [1, 'a', null, { deep: [true, []] }],
    nested: { a: { b: { c: 'd' } } },
    empty: {},
  };

  it('passes JSON data through unchanged, as a copy', () => {
    const copy = toWire(plain, 'x');
    expect(copy).toEqual(plain);
    expect(copy).not.toBe(plain);
    expect(roundTrip(plain, 'x')).toEqual(plain);
    expect(decodeWire(encodeWire(plain, 'x'), 'x')).toEqual(plain);
    expect(encodeWire(plain, 'x')).toBe(JSON.stringify(plain));
  });

  it('accepts top-level scalars, arrays and objects without a prototype', () => {
    for (const value of ['s', 0, true, null, [], [[1]]]) expect(toWire(value, 'x')).toEqual(value);
    const bare = Object.assign(Object.create(null) as object, { a: 1 });
    expect(toWire(bare, 'x')).toEqual({ a: 1 });
  });

  it('drops object properties that are undefined (optional fields), as JSON does', () => {
    expect(toWire({ a: 1, b: undefined }, 'x')).toEqual({ a: 1 });
    expect(roundTrip({ a: 1, b: undefined }, 'x')).toStrictEqual({ a: 1 });
  });

  it.each([
    ['a Date', { when: new Date(0) }, 'X.when', 'a Date becomes a string on the wire'],
    ['a Map', [new Map([['a', 1]])], 'X[0]', 'a Map becomes {} on the wire'],
    ['a Set', { tags: new Set(['a']) }, 'X.tags', 'a Set becomes {} on the wire'],
    ['a class instance', { price: new Money(3) }, 'X.price', 'an instance of Money loses its class and methods'],
    ['an Error', { cause: new Error('boom') }, 'X.cause', 'an instance of Error'],
    ['a function', { onDone: () => 1 }, 'X.onDone', 'a function cannot be serialized'],
    ['a bigint', { total: 10n }, 'X.total', 'a bigint has no JSON form'],
    ['NaN', { ratio: NaN }, 'X.ratio', 'NaN is not a finite number'],
    ['Infinity', [1, [Infinity]], 'X[1][0]', 'Infinity is not a finite number'],
    ['a Uint8Array', { bytes: new Uint8Array([1, 2]) }, 'X.bytes', 'binary data does not survive JSON'],
    ['a Buffer', { bytes: Buffer.from('hi') }, 'X.bytes', 'binary data does not survive JSON'],
    ['undefined in a list', [1, undefined], 'X[1]', 'undefined is not a JSON value'],
    ['a symbol', { id: Symbol('x') }, 'X.id', 'a symbol cannot be serialized'],
    ['a __proto__ key', JSON.parse('{"user":{"__proto__":{"admin":true}}}'), 'X.user.__proto__', "the key '__proto__' is refused"],
    ['a constructor key', { user: { constructor: { prototype: { admin: true } } } }, 'X.user.constructor', "the key 'constructor' is refused"],
  ])('refuses %s, naming its path', (_kind, value, path, reason) => {
    const error = refusal(value, 'X');
    expect(error.path).toBe(path);
    expect(error.message).toBe(`${path} cannot cross a process boundary: ${error.reason}`);
    expect(error.reason).toContain(reason);
  });

  it('refuses a top-level value with the path it was given', () => {
    expect(refusal(new Date(0)).message).toMatch(/^BillingFacade\.charge arguments cannot cross a process boundary: a Date/);
    expect(() => encodeWire(new Money(1), 'reply')).toThrow(WireContractError);
    expect(() => roundTrip([new Money(1)], 'CatalogFacade.item result')).toThrow('CatalogFacade.item result[0] cannot cross a process boundary');
  });

  // A cycle is a WireContractError with its path, not a stack overflow: in strict mode and on the
  // serving side the path is all the caller learns.
  it('refuses a cyclic value, naming where the cycle closes', () => {
    const order: Record<string, unknown> = { id: 'o-1', lines: [] };
    (order.lines as unknown[]).push({ order });
    expect(refusal(order, 'X').path).toBe('X.lines[0].order');
  });

  it('accepts the same object twice when it is not a cycle, and refuses holes of sparse arrays', () => {
    const tag = { name: 'fresh' };
    expect(toWire({ a: tag, b: [tag, tag] }, 'X')).toEqual({ a: tag, b: [tag, tag] });
    // eslint-disable-next-line no-sparse-arrays
    expect(refusal([1, , 3], 'X').path).toBe('X[1]');
  });

  it('decodeWire refuses __proto__ and constructor keys anywhere, and pollutes nothing', () => {
    for (const text of ['{"__proto__":{"polluted":true}}', '{"a":[{"__proto__":{"polluted":true}}]}', '{"constructor":{"prototype":{"polluted":true}}}']) {
      expect(() => decodeWire(text, 'reply')).toThrow(WireContractError);
    }
    expect(() => decodeWire('{"a":{"__proto__":{"polluted":true}}}', 'reply')).toThrow("reply.__proto__ cannot cross a process boundary: the key '__proto__' is refused");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(decodeWire('{"a":[1,{"b":null}]}', 'reply')).toEqual({ a: [1, { b: null }] });
  });
});

// Bounded: whatever a peer sends (or a facade returns), the codec refuses it with a
// WireContractError naming the limit, before the stack or the memory can run out.
describe('wire codec: depth and size limits', () => {
  const nested = (depth: number): unknown => {
    let value: unknown = 'leaf';
    for (let i = 0; i < depth; i++) value = [value];
    return value;
  };
  const nestedText = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

  it('accepts 64 levels of nesting, and refuses 65 naming the limit', () => {
    expect(toWire(nested(64), 'X')).toEqual(nested(64));
    const error = refusal(nested(65), 'X');
    expect(error.reason).toBe('it is nested deeper than 64 levels (the wire limit)');
    expect(error.path).toBe(`X${'[0]'.repeat(64)}`);
  });

  it.each([5_000, 200_000])('refuses a value nested %i deep with a WireContractError, not a stack overflow', (depth) => {
    expect(refusal(nested(depth), 'BillingFacade.charge arguments').reason).toBe('it is nested deeper than 64 levels (the wire limit)');
    const objects = JSON.parse('{"a":'.repeat(depth) + '1' + '}'.repeat(depth));
    expect(refusal(objects, 'X').reason).toContain('nested deeper than 64 levels');
  });

  it('refuses a value larger than 1 MiB of JSON, naming the top-level path', () => {
    const error = refusal({ items: Array.from({ length: 20 }, () => 'x'.repeat(60_000)) }, 'CatalogFacade.search result');
    expect(error.message).toBe('CatalogFacade.search result cannot cross a process boundary: it is larger than 1048576 bytes of JSON (the wire limit)');
    expect(toWire({ items: Array.from({ length: 10 }, () => 'x'.repeat(60_000)) }, 'X')).toBeDefined();
  });

  it('decodeWire refuses text nested too deep or too large before parsing it', () => {
    expect(() => decodeWire(nestedText(300_000), 'reply')).toThrow('reply cannot cross a process boundary: it is nested deeper than 64 levels (the wire limit, and 4 more');
    // Wire text is a message around the values: it may nest 4 levels deeper than a value.
    expect(() => decodeWire(nestedText(69), 'reply')).toThrow('nested deeper than 64 levels');
    expect(() => decodeWire(JSON.stringify('x'.repeat(2 * 1024 * 1024)), 'reply')).toThrow('reply cannot cross a process boundary: it is larger than 1048576 bytes of JSON (the wire limit)');
    // Multi-byte characters count as the bytes they take.
    expect(() => decodeWire(JSON.stringify('é'.repeat(600_000)), 'reply')).toThrow('larger than 1048576 bytes');
    expect(decodeWire(nestedText(68), 'reply')).toEqual(JSON.parse(nestedText(68)));
  });

  it('counts brackets inside strings as text, not as nesting', () => {
    expect(jsonDepthExceeds(`{"a":"${'['.repeat(1000)}\\"${'{'.repeat(1000)}"}`, 2)).toBe(false);
    expect(jsonDepthExceeds('[[["a"]]]', 2)).toBe(true);
    expect(valueDepthExceeds(nested(100_000), 64)).toBe(true);
    expect(valueDepthExceeds({ a: [1, { b: 2 }] }, 3)).toBe(false);
  });

  it('setWireLimits changes the bounds for the process', () => {
    try {
      setWireLimits({ maxDepth: 3, maxBytes: 100 });
      expect(refusal([[[[1]]]], 'X').reason).toContain('nested deeper than 3 levels');
      expect(refusal('y'.repeat(200), 'X').reason).toContain('larger than 100 bytes');
      expect(() => setWireLimits({ maxDepth: 0 })).toThrow('wire limit maxDepth must be a positive integer');
    } finally {
      setWireLimits(DEFAULT_WIRE_LIMITS);
    }
    expect(toWire([[[[1]]]], 'X')).toEqual([[[[1]]]]);
  });
});

describe('@Facade: the methods a process answers for others', () => {
  it('records the declared methods, sorted', () => {
    @Facade<Orders>({ place: true, cancel: true })
    abstract class Orders {
      abstract place(): Promise<void>;
      abstract cancel(): Promise<void>;
    }
    expect(facadeMethods(Orders)).toEqual(['cancel', 'place']);
  });

  it.each(['then', 'catch', 'finally', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__', '__defineGetter__', 'prototype', 'not-an-identifier'])(
    "refuses '%s' as a facade method, naming the class and the method",
    (name) => {
      abstract class Exposed {}
      // A computed key, so '__proto__' becomes a property rather than the object's prototype.
      const methods = { [name]: true } as never;
      expect(() => Facade<Exposed>(methods)(Exposed)).toThrow(`@Facade on Exposed: '${name}' cannot be a facade method (reserved or not an identifier); rename the method`);
      expect(facadeMethods(Exposed)).toBeUndefined();
    },
  );

  it('a facade without @Facade has no method list, and requiring one names the class and the fix', () => {
    abstract class LegacyFacade {}
    expect(facadeMethods(LegacyFacade)).toBeUndefined();
    expect(() => requireFacadeMethods(LegacyFacade, 'it is remote')).toThrow(
      "LegacyFacade has no @Facade({ ... }) listing its methods, and it is remote. Add @Facade<LegacyFacade>({ methodName: true, ... }) (from 'nest-modulith') above 'abstract class LegacyFacade'",
    );
  });
});
