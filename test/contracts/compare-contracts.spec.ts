// @modulith-covers contracts, core
import { describe, expect, it } from '@jest/globals';
import { compareContracts, entryKey, parseContract, renderContract, type ContractChange, type ModuleContract } from '../../src/core/index.js';

function contract(parts: Partial<Omit<ModuleContract, 'facades'>> & { facades?: Record<string, string[]> } = {}): ModuleContract {
  const lines = (kind: 'exports' | 'publishes' | 'listens' | 'routes', texts?: { text: string }[]) =>
    (texts ?? []).map((e) => ({ key: entryKey(kind, e.text), text: e.text }));
  return {
    module: 'billing',
    exports: lines('exports', parts.exports),
    facades: Object.entries(parts.facades ?? {}).map(([name, methods]) => ({
      name,
      methods: methods.map((text) => ({ key: entryKey('method', text), text })),
    })),
    publishes: lines('publishes', parts.publishes),
    listens: lines('listens', parts.listens),
    routes: lines('routes', parts.routes),
  };
}
const e = (...texts: string[]) => texts.map((text) => ({ key: '', text }));
const brief = (changes: ContractChange[]) => changes.map((c) => `${c.kind}: ${c.what}`);

const CHARGE = 'charge(input: { accountId: string; amount: number; jobId: string }): Promise<{ balance: number }>';

