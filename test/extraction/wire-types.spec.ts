// @modulith-covers extraction
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { analyzeExtraction, type ExtractionReport } from '../../src/extraction/index.js';
import { manifest, removeProjects, writeProject } from './support/shop.js';

afterAll(removeProjects);

/**
 * One facade whose methods each take (or return) one kind of value; the walk over the types must
 * judge each the way the wire codec would judge the value at runtime.
 */
const TYPES = `import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Readable } from 'node:stream';

export enum Kind { Image = 'image', Video = 'video' }
export interface Plain { id: string; kind: Kind; size: number; tags: readonly string[]; meta: Record<string, string | number>; note?: string; parent: Plain | null }
export interface Page<T> { items: T[]; next: string | null }
export interface Stamped { id: string; at: Date }
export type Slim = Omit<Stamped, 'at'>;
export type OnlyAt = Pick<Stamped, 'at'>;
export class Money { amount = 0; currency = 'EUR'; }
export class Clock { now = new Date(); }
export class Price { constructor(readonly cents: number) {} format(): string { return String(this.cents); } }
export class Problem extends Error {}
@Entity('things') export class Thing { @PrimaryColumn() id!: string; }
`;

const FACADE = `import { Facade } from 'nest-modulith';
import type { Readable } from 'node:stream';
import type { Decimal } from 'decimal.js';
import type { Clock, Kind, Money, Page, Plain, Price, Problem, Slim, OnlyAt, Stamped, Thing } from './types.js';

@Facade<MediaFacade>({
  plain: true, page: true, pageOfDates: true, slim: true, onlyAt: true, map: true, set: true, big: true, sym: true,
  callback: true, bytes: true, buffer: true, price: true, money: true, problem: true, entity: true, holes: true,
  nested: true, clock: true, anything: true, unknowable: true, stream: true, recordOfDates: true, optional: true, tuple: true, generic: true,
})
export abstract class MediaFacade {
  abstract plain(input: Plain): Promise<Plain[]>;
  abstract page(kind: Kind): Promise<Page<Plain>>;
  abstract pageOfDates(): Promise<Page<Stamped>>;
  abstract slim(): Promise<Slim>;
  abstract onlyAt(): Promise<OnlyAt>;
  abstract map(): Promise<Map<string, number>>;
  abstract set(ids: Set<string>): Promise<void>;
  abstract big(): Promise<{ total: bigint }>;
  abstract sym(key: symbol): Promise<void>;
  abstract callback(input: { onDone: (id: string) => void }): Promise<void>;
  abstract bytes(): Promise<Uint8Array | null>;
  abstract buffer(data: Buffer): Promise<void>;
  abstract price(): Promise<Price>;
  abstract money(): Promise<Money>;
  abstract problem(): Promise<Problem>;
  abstract entity(): Promise<Thing>;
  abstract holes(): Promise<Array<string | undefined>>;
  abstract nested(): Promise<{ later: Promise<string> }>;
  abstract clock(): Promise<Clock>;
  abstract anything(input: any): Promise<unknown>;
  abstract unknowable(): Promise<Decimal>;
  abstract stream(): Promise<{ body: Readable }>;
  abstract recordOfDates(): Promise<Record<string, Date>>;
  abstract optional(id: string, label?: string): Promise<void>;
  abstract tuple(): Promise<[string, number?]>;
  abstract generic<T>(value: T): Promise<T>;
}
`;

let report: ExtractionReport;
beforeAll(async () => {
  report = await analyzeExtraction({
    rootDir: writeProject({
      'modules/media/module.json': manifest('media'),
      'modules/media/index.ts': "export { MediaFacade } from './media.facade.js';\nexport type { Plain, Page, Stamped, Slim, OnlyAt, Kind } from './types.js';\n",
      'modules/media/types.ts': TYPES,
      'modules/media/media.facade.ts': FACADE,
    }),
    module: 'media',
    cache: false,
  });
});

