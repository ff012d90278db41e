// @modulith-covers remote
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { ServiceUnavailableException, type INestApplication } from '@nestjs/common';
import { connect, headers, type MsgHdrs, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { CALL_REFUSED, CONTRACT_HEADER, CONTRACT_SKEW, ContractSkewError, MAX_HEADER_BYTES, subjects } from 'nest-modulith';
import { CatalogFacade, catalogCalls } from './fixtures/modules/catalog/index.js';
import { ShopFacade } from './fixtures/modules/shop/index.js';
import { brokerOptions, rejectionOf, uniqueNamespace } from './support/apps.js';
import {
  CATALOG_BREAKING,
  CATALOG_COMPATIBLE,
  CATALOG_V1,
  fingerprintOf,
  fixtureBuild,
  LogCapture,
  PRICING_V1,
  serveCatalogProcess,
  startBuild,
  type FixtureBuild,
  type ServingProcess,
} from './support/contracts.js';
import { describeWhen, NATS_URL, natsUnavailable } from './support/nats.js';

// Contract skew between processes: the process serving catalog and the one calling it are booted
// from different "builds" of the fixture (folders holding module.json and a module.api.md version
// per module), on the real broker. Same contract: calls work. A compatible change on the serving
// side: calls work, the caller logs it once. A breaking change: the call fails in the caller with
// ContractSkewError, nothing runs. No module.api.md on a side: no check. A hostile header: an
// answer, at once.

const natsMissing = await natsUnavailable();

const V1 = fingerprintOf('CatalogFacade', CATALOG_V1);
const COMPATIBLE = fingerprintOf('CatalogFacade', CATALOG_COMPATIBLE);
const BREAKING = fingerprintOf('CatalogFacade', CATALOG_BREAKING);
const PRICING = fingerprintOf('PricingFacade', PRICING_V1);

const skewWarnings = (logs: LogCapture) => logs.at('warn', /^contract skew with module 'catalog'/);

/** Every request on catalog's method subjects, seen by a plain (non-queue) subscriber: what went over the wire. */
function watchCalls(raw: NatsConnection, namespace: string): { seen: Array<{ subject: string; contract: string }>; subscription: Subscription } {
  const seen: Array<{ subject: string; contract: string }> = [];
  const subscription = raw.subscribe(`${subjects.facade(namespace, 'catalog', 'CatalogFacade')}.*`, {
    callback: (_error, message) => {
      seen.push({ subject: message.subject, contract: message.headers?.get(CONTRACT_HEADER) ?? '' });
    },
  });
  return { seen, subscription };
}

/** Two in-process apps: `serving` hosts catalog from the build `served` makes, `calling` hosts the rest from `calls`. */
function pair(label: string, served: () => FixtureBuild, calls: () => FixtureBuild) {
  const namespace = uniqueNamespace(label);
  const logs = new LogCapture();
  const apps: { serving?: INestApplication; calling?: INestApplication; raw?: NatsConnection; builds: FixtureBuild[] } = { builds: [] };
  beforeAll(async () => {
    apps.builds = [served(), calls()];
    apps.serving = await startBuild(apps.builds[0], { serve: ['catalog'], broker: brokerOptions(namespace) }, logs);
    apps.calling = await startBuild(apps.builds[1], { remote: ['catalog'], broker: brokerOptions(namespace) }, logs);
    apps.raw = await connect({ servers: NATS_URL });
  });
  afterAll(async () => {
    await apps.raw?.close();
    await apps.calling?.close();
    await apps.serving?.close();
    for (const build of apps.builds) build.dispose();
  });
  return { namespace, logs, apps };
}

describeWhen(natsMissing, 'contract skew: caller and callee built from the same contract', () => {
  const build = () => fixtureBuild({ catalog: CATALOG_V1, pricing: PRICING_V1 });
  const { namespace, logs, apps } = pair('same', build, build);

  it("calls work, each carrying the fingerprint of the caller's copy of the contract in a header", async () => {
    const { seen, subscription } = watchCalls(apps.raw!, namespace);
    await apps.raw!.flush();
    try {
      expect(await apps.calling!.get(CatalogFacade).item('kiwi')).toEqual({ id: 'kiwi', name: 'Item kiwi', price: 40, tags: ['new'] });
      expect(await apps.calling!.get(CatalogFacade).search('ap')).toEqual(['apple', 'apricot']);
      await apps.raw!.flush();
    } finally {
      subscription.unsubscribe();
    }
    // One request per call (no skew answer, no resend), each with the V1 fingerprint.
    expect(seen).toEqual([
      { subject: `${subjects.facade(namespace, 'catalog', 'CatalogFacade')}.item`, contract: V1 },
      { subject: `${subjects.facade(namespace, 'catalog', 'CatalogFacade')}.search`, contract: V1 },
    ]);
  });

  it('calls the other way (catalog asking pricing in the calling app) carry pricing’s fingerprint, and nothing logs skew', async () => {
    const pricing = apps.raw!.subscribe(`${subjects.facade(namespace, 'pricing', 'PricingFacade')}.*`);
    const headersSeen: string[] = [];
    void (async () => {
      for await (const message of pricing) headersSeen.push(message.headers?.get(CONTRACT_HEADER) ?? '');
    })();
    await apps.raw!.flush();
    expect(await apps.calling!.get(ShopFacade).quote('fig', 2)).toEqual({ itemId: 'fig', total: 60 });
    await apps.raw!.flush();
    pricing.unsubscribe();
    expect(headersSeen).toEqual([PRICING]);
    expect(logs.at('warn', /contract/i)).toEqual([]);
  });
});

describeWhen(natsMissing, 'contract skew: the serving process has a compatible change (an optional parameter and a method added)', () => {
  const { namespace, logs, apps } = pair(
    'compatible',
    () => fixtureBuild({ catalog: CATALOG_COMPATIBLE }),
    () => fixtureBuild({ catalog: CATALOG_V1 }),
  );

  it('calls work; the caller logs the skew once, naming both fingerprints and the changed members', async () => {
    const { seen, subscription } = watchCalls(apps.raw!, namespace);
    await apps.raw!.flush();
    const catalog = apps.calling!.get(CatalogFacade);
    try {
      expect(await catalog.search('ap')).toEqual(['apple', 'apricot']);
      expect(await catalog.search('a', 3)).toEqual(['apple', 'apricot', 'avocado']);
      expect(await catalog.item('fig')).toMatchObject({ id: 'fig', price: 30 });
      expect(await catalog.item('kiwi')).toMatchObject({ id: 'kiwi' });
      await apps.raw!.flush();
    } finally {
      subscription.unsubscribe();
    }

    const warnings = skewWarnings(logs);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`built against contract ${V1} of CatalogFacade, the serving process runs ${COMPATIBLE}`);
    expect(warnings[0]).toBe(
      `contract skew with module 'catalog': this process was built against contract ${V1} of CatalogFacade, the serving process runs ${COMPATIBLE}. ` +
        'Compatible changes: added method CatalogFacade.featured; CatalogFacade.search(offset): added optional parameter offset?: number. ' +
        'Calls of the methods these changes leave intact go on. Deploy both from the same contract',
    );
    // The first call of each method is answered with the serving contract and resent vouching
    // for it; later calls go once, with both fingerprints.
    const search = `${subjects.facade(namespace, 'catalog', 'CatalogFacade')}.search`;
    const item = `${subjects.facade(namespace, 'catalog', 'CatalogFacade')}.item`;
    expect(seen).toEqual([
      { subject: search, contract: V1 },
      { subject: search, contract: `${V1},${COMPATIBLE}` },
      { subject: search, contract: `${V1},${COMPATIBLE}` },
      { subject: item, contract: V1 },
      { subject: item, contract: `${V1},${COMPATIBLE}` },
      { subject: item, contract: `${V1},${COMPATIBLE}` },
    ]);
  });

  it('the serving process logs the caller’s other contract once', () => {
    const served = logs.at('warn', /^CatalogFacade \(module 'catalog'\): a caller built against contract/);
    expect(served).toHaveLength(1);
    expect(served[0]).toContain(`a caller built against contract ${V1} called 'search'; this process serves contract ${COMPATIBLE}`);
  });
});

