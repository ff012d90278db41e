import { beforeAll, describe, expect, it } from '@jest/globals';
import { loadNatsPackages } from './nats-packages.js';
import { readRelayed, relayHeaders } from './relay-message.js';

// A relayed event carries the trace context it was published in, in the message headers, so its
// deliveries in the receiving process continue that trace. Headers come from anyone on the
// broker: a context that is no short string is dropped, never the event.

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

beforeAll(async () => {
  await loadNatsPackages();
});

describe('a relayed event', () => {
  const event = { id: '0190a0b0-0000-7000-8000-000000000001', name: 'media.job.completed', version: 1, payload: '{}', publishedAt: 1_700_000_000_000 };

  it('carries the trace context it was published in', () => {
    const h = relayHeaders({ origin: 'monolith', event: { ...event, traceContext: { traceparent: TRACEPARENT, tracestate: 'vendor=1' } } });
    const relayed = readRelayed(h, '{}');
    expect(relayed).toMatchObject({ event: { traceContext: { traceparent: TRACEPARENT, tracestate: 'vendor=1' } } });
  });

  it('drops a hostile trace context, never the event', () => {
    const h = relayHeaders({ origin: 'monolith', event });
    h.set('traceparent', 'x'.repeat(5000));
    const relayed = readRelayed(h, '{}');
    expect(typeof relayed).toBe('object');
    expect((relayed as { event: { traceContext?: unknown } }).event.traceContext).toBeUndefined();
  });

  it('sends none when the event has none (no SDK at publication)', () => {
    expect(relayHeaders({ origin: 'monolith', event }).has('traceparent')).toBe(false);
  });
});