/** `severity path: reason` of one method's issues. */
function issues(method: string): string[] {
  const found = report.facades[0].methods.find((m) => m.name === method);
  if (!found) throw new Error(`no method ${method}`);
  return found.issues.map((i) => `${i.severity} ${i.path}: ${i.reason}`);
}

describe('wire rules applied to facade types', () => {
  it('plain data passes: primitives, enums, literal unions, arrays, records, optional and recursive properties, generic interfaces', () => {
    expect(issues('plain')).toEqual([]);
    expect(issues('page')).toEqual([]);
    expect(issues('slim')).toEqual([]);
  });

  it('follows generic arguments and Pick/Omit into the properties they keep', () => {
    expect(issues('pageOfDates')).toEqual(['blocker result.items[].at: is a Date, which becomes a string on the wire']);
    expect(issues('onlyAt')).toEqual(['blocker result.at: is a Date, which becomes a string on the wire']);
    expect(issues('recordOfDates')).toEqual(['blocker result[key]: is a Date, which becomes a string on the wire']);
  });

  it.each([
    ['map', 'blocker result: is a Map, which becomes {} on the wire'],
    ['set', 'blocker ids: is a Set, which becomes {} on the wire'],
    ['big', 'blocker result.total: is a bigint, which has no JSON form'],
    ['sym', 'blocker key: is a symbol, which cannot be serialized'],
    ['callback', 'blocker input.onDone: is a function, which cannot be serialized'],
    ['bytes', 'blocker result: is binary data, which does not survive JSON'],
    ['buffer', 'blocker data: is binary data, which does not survive JSON'],
    ['price', 'blocker result: is an instance of Price, whose methods (format) do not survive JSON'],
    ['problem', 'blocker result: is an instance of Problem, a subclass of Error, which loses its class and methods on the wire'],
    ['entity', 'blocker result: is the TypeORM entity Thing, which must not leave its module'],
    ['holes', 'blocker result[]: may hold undefined elements, which the codec refuses (JSON would turn them into null)'],
    ['nested', 'blocker result.later: is a Promise inside a value, which cannot be sent'],
    ['tuple', 'blocker result[1]: may hold undefined elements, which the codec refuses (JSON would turn them into null)'],
  ])('%s: %s', (method, expected) => {
    expect(issues(method)).toEqual([expected]);
  });

  it('what cannot be verified is a warning: any, unknown, npm types, type parameters, data classes, optional arguments', () => {
    expect(issues('anything')).toEqual(['warning input: is any, so it cannot be verified', 'warning result: is unknown, so it cannot be verified']);
    expect(issues('unknowable')).toEqual(["warning result: is Decimal from 'decimal.js', declared outside the project, so it cannot be verified"]);
    expect(issues('generic')).toEqual([
      'warning value: is the type parameter T, so it cannot be verified',
      'warning result: is the type parameter T, so it cannot be verified',
    ]);
    expect(issues('money')).toEqual(['warning result: is the class Money: it arrives as a plain object, not an instance (instanceof Money fails)']);
    expect(issues('optional')).toEqual(['warning label: is optional: an argument passed as undefined is refused by the codec (undefined array element)']);
  });

  it('a data class is checked through its properties, typed or initialised', () => {
    expect(issues('clock')).toEqual([
      'warning result: is the class Clock: it arrives as a plain object, not an instance (instanceof Clock fails)',
      'blocker result.now: is a Date, which becomes a string on the wire',
    ]);
  });

  it('a known npm type with behaviour (a stream) inside a value is a blocker', () => {
    expect(issues('stream')).toEqual(['blocker result.body: is an instance of Readable, which loses its class and methods on the wire']);
  });

  it('every issue is a finding of the report, blockers before warnings', () => {
    const severities = report.findings.map((f) => f.severity);
    expect(severities.indexOf('warning')).toBeGreaterThan(severities.lastIndexOf('blocker'));
    expect(report.blockers).toBe(report.facades[0].methods.flatMap((m) => m.issues).filter((i) => i.severity === 'blocker').length);
    expect(report.ready).toBe(false);
  });
});