describeWhen(natsMissing, 'contract skew: the serving process has a breaking change (a parameter type changed, a method removed), in the same test process', () => {
  const { logs, apps } = pair(
    'breaking',
    () => fixtureBuild({ catalog: CATALOG_BREAKING }),
    () => fixtureBuild({ catalog: CATALOG_V1 }),
  );

  it('a call of the changed method fails in the caller with ContractSkewError, and nothing runs in the serving process', async () => {
    const before = catalogCalls.length;
    const error = await rejectionOf(apps.calling!.get(CatalogFacade).item('kiwi'));

    expect(error).toBeInstanceOf(ContractSkewError);
    expect(error).toBeInstanceOf(ServiceUnavailableException);
    expect(error.getStatus()).toBe(503);
    expect(error).toMatchObject({ code: CONTRACT_SKEW, module: 'catalog', facade: 'CatalogFacade', method: 'item', callerFingerprint: V1, serverFingerprint: BREAKING });
    expect(error.breaking.map((c: { member: string }) => c.member)).toEqual(['CatalogFacade.item', 'CatalogFacade.slow']);
    expect(catalogCalls.length).toBe(before);
  });

  it('so does a call of the removed method; a method the change does not touch still works', async () => {
    const before = catalogCalls.length;
    const error = await rejectionOf(apps.calling!.get(CatalogFacade).slow(1));
    expect(error).toBeInstanceOf(ContractSkewError);
    expect(error.message).toMatch(/^CatalogFacade\.slow refused: contract skew with module 'catalog'/);
    expect(catalogCalls.length).toBe(before);

    expect(await apps.calling!.get(CatalogFacade).search('ap')).toEqual(['apple', 'apricot']);
    const warnings = skewWarnings(logs);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(
      `the serving process runs ${BREAKING}. Breaking changes (calls of these fail with ContractSkewError): CatalogFacade.item(id): string -> number; removed method CatalogFacade.slow. Calls of the methods`,
    );
  });
});

