import { metrics, type Counter, type Histogram, type Meter, type MeterProvider, type ObservableGauge } from '@opentelemetry/api';
import { modulithMeter } from './telemetry.js';

/** Every metric nest-modulith records; names and attributes (ATTR) are a user-facing contract. */
export interface ModulithInstruments {
  meter: Meter;
  /** Facade calls served in this process: module, caller, facade, method, outcome ok|error. */
  facadeCalls: Counter;
  /** Their duration in seconds, same attributes. */
  facadeDuration: Histogram;
  /** Outbox deliveries attempted: module, listener, event name, outcome completed|failed|retried. */
  deliveries: Counter;
  /** Pending deliveries per listener (observed from the outbox store). */
  outboxBacklog: ObservableGauge;
  /** Age in seconds of each listener's oldest pending delivery. */
  outboxOldestPendingAge: ObservableGauge;
}

// The metrics API has no proxy provider (unlike traces): instruments made before an SDK is
// registered stay no-ops for ever. So they are created lazily and again when the global
// provider changes, which costs one comparison per use.
let cached: { provider: MeterProvider; instruments: ModulithInstruments } | undefined;

export function modulithInstruments(): ModulithInstruments {
  const provider = metrics.getMeterProvider();
  if (cached?.provider === provider) return cached.instruments;
  const meter = modulithMeter();
  const instruments: ModulithInstruments = {
    meter,
    facadeCalls: meter.createCounter('modulith.facade.calls', { description: 'Facade calls served by a module' }),
    facadeDuration: meter.createHistogram('modulith.facade.duration', { description: 'Duration of facade calls', unit: 's' }),
    deliveries: meter.createCounter('modulith.deliveries', { description: 'Outbox deliveries to event listeners, by outcome' }),
    outboxBacklog: meter.createObservableGauge('modulith.outbox.backlog', { description: 'Pending outbox deliveries per listener' }),
    outboxOldestPendingAge: meter.createObservableGauge('modulith.outbox.oldest_pending_age', {
      description: 'Age of the oldest pending outbox delivery per listener',
      unit: 's',
    }),
  };
  cached = { provider, instruments };
  return instruments;
}
