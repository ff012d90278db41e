// @modulith-covers events
import 'reflect-metadata';
import { expect, it } from '@jest/globals';
import { EventRelay } from 'nest-modulith/events';

// Found in the API suite over NATS (about 1 run in 5 on PostgreSQL): closing the relay's NATS
// connection sometimes never finished, so app.close() hung with the HTTP server still open and a
// media process left behind. Each shutdown step now waits at most shutdownGraceMs.
it('app shutdown does not hang on a relay connection that never finishes closing: it gives up after shutdownGraceMs', async () => {
  const never = new Promise<void>(() => undefined);
  const stopped: string[] = [];
  const relay = new EventRelay(
    { close: () => (stopped.push('connection'), never) } as never,
    { stop: async () => void stopped.push('consumer') } as never,
    {} as never,
    {} as never,
    {} as never,
    { shutdownGraceMs: 200 } as never,
  );
  const started = Date.now();
  await relay.onModuleDestroy();
  expect(stopped).toEqual(['consumer', 'connection']);
  expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  expect(Date.now() - started).toBeLessThan(5_000);
});
