// @modulith-covers remote
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import request from 'supertest';
import { CALL_REFUSED, RemoteCallError, subjects } from 'nest-modulith';
import { CatalogFacade, catalogCalls } from './fixtures/modules/catalog/index.js';
import { brokerOptions, rejectionOf, startApp, uniqueNamespace } from './support/apps.js';
import { describeWhen, NATS_URL, natsServerUnavailable, natsUnavailable, startNatsServer, type OwnNatsServer } from './support/nats.js';

// Anything that can publish on the broker can send a serving process any bytes. Whatever it sends,
// a request (a message with a reply subject) gets an error reply at once, never silence: a caller
// must not wait for its timeout (5 s here) because a packet was odd. Errors that cross the wire
// carry a name, a message, a code and an error id, never the internals of the serving process.

const natsMissing = await natsUnavailable();

/** Far below the call timeout (5000 ms): an answer that takes longer is as good as silence. */
const QUICK_MS = 1500;

const deep = (depth: number, inner = '') => '['.repeat(depth) + inner + ']'.repeat(depth);
const deepObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

/** Sends `payload` as is and returns the parsed reply and how long it took; fails when nothing answers within QUICK_MS. */
async function answerOf(connection: NatsConnection, subject: string, payload: string | Uint8Array): Promise<{ reply: any; ms: number }> {
  const started = performance.now();
  const message = await connection.request(subject, payload, { timeout: QUICK_MS });
  return { reply: JSON.parse(message.string()), ms: performance.now() - started };
}

/** A packet in Nest's format around `data` (written as JSON text, so it may be anything). */
const packet = (subject: string, data: string, id = '"raw-1"') => `{"pattern":"${subject}","id":${id},"data":${data}}`;

