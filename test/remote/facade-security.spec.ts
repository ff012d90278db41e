// @modulith-covers remote
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { CALL_REFUSED, subjects } from 'nest-modulith';
import { CatalogFacade, catalogCalls } from './fixtures/modules/catalog/index.js';
import { brokerOptions, rejectionOf, startApp, uniqueNamespace } from './support/apps.js';
import { describeWhen, NATS_URL, natsUnavailable, rawCall, rawText } from './support/nats.js';

// Anything that can publish on the broker can send a facade call. A serving process must answer
// only the methods @Facade declares, with wire-checked arguments, and run nothing else.

const natsMissing = await natsUnavailable();

// In strict mode the served facade is a codec wrapper; the server must still check each call
// against the implementation behind it.
for (const strict of [false, true]) {
  describeWhen(natsMissing, `a served facade facing a raw NATS client${strict ? ' (strict mode)' : ''}`, () => {
    const namespace = uniqueNamespace('security');
    const subject = subjects.facade(namespace, 'catalog', 'CatalogFacade');
    let serving: INestApplication;
    let raw: NatsConnection;

    beforeAll(async () => {
      serving = await startApp({ serve: ['catalog'], strict, broker: brokerOptions(namespace) });
      raw = await connect({ servers: NATS_URL });
    });
    afterAll(async () => {
      await raw?.close();
      await serving?.close();
    });

    /** Sends a call and returns what it answered, asserting that no facade method ran for it. */
    async function refusedCall(send: () => Promise<any>): Promise<string> {
      const ran = catalogCalls.length;
      const reply = await send();
      // The id finds the refusal in the serving process's log.
      expect(reply.response).toEqual({ ok: false, error: { name: 'RemoteCallRefused', code: CALL_REFUSED, message: expect.any(String), errorId: expect.any(String) } });
      expect(catalogCalls.length).toBe(ran);
      return reply.response.error.message;
    }

    it('answers a declared method called in the packet format of Nest', async () => {
      const reply = await rawCall(raw, subject, { method: 'search', args: ['b'] });
      expect(reply).toMatchObject({ id: 'raw-1', response: { ok: true, value: ['banana'] } });
      expect(catalogCalls).toContain('search:b');
    });

    it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'purge'])("refuses '%s', which @Facade does not declare", async (method) => {
      const message = await refusedCall(() => rawCall(raw, subject, { method, args: [] }));
      expect(message).toBe(`CatalogFacade does not answer '${method}': it is not one of the methods @Facade declares (addedOn, create, item, reserve, search, slow)`);
    });

    it('never runs a method of the implementation that the facade does not declare', async () => {
      await refusedCall(() => rawCall(raw, subject, { method: 'purge', args: [] }));
      expect(catalogCalls).not.toContain('purge');
    });

    it('refuses a call without a method, or one that is not an object', async () => {
      expect(await refusedCall(() => rawCall(raw, subject, { args: ['b'] }))).toContain("CatalogFacade does not answer 'undefined'");
      expect(await refusedCall(() => rawCall(raw, subject, 'search'))).toBe('a call of CatalogFacade must be an object { method, args }');
      expect(await refusedCall(() => rawCall(raw, subject, null))).toBe('a call of CatalogFacade must be an object { method, args }');
    });

    it('refuses arguments that are not an array', async () => {
      expect(await refusedCall(() => rawCall(raw, subject, { method: 'search', args: 'b' }))).toBe("CatalogFacade.search: 'args' must be an array");
      expect(await refusedCall(() => rawCall(raw, subject, { method: 'search', args: { 0: 'b', length: 1 } }))).toBe("CatalogFacade.search: 'args' must be an array");
    });

    it('refuses more arguments than any facade call takes', async () => {
      const args = Array.from({ length: 17 }, (_, i) => `a${i}`);
      expect(await refusedCall(() => rawCall(raw, subject, { method: 'item', args }))).toBe('CatalogFacade.item: 17 arguments; a facade call takes at most 16');
    });

    it('refuses an argument holding a __proto__ key, and pollutes nothing', async () => {
      const packet = `{"pattern":"${subject}","id":"raw-1","data":{"method":"create","args":[{"name":"Fig","price":1,"__proto__":{"admin":true}}]}}`;
      expect(await refusedCall(() => rawText(raw, subject, packet))).toBe(
        "CatalogFacade.create arguments[0].__proto__ cannot cross a process boundary: the key '__proto__' is refused (prototype pollution)",
      );
      expect(({} as Record<string, unknown>).admin).toBeUndefined();
    });

    it('does not take the method from a __proto__ key of the call', async () => {
      const packet = `{"pattern":"${subject}","id":"raw-1","data":{"__proto__":{"method":"search","args":["b"]}}}`;
      expect(await refusedCall(() => rawText(raw, subject, packet))).toContain("CatalogFacade does not answer 'undefined'");
    });
  });
}

describeWhen(natsMissing, 'a calling app facing a rogue responder', () => {
  const namespace = uniqueNamespace('rogue');
  const subject = subjects.facade(namespace, 'catalog', 'CatalogFacade');
  let calling: INestApplication;
  let rogue: NatsConnection;
  let answer = '{}';

  beforeAll(async () => {
    rogue = await connect({ servers: NATS_URL });
    // Clients call one subject per method (`<facade subject>.<method>`).
    rogue.subscribe(`${subject}.*`, {
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

  it('turns a reply that is no call result into an error naming the call', async () => {
    answer = JSON.stringify({ id: 'x', response: 'surprise', isDisposed: true });
    const error = await rejectionOf(calling.get(CatalogFacade).item('kiwi'));
    expect(error.message).toBe("CatalogFacade.item: malformed reply from module 'catalog'");
  });

  // Replies are decoded like requests: a `__proto__` key never reaches the caller (it would become
  // the prototype of whatever the result is merged into).
  it('refuses a result holding a __proto__ key', async () => {
    answer = '{"id":"x","isDisposed":true,"response":{"ok":true,"value":{"id":"kiwi","__proto__":{"admin":true}}}}';
    const error = await rejectionOf(calling.get(CatalogFacade).item('kiwi'));
    expect(error.message).toContain("the key '__proto__' is refused");
  });
});
