import { describe, expect, it } from '@jest/globals';
import { loadApplicationModules } from 'nest-modulith';
import { databaseTargets, describeOnDatabases } from '../support/services.js';
import { startTestApp, useTestApp } from '../support/test-app.js';

const targets = await databaseTargets();

describeOnDatabases('GET /', targets, (target) => {
  const app = useTestApp(target);

  it('answers ok with the feature modules it serves, wherever they run', async () => {
    const response = await app.http().get('/').expect(200);
    // The feature modules, not the framework's own subsystems in src/; the same list whether a
    // module runs here or in another process (then it is also listed under `remote`).
    expect(response.body).toEqual({ name: expect.any(String), status: 'ok', modules: ['accounts', 'billing', 'media', 'notifications'], remote: expect.any(Array) });
    expect(response.body.modules.every((name: string) => loadApplicationModules(process.cwd()).get(name))).toBe(true);
    expect(response.body.modules).toEqual(expect.arrayContaining(response.body.remote));
  });
});

describe('the reference app on a real listening socket', () => {
  it('serves over plain fetch on an ephemeral port', async () => {
    const db = await targets[0].provision();
    const app = await startTestApp(db.config);
    try {
      await app.app.listen(0, '127.0.0.1');
      const url = await app.app.getUrl();
      const created = await fetch(`${url}/accounts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'over fetch' }),
      });
      expect(created.status).toBe(201);
      const { apiKey } = (await created.json()) as { apiKey: string };
      const balance = await fetch(`${url}/billing/balance`, { headers: { 'x-api-key': apiKey } });
      expect(((await balance.json()) as { credits: number }).credits).toBe(100);
    } finally {
      await app.close();
      await db.drop();
    }
  });
});
