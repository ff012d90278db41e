import { expect, it } from '@jest/globals';
import { connect } from '@nats-io/transport-node';
import { subjects } from 'nest-modulith';
import { databaseTargets, describeOnDatabases } from '../support/services.js';
import { createAccount, useTestApp } from '../support/test-app.js';

// Request bodies are bounded: too deep a JSON body is a 400 and too large a one a 413, each with a
// JSON message, never a 500 (deep nesting used to overflow the stack in validation). In the remote
// topologies the requests to /media go through the gateway to the media process.

const targets = await databaseTargets();

const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const deepObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

describeOnDatabases('bounded request bodies', targets, (target) => {
  const app = useTestApp(target);

  it.each([
    ['an array nested 2,000 deep', `{"name":${deep(2_000)}}`],
    ['an array nested 40,000 deep', `{"name":${deep(40_000)}}`],
    ['objects nested 3,000 deep', `{"name":"Ada","extra":${deepObject(3_000)}}`],
    ['an array nested 40 deep', `{"name":${deep(40)}}`],
  ])('POST /accounts with %s is a 400 naming the depth limit', async (_label, body) => {
    const response = await app.http().post('/accounts').set('content-type', 'application/json').send(body);

    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toEqual({ statusCode: 400, error: 'Bad Request', message: 'the JSON body is nested deeper than 32 levels' });
  });

  it('POST /media/jobs with a prompt nested 5,000 deep is a 400, wherever media runs', async () => {
    const account = await createAccount(app);
    const response = await app
      .http()
      .post('/media/jobs')
      .set('x-api-key', account.apiKey)
      .set('content-type', 'application/json')
      .send(`{"prompt":${deep(5_000)},"kind":"image"}`);

    expect(response.status).toBe(400);
    expect(response.body).toEqual({ statusCode: 400, error: 'Bad Request', message: 'the JSON body is nested deeper than 32 levels' });
  });

  it.each([
    ['/accounts', () => ({ name: 'x'.repeat(300_000) })],
    ['/media/jobs', () => ({ prompt: 'x'.repeat(300_000), kind: 'image' })],
  ])('POST %s with a 300 kB JSON body is a 413 with a JSON message', async (path, body) => {
    const account = await createAccount(app);
    const response = await app.http().post(path).set('x-api-key', account.apiKey).send(body());

    expect(response.status).toBe(413);
    expect(response.body).toEqual({ statusCode: 413, error: 'Payload Too Large', message: 'the request body is larger than 100 kB' });
  });

  it('a JSON body within the limits still works', async () => {
    const response = await app.http().post('/accounts').send({ name: 'n'.repeat(200) }).expect(201);
    expect(response.body.credits).toBe(100);
  });

  it('a malformed JSON body is a 400 with a JSON message', async () => {
    const response = await app.http().post('/accounts').set('content-type', 'application/json').send('{"name":');
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ statusCode: 400, message: expect.any(String) });
  });

  // The media process answers for itself too: a forwarded request that never passed the calling
  // process's body parser (sent by any client of the broker) meets the same limits there.
  it('the media process answers a deep body forwarded to it directly with a 400', async () => {
    const broker = app.config.topology.broker;
    if (!app.media || !broker) return; // the monolith topology has no media process
    const raw = await connect({ servers: broker.url });
    try {
      const request = {
        method: 'POST',
        url: '/media/jobs',
        headers: { 'content-type': 'application/json', 'x-api-key': 'mk_unknown' },
        body: Buffer.from(`{"prompt":${deep(5_000)},"kind":"image"}`).toString('base64'),
      };
      const subject = subjects.http(broker.namespace, 'media');
      const reply = await raw.request(subject, JSON.stringify({ pattern: subject, id: 'raw-1', data: request }), { timeout: 3000 });
      const response = reply.json<{ response: { status: number; body: string } }>().response;
      expect(response.status).toBe(400);
      expect(JSON.parse(Buffer.from(response.body, 'base64').toString())).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'the JSON body is nested deeper than 32 levels',
      });
    } finally {
      await raw.close();
    }
  });
});