describeWhen(natsMissing, 'contract skew between two real processes built from different contract versions', () => {
  const namespace = uniqueNamespace('skewproc');
  const logs = new LogCapture();
  let builds: FixtureBuild[] = [];
  let child: ServingProcess;
  let calling: INestApplication;

  beforeAll(async () => {
    builds = [fixtureBuild({ catalog: CATALOG_BREAKING, pricing: PRICING_V1 }), fixtureBuild({ catalog: CATALOG_V1, pricing: PRICING_V1 })];
    child = await serveCatalogProcess(builds[0], NATS_URL, namespace);
    calling = await startBuild(builds[1], { remote: ['catalog'], broker: brokerOptions(namespace) }, logs);
  });
  afterAll(async () => {
    await calling?.close();
    await child?.stop();
    for (const build of builds) build.dispose();
  });

  it('a breaking change fails the call with a clear error naming the module, both fingerprints, the breaking members and the fix', async () => {
    const error = await rejectionOf(calling.get(CatalogFacade).item('kiwi'));

    expect(error).toBeInstanceOf(ContractSkewError);
    expect(error.message).toBe(
      `CatalogFacade.item refused: contract skew with module 'catalog'. This process was built against contract ${V1} of CatalogFacade, ` +
        `the process serving 'catalog' runs contract ${BREAKING}; breaking changes: CatalogFacade.item(id): string -> number; removed method CatalogFacade.slow. ` +
        "Nothing ran. Fix: deploy caller and callee from the same contract of 'catalog' (redeploy whichever of the two is behind); " +
        'roll out compatible changes (an added method or optional parameter) callee first.',
    );
    expect(error.breaking).toEqual([
      expect.objectContaining({ kind: 'breaking', member: 'CatalogFacade.item', what: 'CatalogFacade.item(id): string -> number' }),
      expect.objectContaining({ kind: 'breaking', member: 'CatalogFacade.slow', what: 'removed method CatalogFacade.slow' }),
    ]);
  });

  it('the serving process logs the caller built against another contract', () => {
    expect(child.log()).toContain(`CatalogFacade (module 'catalog'): a caller built against contract ${V1} called 'item'; this process serves contract ${BREAKING}`);
  });

  it('a method the change does not touch still works across the processes, and the caller logs the skew once', async () => {
    expect(await calling.get(CatalogFacade).search('av')).toEqual(['avocado']);
    expect(await calling.get(CatalogFacade).search('ban')).toEqual(['banana']);
    expect(skewWarnings(logs)).toHaveLength(1);
  });
});