describeWhen(natsMissing, 'a served facade facing hostile packets', () => {
  const namespace = uniqueNamespace('hostile');
  const subject = subjects.facade(namespace, 'catalog', 'CatalogFacade');
  let serving: INestApplication;
  let raw: NatsConnection;

  beforeAll(async () => {
    serving = await startApp({ serve: ['catalog'], strict: true, broker: brokerOptions(namespace) });
    raw = await connect({ servers: NATS_URL });
  });
  afterAll(async () => {
    await raw?.close();
    await serving?.close();
  });

  const call = (data: string) => packet(subject, data);
  const hostile: Array<[string, string | Uint8Array, RegExp]> = [
    ['method as an object String() cannot print', call('{"method":{"toString":1},"args":[]}'), /does not answer a method given as an object/],
    ['method as an empty object', call('{"method":{},"args":["b"]}'), /does not answer a method given as an object/],
    ['method as a number', call('{"method":5,"args":[]}'), /does not answer a method given as a number/],
    ['method as an array', call('{"method":["search"],"args":["b"]}'), /does not answer a method given as an array/],
    ['method as null', call('{"method":null,"args":[]}'), /does not answer a method given as null/],
    ['method as a 100 kB string', call(`{"method":"${'m'.repeat(100_000)}","args":[]}`), /does not answer 'm{10,200}…'/],
    ['args as null', call('{"method":"search","args":null}'), /'args' must be an array/],
    ['args as a number', call('{"method":"search","args":7}'), /'args' must be an array/],
    ['args nested 5,000 deep', call(`{"method":"search","args":${deep(5_000)}}`), /nested deeper than 64 levels/],
    ['args nested 200,000 deep', call(`{"method":"search","args":${deep(200_000)}}`), /nested deeper than 64 levels/],
    ['an argument of objects nested 5,000 deep', call(`{"method":"create","args":[${deepObject(5_000)}]}`), /nested deeper than 64 levels/],
    ['data nested 5,000 deep', call(deep(5_000)), /nested deeper than 64 levels/],
    ['a whole packet nested 300,000 deep', deep(300_000), /nested deeper than 64 levels/],
    ['non-JSON bytes', new Uint8Array([0xff, 0xfe, 0x00, 0x41, 0x7b]), /not a JSON packet/],
    ['truncated JSON', `{"pattern":"${subject}","id":"raw-1","data":{"method":"search"`, /not a JSON packet/],
    ['an empty message', '', /not a JSON packet/],
    ['a null packet', 'null', /must be a JSON object/],
    ['an array packet', '[{"method":"search","args":["b"]}]', /must be a JSON object/],
    ['a string packet', '"search"', /must be a JSON object/],
    ['a number packet', '42', /must be a JSON object/],
    ['a packet without an id (an event) that still asks for a reply', `{"pattern":"${subject}","data":{"method":"search","args":["b"]}}`, /needs an 'id'/],
    ['an object as the id', packet(subject, '{"method":"search","args":["b"]}', '{"a":1}'), /needs an 'id'/],
    // The data under a __proto__ key is never taken for the packet's own.
    ['a __proto__ key in the packet', `{"pattern":"${subject}","id":"raw-1","__proto__":{"data":{"method":"search","args":["b"]}}}`, /must be an object \{ method, args \}/],
    ['a constructor key inside an argument', call('{"method":"create","args":[{"name":"Fig","price":1,"constructor":{"prototype":{"admin":true}}}]}'), /'constructor' is refused/],
    ['an unknown method', call('{"method":"dropTables","args":[]}'), /does not answer 'dropTables'/],
    ['17 arguments', call(JSON.stringify({ method: 'item', args: Array.from({ length: 17 }, (_, i) => `a${i}`) })), /at most 16/],
  ];

  it.each(hostile)('answers %s with a refusal at once, running nothing', async (_label, payload, message) => {
    const ran = catalogCalls.length;
    const { reply, ms } = await answerOf(raw, subject, payload);

    expect(reply.response).toEqual({ ok: false, error: { name: 'RemoteCallRefused', code: CALL_REFUSED, message: expect.stringMatching(message), errorId: expect.any(String) } });
    expect(reply.response.error.message.length).toBeLessThan(1_000);
    expect(ms).toBeLessThan(QUICK_MS);
    expect(catalogCalls.length).toBe(ran);
  });

  // Clients call `<facade subject>.<method>` (so the broker can allow callers method by method).
  it.each([
    ['a null packet', 'null', /must be a JSON object/],
    ['non-JSON bytes', new Uint8Array([0xff, 0x00]), /not a JSON packet/],
    ['args nested 5,000 deep', packet(`${subject}.search`, `{"method":"search","args":${deep(5_000)}}`), /nested deeper than 64 levels/],
  ])('answers %s on a method subject too', async (_label, payload, message) => {
    const { reply, ms } = await answerOf(raw, `${subject}.search`, payload);
    expect(reply.response).toEqual({ ok: false, error: { name: 'RemoteCallRefused', code: CALL_REFUSED, message: expect.stringMatching(message), errorId: expect.any(String) } });
    expect(ms).toBeLessThan(QUICK_MS);
  });

  it('still answers a well-formed call after all of them', async () => {
    const { reply } = await answerOf(raw, subject, call('{"method":"search","args":["b"]}'));
    expect(reply).toMatchObject({ id: 'raw-1', response: { ok: true, value: ['banana'] } });
  });

  // An error the facade did not mean to send (here a TypeError of String.prototype.startsWith)
  // crosses as a generic internal error with an id; its text stays in the serving process.
  it('answers an unexpected error of the implementation with a generic error and an id, never its message or stack', async () => {
    const { reply } = await answerOf(raw, subject, call('{"method":"search","args":[{"toString":1}]}'));
    const error = reply.response.error;

    expect(reply.response.ok).toBe(false);
    expect(error).toEqual({
      name: 'InternalError',
      code: 'modulith.internal-error',
      errorId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      message: `internal error in catalog.search (error id ${error.errorId})`,
    });
    expect(JSON.stringify(reply)).not.toMatch(/primitive|TypeError|startsWith|catalog\.service|\bat /);
  });

  describe('its HTTP routes, forwarded by the gateway', () => {
    const http = subjects.http(namespace, 'catalog');
    const forwarded = (request: Record<string, unknown>) => packet(http, JSON.stringify(request));
    const body = (reply: any) => JSON.parse(Buffer.from(reply.response.body, 'base64').toString());

    const malformed: Array<[string, string | Uint8Array, number, RegExp]> = [
      ['method CONNECT', forwarded({ method: 'CONNECT', url: '/catalog/items/plum', headers: {} }), 405, /method 'CONNECT' is not forwarded/],
      ['method TRACE', forwarded({ method: 'TRACE', url: '/catalog/items/plum', headers: {} }), 405, /method 'TRACE' is not forwarded/],
      ['a method that is no token', forwarded({ method: 'GET /x HTTP/1.1\r\n', url: '/catalog/items/plum', headers: {} }), 400, /'method'/],
      ['a method as an object', forwarded({ method: { toString: 1 }, url: '/catalog/items/plum', headers: {} }), 400, /'method'/],
      ['a header name with a space', forwarded({ method: 'GET', url: '/catalog/items/plum', headers: { 'x bad': '1' } }), 400, /header name 'x bad'/],
      ['a header value with CR LF', forwarded({ method: 'GET', url: '/catalog/items/plum', headers: { 'x-tag': 'a\r\nx-admin: 1' } }), 400, /header 'x-tag'/],
      ['a header value that is a number', forwarded({ method: 'GET', url: '/catalog/items/plum', headers: { 'x-tag': 1 } }), 400, /header 'x-tag'/],
      ['headers as an array', forwarded({ method: 'GET', url: '/catalog/items/plum', headers: ['x-tag: 1'] }), 400, /'headers'/],
      ['an absolute URL', forwarded({ method: 'GET', url: 'http://169.254.169.254/latest/meta-data/', headers: {} }), 400, /'url'/],
      ['a protocol-relative URL', forwarded({ method: 'GET', url: '//evil.example/x', headers: {} }), 400, /'url'/],
      ['a URL with a space', forwarded({ method: 'GET', url: '/catalog/items/a b', headers: {} }), 400, /'url'/],
      ['a body that is no base64', forwarded({ method: 'POST', url: '/catalog/items', headers: {}, body: '{"name":"x"}' }), 400, /'body'/],
      ['a body as an object', forwarded({ method: 'POST', url: '/catalog/items', headers: {}, body: { name: 'x' } }), 400, /'body'/],
      ['non-JSON bytes', new Uint8Array([0xff, 0xfe, 0x00]), 400, /not a JSON packet/],
      ['a null packet', 'null', 400, /must be a JSON object/],
      ['an array packet', '[]', 400, /must be a JSON object/],
      ['a string packet', '"GET /catalog/items/plum"', 400, /must be a JSON object/],
      ['a request nested 5,000 deep', packet(http, deep(5_000)), 400, /nested deeper than 64 levels/],
      ['a null request', packet(http, 'null'), 400, /must be an object/],
    ];

    it.each(malformed)('answers %s with an HTTP error response at once', async (_label, payload, status, message) => {
      const { reply, ms } = await answerOf(raw, http, payload);

      expect(reply.response).toEqual({ status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: expect.any(String) });
      expect(body(reply)).toEqual({ statusCode: status, error: expect.any(String), message: expect.stringMatching(message) });
      expect(ms).toBeLessThan(QUICK_MS);
    });

    it('still replays a well-formed request', async () => {
      const { reply } = await answerOf(raw, http, forwarded({ method: 'GET', url: '/catalog/echo?q=pear', headers: { 'x-request-tag': 't-1' } }));
      expect(reply.response.status).toBe(200);
      expect(body(reply)).toEqual({ q: 'pear', tag: 't-1' });
    });
  });
});