describe('compareContracts', () => {
  it('finds nothing between equal contracts, also after a Markdown round trip', () => {
    const c = contract({ facades: { BillingFacade: [CHARGE] }, publishes: e('OrderPlaced@1 { total: number }'), routes: e('GET /orders/:id params: { id: string } -> Order') });
    expect(compareContracts(c, c)).toEqual([]);
    expect(compareContracts(c, parseContract(renderContract(c))!)).toEqual([]);
  });

  it('a changed parameter property type is breaking, named by its path', () => {
    const after = contract({ facades: { BillingFacade: [CHARGE.replace('amount: number', 'amount: string')] } });
    const changes = compareContracts(contract({ facades: { BillingFacade: [CHARGE] } }), after);
    expect(changes).toEqual([
      { module: 'billing', section: 'facades', member: 'BillingFacade.charge', kind: 'breaking', what: 'BillingFacade.charge(input.amount): number -> string' },
    ]);
  });

  it('added trailing optional parameter and optional input property are compatible; required ones breaking', () => {
    const before = contract({ facades: { BillingFacade: [CHARGE] } });
    expect(brief(compareContracts(before, contract({ facades: { BillingFacade: [CHARGE.replace('})', '}, options?: { dryRun: boolean })')] } })))).toEqual([
      'compatible: BillingFacade.charge(options): added optional parameter options?: { dryRun: boolean }',
    ]);
    expect(brief(compareContracts(before, contract({ facades: { BillingFacade: [CHARGE.replace('}, options', '').replace('})', '}, force: boolean)')] } })))).toEqual([
      'breaking: BillingFacade.charge(force): added required parameter force: boolean',
    ]);
    expect(brief(compareContracts(before, contract({ facades: { BillingFacade: [CHARGE.replace('jobId: string', 'jobId: string; notAfter?: string')] } })))).toEqual([
      'compatible: BillingFacade.charge(input.notAfter): added optional notAfter?: string',
    ]);
    expect(brief(compareContracts(before, contract({ facades: { BillingFacade: [CHARGE.replace('jobId: string', 'jobId: string; notAfter: string')] } })))).toEqual([
      'breaking: BillingFacade.charge(input.notAfter): added notAfter: string',
    ]);
    expect(brief(compareContracts(before, contract({ facades: { BillingFacade: [CHARGE.replace('; jobId: string', '')] } })))).toEqual([
      'breaking: BillingFacade.charge(input.jobId): removed jobId: string',
    ]);
  });

  it('result: added property compatible, removed or changed breaking, widened union breaking', () => {
    const before = contract({ facades: { BillingFacade: [CHARGE] } });
    const withResult = (r: string) => contract({ facades: { BillingFacade: [CHARGE.replace('Promise<{ balance: number }>', r)] } });
    expect(brief(compareContracts(before, withResult('Promise<{ balance: number; currency: string }>')))).toEqual([
      'compatible: BillingFacade.charge(): result.currency: added currency: string',
    ]);
    expect(brief(compareContracts(before, withResult('Promise<{ balance: string }>')))).toEqual(['breaking: BillingFacade.charge(): result.balance: number -> string']);
    expect(brief(compareContracts(before, withResult('Promise<{}>')))).toEqual(['breaking: BillingFacade.charge(): result.balance: removed balance: number']);
    expect(brief(compareContracts(before, withResult('Promise<{ balance: number } | null>')))).toEqual(['breaking: BillingFacade.charge(): result: widened: added null']);
  });

  it('an input union narrowed is breaking, widened compatible', () => {
    const m = (t: string) => contract({ facades: { F: [`m(x: ${t}): void`] } });
    expect(brief(compareContracts(m('"a" | "b"'), m('"a" | "b" | "c"')))).toEqual(['compatible: F.m(x): widened: added "c"']);
    expect(brief(compareContracts(m('"a" | "b"'), m('"a"')))).toEqual(['breaking: F.m(x): narrowed: removed "b"']);
  });

  it('removed and added methods and facades', () => {
    const before = contract({ facades: { BillingFacade: [CHARGE, 'refund(id: string): Promise<void>'] } });
    const after = contract({ facades: { BillingFacade: [CHARGE, 'balance(accountId: string): Promise<number>'], AuditFacade: ['log(line: string): void'] } });
    expect(brief(compareContracts(before, after))).toEqual([
      'compatible: added facade AuditFacade',
      'compatible: added method BillingFacade.balance',
      'breaking: removed method BillingFacade.refund',
    ]);
    expect(brief(compareContracts(after, contract({})))).toEqual(['breaking: removed facade AuditFacade', 'breaking: removed facade BillingFacade']);
  });

  it('events: changed or removed field breaking, added optional field compatible, added required breaking', () => {
    const ev = (payload: string) => contract({ publishes: e(`OrderPlaced@1 ${payload}`) });
    const before = ev('{ orderId: string; total: number }');
    expect(brief(compareContracts(before, ev('{ orderId: string; total: string }')))).toEqual(['breaking: OrderPlaced@1.total: number -> string']);
    expect(brief(compareContracts(before, ev('{ orderId: string }')))).toEqual(['breaking: OrderPlaced@1.total: removed total: number']);
    expect(brief(compareContracts(before, ev('{ note?: string; orderId: string; total: number }')))).toEqual(['compatible: OrderPlaced@1.note: added optional note?: string']);
    expect(brief(compareContracts(before, ev('{ note: string; orderId: string; total: number }')))).toEqual(['breaking: OrderPlaced@1.note: added note: string']);
    expect(brief(compareContracts(before, contract({})))).toEqual(['breaking: removed event OrderPlaced@1']);
    expect(brief(compareContracts(contract({}), before))).toEqual(['compatible: added event OrderPlaced@1']);
  });

  it('listeners and routes', () => {
    expect(brief(compareContracts(contract({}), contract({ listens: e('billing.onOrder <- OrderPlaced@1') })))).toEqual([
      'compatible: added listener billing.onOrder <- OrderPlaced@1',
    ]);
    expect(brief(compareContracts(contract({ listens: e('billing.onOrder <- OrderPlaced@1') }), contract({ listens: e('billing.onOrder <- OrderPlaced@2') })))).toEqual([
      'breaking: listener billing.onOrder: OrderPlaced@1 -> OrderPlaced@2',
    ]);
    const route = 'POST /orders body: { total: number } -> Promise<{ id: string }>';
    expect(brief(compareContracts(contract({ routes: e(route) }), contract({})))).toEqual(['breaking: removed route POST /orders']);
    expect(brief(compareContracts(contract({}), contract({ routes: e(route) })))).toEqual([`compatible: added route ${route}`]);
    expect(brief(compareContracts(contract({ routes: e(route) }), contract({ routes: e(route.replace('total: number', 'total: number; note?: string')) })))).toEqual([
      'compatible: POST /orders body.note: added optional note?: string',
    ]);
    expect(brief(compareContracts(contract({ routes: e(route) }), contract({ routes: e(route.replace('id: string', 'id: number')) })))).toEqual([
      'breaking: POST /orders response.id: string -> number',
    ]);
  });

  it('exports: added compatible, removed breaking, interface optional property compatible', () => {
    const before = contract({ exports: e('interface ChargeInput { amount: number }', 'function total(a: number): number') });
    expect(brief(compareContracts(before, contract({ exports: e('interface ChargeInput { amount: number }') })))).toEqual([
      'breaking: removed export function total(a: number): number',
    ]);
    expect(brief(compareContracts(before, contract({ exports: e('interface ChargeInput { amount: number; note?: string }', 'function total(a: number): number', 'const VERSION: "1"') })))).toEqual([
      'compatible: ChargeInput.note: added optional note?: string',
      'compatible: added export const VERSION: "1"',
    ]);
    expect(brief(compareContracts(before, contract({ exports: e('interface ChargeInput { amount: number }', 'function total(a: string): number') })))).toEqual([
      'breaking: total(a): number -> string',
    ]);
  });

  it('exported classes: members compared one by one (static ones apart), a changed base class is breaking', () => {
    const cls = (body: string, base = 'extends Error ') => contract({ exports: e(`class LimitError ${base}{ ${body} }`) });
    const before = cls('readonly code: "limit"; constructor(limit: number); static is(error: unknown): error is LimitError');
    expect(brief(compareContracts(before, cls('readonly code: "limit"; constructor(limit: number); readonly limit: number; static is(error: unknown): error is LimitError')))).toEqual([
      'compatible: LimitError.limit: added readonly limit: number',
    ]);
    expect(brief(compareContracts(before, cls('readonly code: "limit"; constructor(limit: number)')))).toEqual([
      'breaking: LimitError.static is: removed static is(error: unknown): error is LimitError',
    ]);
    expect(brief(compareContracts(before, cls('readonly code: "limit"; constructor(limit: number); static is(error: Error): error is LimitError')))).toEqual([
      'breaking: LimitError.static is(error): unknown -> Error',
    ]);
    expect(brief(compareContracts(before, cls('readonly code: "limit"; constructor(limit: number, hard?: boolean); static is(error: unknown): error is LimitError')))).toEqual([
      'compatible: LimitError.constructor(hard): added optional parameter hard?: boolean',
    ]);
    expect(brief(compareContracts(before, cls('readonly code: "limit"; constructor(limit: number); static is(error: unknown): error is LimitError', 'extends RangeError ')))).toEqual([
      'breaking: LimitError: extends Error -> extends RangeError',
    ]);
  });

  it('a route parameter renamed or its body narrowed is breaking; a response union narrowed compatible', () => {
    const route = (text: string) => contract({ routes: e(text) });
    expect(brief(compareContracts(route('GET /a/:id params: { id: string } -> A'), route('GET /a/:id params: { id: number } -> A')))).toEqual(['breaking: GET /a/:id params.id: string -> number']);
    expect(brief(compareContracts(route('POST /a body: { n?: number } -> A'), route('POST /a body: { n: number } -> A')))).toEqual(['breaking: POST /a body.n: optional -> required']);
    expect(brief(compareContracts(route('GET /a -> { s: "a" | "b" }'), route('GET /a -> { s: "a" }')))).toEqual(['compatible: GET /a response.s: narrowed: removed "b"']);
  });
});