describeWhen(natsMissing, 'contract skew: no module.api.md on one side', () => {
  it('the serving process has none: calls work unchecked, and the serving process says at debug level that skew cannot be detected', async () => {
    const { logs, close, calling } = await startPair('nocontract-serve', fixtureBuild({}), fixtureBuild({ catalog: CATALOG_BREAKING }));
    try {
      expect(await calling.get(CatalogFacade).item('kiwi')).toMatchObject({ id: 'kiwi' });
      expect(logs.at('debug', /^contract skew with callers of module 'catalog' \(served here\) cannot be detected: no module\.api\.md beside .*modules\/catalog\/module\.json/)).toHaveLength(1);
      expect(logs.at('warn', /contract/i)).toEqual([]);
    } finally {
      await close();
    }
  });

  it('the calling process has none: its calls carry no fingerprint and run; both sides say so at debug level', async () => {
    const { logs, close, calling } = await startPair('nocontract-call', fixtureBuild({ catalog: CATALOG_BREAKING }), fixtureBuild({}));
    try {
      expect(await calling.get(CatalogFacade).item('kiwi')).toMatchObject({ id: 'kiwi' });
      expect(await calling.get(CatalogFacade).item('fig')).toMatchObject({ id: 'fig' });
      expect(logs.at('debug', /^contract skew with module 'catalog' \(called in another process\) cannot be detected: no module\.api\.md/)).toHaveLength(1);
      expect(logs.at('debug', /^CatalogFacade \(module 'catalog'\): a caller sent no Modulith-Contract header/)).toHaveLength(1);
      expect(logs.at('warn', /contract/i)).toEqual([]);
    } finally {
      await close();
    }
  });

  it('a module.api.md that is no contract is reported at warn level and not checked, never failing the boot or the call', async () => {
    const { logs, close, calling } = await startPair('notacontract', fixtureBuild({ catalog: CATALOG_V1 }), fixtureBuild({ catalog: '# just notes\n' }));
    try {
      expect(await calling.get(CatalogFacade).item('kiwi')).toMatchObject({ id: 'kiwi' });
      expect(logs.at('warn', /^contract skew with module 'catalog' \(called in another process\) cannot be detected: .*module\.api\.md is not the contract of module 'catalog'/)).toHaveLength(1);
    } finally {
      await close();
    }
  });

  async function startPair(label: string, served: FixtureBuild, calls: FixtureBuild) {
    const namespace = uniqueNamespace(label);
    const logs = new LogCapture();
    const serving = await startBuild(served, { serve: ['catalog'], broker: brokerOptions(namespace) }, logs);
    const calling = await startBuild(calls, { remote: ['catalog'], broker: brokerOptions(namespace) }, logs).catch(async (error) => {
      await serving.close();
      throw error;
    });
    return {
      logs,
      calling,
      close: async () => {
        await calling.close();
        await serving.close();
        served.dispose();
        calls.dispose();
      },
    };
  }
});

/** Far below the call timeout (5000 ms): an answer that takes longer is as good as silence. */
const QUICK_MS = 1500;