describeWhen(natsMissing, 'a calling app', () => {
  const namespace = uniqueNamespace('callerr');
  let serving: INestApplication;
  let calling: INestApplication;

  beforeAll(async () => {
    serving = await startApp({ serve: ['catalog'], broker: brokerOptions(namespace) });
    calling = await startApp({ remote: ['catalog'], broker: brokerOptions(namespace) });
  });
  afterAll(async () => {
    await calling?.close();
    await serving?.close();
  });

  it('receives an unexpected error of the remote module as a RemoteCallError with its error id', async () => {
    const error = await rejectionOf(calling.get(CatalogFacade).search({ toString: 1 } as never));

    expect(error).toBeInstanceOf(RemoteCallError);
    expect(error).toMatchObject({ name: 'InternalError', code: 'modulith.internal-error', errorId: expect.any(String) });
    expect(error.message).toBe(`internal error in catalog.search (error id ${error.errorId})`);
  });

  it('still sends an argument nested as deep as the wire limit allows, inside its message', async () => {
    let term: unknown = 'b';
    for (let level = 0; level < 62; level++) term = [term];
    // [term] is the arguments list: 63 levels of arrays, within the limit of 64.
    await expect(calling.get(CatalogFacade).search(term as never)).resolves.toEqual(['banana']);
  });

  // The gateway re-encodes a body a parser already read; too deep a body must not crash it (500).
  it('its gateway answers a JSON body nested 5,000 deep with a 400 JSON body, not a 500', async () => {
    const response = await request(calling.getHttpServer())
      .post('/catalog/items')
      .set('content-type', 'application/json')
      .send(`{"name":${deep(5_000)},"price":1}`);

    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toEqual({ statusCode: 400, error: 'Bad Request', message: expect.stringMatching(/nested deeper than 64 levels/) });
  });

  it('its gateway answers a body larger than a broker message can carry with a 413 JSON body', async () => {
    const response = await request(calling.getHttpServer())
      .post('/catalog/items')
      .set('content-type', 'application/octet-stream')
      .send(Buffer.alloc(2 * 1024 * 1024, 1));

    expect(response.status).toBe(413);
    expect(response.body).toEqual({ statusCode: 413, error: 'Payload Too Large', message: expect.stringMatching(/larger than \d+ bytes/) });
  });
});

