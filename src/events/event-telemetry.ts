import { context, isSpanContextValid, SpanKind, trace, type BatchObservableResult, type Span } from '@opentelemetry/api';
import {
  APP_CALLER,
  ATTR,
  currentModule,
  extractTraceContext,
  injectTraceContext,
  modulithInstruments,
  modulithTracer,
  recordError,
  runInModule,
  type TraceCarrier,
} from '../observability/index.js';
import type { EventType } from './module-event.decorator.js';
import type { ClaimedDelivery, ListenerBacklog, OutboxStore } from './outbox-store.js';

/** A publication's PRODUCER span and the context to store with its row. */
export interface Publication {
  span: Span;
  traceContext?: TraceCarrier;
}

/**
 * Starts `publish <event name>` under the active context. The carrier is serialised only when
 * there is a trace to continue (a recording span, or a propagated context): without an SDK this
 * costs no allocation beyond the no-op span.
 */
export function startPublication(type: EventType, id: string): Publication {
  const span = modulithTracer().startSpan(
    `publish ${type.name}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        [ATTR.eventName]: type.name,
        [ATTR.eventVersion]: type.version,
        [ATTR.eventId]: id,
        [ATTR.module]: type.module,
        [ATTR.caller]: currentModule(),
      },
    },
    context.active(),
  );
  if (!span.isRecording() && !isSpanContextValid(span.spanContext())) return { span };
  const carrier = injectTraceContext(trace.setSpan(context.active(), span));
  return Object.keys(carrier).length > 0 ? { span, traceContext: carrier } : { span };
}

export type DeliveryOutcome = 'completed' | 'failed' | 'retried';

/**
 * Runs one delivery to a listener inside a CONSUMER span `deliver <event name>` whose parent is
 * the context stored with the event (the publisher's trace, even after a restart), and inside
 * the listener module's scope. `run` reports the outcome; anything but completed is an ERROR.
 */
export async function traceDelivery(
  delivery: ClaimedDelivery,
  listener: { id: string; module: string },
  run: (fail: (error: unknown) => void) => Promise<DeliveryOutcome>,
): Promise<DeliveryOutcome> {
  const module = listener.module || APP_CALLER;
  const attributes = {
    [ATTR.eventName]: delivery.name,
    [ATTR.eventVersion]: delivery.version,
    [ATTR.eventId]: delivery.eventId,
    [ATTR.listener]: listener.id,
    [ATTR.module]: module,
    [ATTR.attempt]: delivery.attempts,
  };
  const parent = extractTraceContext(delivery.traceContext);
  const span = modulithTracer().startSpan(`deliver ${delivery.name}`, { kind: SpanKind.CONSUMER, attributes }, parent);
  let outcome: DeliveryOutcome = 'failed';
  try {
    outcome = await context.with(trace.setSpan(parent, span), () => runInModule(module, () => run((error) => recordError(span, error))));
    return outcome;
  } finally {
    span.end();
    countDelivery(module, listener.id, delivery.name, outcome);
  }
}

export function countDelivery(module: string, listener: string, eventName: string, outcome: DeliveryOutcome): void {
  modulithInstruments().deliveries.add(1, { [ATTR.module]: module || APP_CALLER, [ATTR.listener]: listener, [ATTR.eventName]: eventName, [ATTR.outcome]: outcome });
}

/**
 * Registers the outbox gauges (backlog and oldest pending age per receiver), observed with one
 * grouped query per collection; every known receiver is reported, 0 when nothing waits for it,
 * so a drained backlog shows as 0 rather than as its last value. Returns the unregistration.
 * Uses the meter of the SDK registered now: one started after the app boots sees no gauges.
 */
export function observeOutbox(store: OutboxStore, receivers: () => Array<{ id: string; module: string }>): () => void {
  const { meter, outboxBacklog, outboxOldestPendingAge } = modulithInstruments();
  let active = true;
  const callback = async (result: BatchObservableResult) => {
    if (!active) return;
    let rows: ListenerBacklog[] | undefined;
    try {
      rows = await store.backlog();
    } catch {
      return; // the database is unreachable: no observation this time (not a misleading 0)
    }
    if (!rows) return; // closed
    const now = Date.now();
    const byListener = new Map(rows.map((row) => [row.listener, row]));
    const modules = new Map(receivers().map((receiver) => [receiver.id, receiver.module]));
    for (const listener of new Set([...modules.keys(), ...byListener.keys()])) {
      const row = byListener.get(listener);
      const attributes = { [ATTR.listener]: listener, [ATTR.module]: modules.get(listener) || APP_CALLER };
      result.observe(outboxBacklog, row?.pending ?? 0, attributes);
      result.observe(outboxOldestPendingAge, row ? Math.max(0, (now - row.oldestCreatedAt) / 1000) : 0, attributes);
    }
  };
  meter.addBatchObservableCallback(callback, [outboxBacklog, outboxOldestPendingAge]);
  return () => {
    active = false;
    meter.removeBatchObservableCallback(callback, [outboxBacklog, outboxOldestPendingAge]);
  };
}