describeWhen(natsMissing, 'contract skew: hostile contract headers and answers', () => {
  const namespace = uniqueNamespace('skewhostile');
  let build: FixtureBuild;
  const logs = new LogCapture();
  const subject = `${subjects.facade(namespace, 'catalog', 'CatalogFacade')}.search`;
  const packet = JSON.stringify({ pattern: subject, id: 'raw-1', data: { method: 'search', args: ['ap'] } });
  let serving: INestApplication;
  let raw: NatsConnection;

  beforeAll(async () => {
    build = fixtureBuild({ catalog: CATALOG_V1 });
    serving = await startBuild(build, { serve: ['catalog'], broker: brokerOptions(namespace) }, logs);
    raw = await connect({ servers: NATS_URL });
  });
  afterAll(async () => {
    await raw?.close();
    await serving?.close();
    build?.dispose();
  });

  const withHeader = (...values: string[]): MsgHdrs => {
    const h = headers();
    for (const value of values) h.append(CONTRACT_HEADER, value);
    return h;
  };
  /** A header block written byte by byte, as no nats.js client would build it. */
  const rawHeaders = (text: string): MsgHdrs => ({ encode: () => new TextEncoder().encode(text) }) as unknown as MsgHdrs;

  async function answer(headerBlock: MsgHdrs): Promise<{ reply: any; ms: number }> {
    const started = performance.now();
    const message = await raw.request(subject, packet, { timeout: QUICK_MS, headers: headerBlock });
    return { reply: JSON.parse(message.string()), ms: performance.now() - started };
  }

  const manyKeys = (count: number) => `NATS/1.0\r\n${Array.from({ length: count }, (_, i) => `k${i}: v`).join('\r\n')}\r\n\r\n`;
  const refusals: Array<[string, () => MsgHdrs, RegExp]> = [
    ['five fingerprints', () => withHeader(Array(5).fill(V1).join(',')), /header holds 84 characters; it takes at most 4 contract fingerprints/],
    ['five short items', () => withHeader('a,b,c,d,e'), /must hold 1 to 4 contract fingerprints/],
    ['no hex', () => withHeader('not-a-fingerprint'), /must hold 1 to 4 contract fingerprints of 16 lowercase hex digits.*'not-a-fingerprint'/],
    ['upper-case hex', () => withHeader(V1.toUpperCase()), /16 lowercase hex digits/],
    ['an empty value', () => withHeader(''), /must hold 1 to 4/],
    ['a fingerprint of 15 digits', () => withHeader(V1.slice(1)), /must hold 1 to 4/],
    ['a 2,000-character value', () => withHeader('a'.repeat(2_000)), /holds 2000 characters; it takes at most 4 contract fingerprints/],
    ['the header twice', () => withHeader(V1, V1), /header was sent 2 times; send it once/],
    ['a 100 kB header value', () => withHeader('f'.repeat(100_000)), new RegExp(`carries \\d+ bytes of headers; at most ${MAX_HEADER_BYTES} are read`)],
    // nats.js decodes a header block in time quadratic in its keys: 40,000 keys took 12 s here.
    ['40,000 distinct header keys (430 kB)', () => rawHeaders(manyKeys(40_000)), /bytes of headers; at most 8192 are read/],
  ];

  it.each(refusals)('%s: refused at once with an answer naming the problem, nothing runs', async (_label, make, expected) => {
    const before = catalogCalls.length;
    const { reply, ms } = await answer(make());

    expect(reply.response).toMatchObject({ ok: false, error: { code: CALL_REFUSED, message: expect.stringMatching(expected) } });
    expect(ms).toBeLessThan(QUICK_MS);
    expect(catalogCalls.length).toBe(before);
  });

  it('a well-formed fingerprint of another contract gets the serving contract back (bounded), and nothing runs', async () => {
    const before = catalogCalls.length;
    const { reply } = await answer(withHeader('0123456789abcdef'));
    expect(reply.response).toEqual({
      ok: false,
      error: {
        name: 'ContractSkewError',
        code: CONTRACT_SKEW,
        message: expect.stringContaining(`runs contract ${V1}, the caller sent 0123456789abcdef`),
        data: { module: 'catalog', facade: 'CatalogFacade', fingerprint: V1, methods: CATALOG_V1 },
      },
    });
    expect(catalogCalls.length).toBe(before);
  });

  it('a call without the header, or with one that names the served contract among others, runs; the process answers the next call normally', async () => {
    expect((await raw.request(subject, packet, { timeout: QUICK_MS })).json<any>().response).toEqual({ ok: true, value: ['apple', 'apricot'] });
    expect((await answer(withHeader(`0123456789abcdef,${V1}`))).reply.response).toEqual({ ok: true, value: ['apple', 'apricot'] });
  });

  it('a caller never trusts a skew answer: forged or oversized contracts fail the call with ContractSkewError, not a crash', async () => {
    // A fake "serving process" on another namespace answering every call with a crafted skew answer.
    const fakeNamespace = uniqueNamespace('skewfake');
    const answers: unknown[] = [
      // methods that do not hash to the fingerprint they claim
      { fingerprint: '0123456789abcdef', methods: ['item(id: string): Promise<string>'] },
      // no methods at all
      { fingerprint: '1123456789abcdef' },
      // far too many methods
      { fingerprint: '2123456789abcdef', methods: Array.from({ length: 5_000 }, (_, i) => `m${i}(): Promise<void>`) },
      // a fingerprint that is no fingerprint
      { fingerprint: { toString: 1 }, methods: [] },
    ];
    const fake = raw.subscribe(`${subjects.facade(fakeNamespace, 'catalog', 'CatalogFacade')}.*`);
    let next = 0;
    void (async () => {
      for await (const message of fake) {
        const data = answers[next++ % answers.length];
        const id = JSON.parse(message.string()).id;
        message.respond(JSON.stringify({ id, isDisposed: true, response: { ok: false, error: { name: 'ContractSkewError', code: CONTRACT_SKEW, message: 'skew', data } } }));
      }
    })();
    await raw.flush();
    const calls = fixtureBuild({ catalog: CATALOG_V1 });
    const calling = await startBuild(calls, { remote: ['catalog'], broker: brokerOptions(fakeNamespace) }, new LogCapture());
    try {
      const messages: string[] = [];
      for (let i = 0; i < answers.length; i++) {
        const error = await rejectionOf(calling.get(CatalogFacade).search('ap'));
        expect(error).toBeInstanceOf(ContractSkewError);
        messages.push(error.message);
      }
      expect(messages[0]).toContain('its contract cannot be compared: the methods it sent do not have the fingerprint 0123456789abcdef');
      expect(messages[1]).toContain('its contract cannot be compared: the serving process did not send its methods');
      expect(messages[2]).toContain('its contract cannot be compared: it lists 5000 methods (at most 1000 are read)');
      expect(messages[3]).toContain('its answer names no readable contract fingerprint');
    } finally {
      fake.unsubscribe();
      await calling.close();
      calls.dispose();
    }
  });
});