// The forwarding side trusts no reply either: whatever answers on the broker, the gateway writes
// a well-formed HTTP response (502 JSON for a reply that is none), never a 500 or a broken socket.
describeWhen(natsMissing, 'a gateway facing a rogue responder', () => {
  const namespace = uniqueNamespace('roguehttp');
  let calling: INestApplication;
  let rogue: NatsConnection;
  let answer = '{}';

  beforeAll(async () => {
    rogue = await connect({ servers: NATS_URL });
    rogue.subscribe(subjects.http(namespace, 'catalog'), {
      callback: (_error, message) => {
        message.respond(answer);
      },
    });
    await rogue.flush();
    calling = await startApp({ remote: ['catalog'], broker: brokerOptions(namespace) });
  });
  afterAll(async () => {
    await calling?.close();
    await rogue?.close();
  });

  const reply = (response: unknown) => JSON.stringify({ id: 'x', isDisposed: true, response });
  it.each([
    ['a status that is no number', reply({ status: 'ok', headers: {}, body: '' })],
    ['a header name with a space', reply({ status: 200, headers: { 'x bad': '1' }, body: '' })],
    ['a header value with CR LF', reply({ status: 200, headers: { 'x-tag': 'a\r\nset-cookie: admin=1' }, body: '' })],
    ['a body that is no string', reply({ status: 200, headers: {}, body: { a: 1 } })],
    ['no response at all', '{"id":"x","isDisposed":true}'],
    ['a reply nested 5,000 deep', `{"id":"x","response":${deep(5_000)}}`],
    ['bytes that are no JSON', '\u0000not json'],
  ])('answers %s with a 502 JSON body', async (_label, text) => {
    answer = text;
    const response = await request(calling.getHttpServer()).get('/catalog/items/plum');

    expect(response.status).toBe(502);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers['x-tag']).toBeUndefined();
    expect(response.body).toEqual({ statusCode: 502, error: 'Bad Gateway', message: "module 'catalog' did not answer with an HTTP response" });
  });
});

// A broker may allow larger messages than NATS' default (1 MB): the codec's own limit then holds.
describeWhen(natsMissing ?? natsServerUnavailable(), 'a served facade on a broker allowing 8 MB messages', () => {
  const namespace = uniqueNamespace('huge');
  const subject = subjects.facade(namespace, 'catalog', 'CatalogFacade');
  let server: OwnNatsServer;
  let dir: string;
  let serving: INestApplication;
  let raw: NatsConnection;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'modulith-nats-'));
    await writeFile(join(dir, 'nats.conf'), 'max_payload: 8388608\n');
    server = await startNatsServer(['-c', join(dir, 'nats.conf')]);
    serving = await startApp({ serve: ['catalog'], broker: { url: server.url, namespace, timeoutMs: 5000, insecure: true } });
    raw = await connect({ servers: server.url });
  });
  afterAll(async () => {
    await raw?.close();
    await serving?.close();
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('refuses a call whose arguments are larger than the wire limit, naming it', async () => {
    const ran = catalogCalls.length;
    const { reply, ms } = await answerOf(raw, subject, packet(subject, JSON.stringify({ method: 'search', args: ['b'.repeat(3 * 1024 * 1024)] })));

    expect(reply.response).toEqual({ ok: false, error: { name: 'RemoteCallRefused', code: CALL_REFUSED, message: expect.stringMatching(/larger than 1048576 bytes/), errorId: expect.any(String) } });
    expect(ms).toBeLessThan(QUICK_MS);
    expect(catalogCalls.length).toBe(ran);
  });
});

describeWhen(natsMissing, 'the log of a serving process', () => {
  const namespace = uniqueNamespace('errlog');
  const subject = subjects.facade(namespace, 'catalog', 'CatalogFacade');
  let child: ChildProcess;
  let log = '';
  let raw: NatsConnection;

  beforeAll(async () => {
    child = spawn(process.execPath, ['--import', './test/support/register-ts.mjs', 'test/remote/fixtures/serve-catalog.ts'], {
      cwd: process.cwd(),
      env: { ...process.env, BROKER_URL: NATS_URL, NAMESPACE: namespace, NO_COLOR: '1', MODULITH_BROKER_INSECURE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        log += chunk;
        if (log.includes('serving\n')) resolve();
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`the serving process exited (${code}) before it was ready:\n${log}`)));
    });
    raw = await connect({ servers: NATS_URL });
  });
  afterAll(async () => {
    await raw?.close();
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });

  async function logged(text: string): Promise<string> {
    for (const deadline = Date.now() + 3000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 20))) {
      const line = log.split('\n').findIndex((l) => l.includes(text));
      if (line >= 0) return log.split('\n').slice(line, line + 12).join('\n');
    }
    throw new Error(`'${text}' never appeared in the log of the serving process:\n${log}`);
  }

  it("holds the full error of an unexpected failure under the id that the reply carries", async () => {
    const { reply } = await answerOf(raw, subject, packet(subject, '{"method":"search","args":[{"toString":1}]}'));
    const { errorId, message } = reply.response.error;
    expect(message).toContain(errorId);

    const entry = await logged(errorId);
    expect(entry).toContain('catalog.search');
    expect(entry).toContain('TypeError: Cannot convert object to primitive value');
    expect(entry).toMatch(/\n\s+at .*catalog\.service/);
  });

  it('logs a refused packet with the id of its reply', async () => {
    const { reply } = await answerOf(raw, subject, 'null');
    expect(await logged(reply.response.error.errorId)).toMatch(/refused/);
  });
});
