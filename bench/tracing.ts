// The OpenTelemetry SDK of the benches' "tracing on" runs: what an app that exports its telemetry
// pays. Spans go through a BatchSpanProcessor to an exporter that counts and drops them (an
// in-memory one would grow for the whole run); metrics are recorded into a MeterProvider whose
// reader exports once an hour (the recording is the cost on the call path). Registered globally,
// as NodeSDK does, with the AsyncLocalStorage context manager and the W3C propagator; off()
// unregisters everything, and nest-modulith's calls are no-ops again (it looks the tracer up per use).
import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { ExportResultCode, W3CTraceContextPropagator, type ExportResult } from '@opentelemetry/core';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';

class CountingExporter implements SpanExporter {
  count = 0;
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.count += spans.length;
    done({ code: ExportResultCode.SUCCESS });
  }
  async shutdown(): Promise<void> {}
}

export interface BenchTracing {
  /** Registers the SDK globally (again). */
  on(): void;
  /** Unregisters it, after exporting what is queued: nest-modulith's calls are no-ops again. */
  off(): Promise<void>;
  /** Spans exported so far. */
  readonly spans: number;
  shutdown(): Promise<void>;
}

export function benchTracing(): BenchTracing {
  const exporter = new CountingExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new BatchSpanProcessor(exporter, { maxQueueSize: 65_536, maxExportBatchSize: 4_096, scheduledDelayMillis: 200 })],
  });
  const meterProvider = new MeterProvider({
    readers: [new PeriodicExportingMetricReader({ exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE), exportIntervalMillis: 3_600_000 })],
  });
  const contextManager = new AsyncLocalStorageContextManager();
  const off = async () => {
    await tracerProvider.forceFlush();
    trace.disable();
    metrics.disable();
    propagation.disable();
    context.disable();
  };
  return {
    on() {
      context.setGlobalContextManager(contextManager.enable());
      propagation.setGlobalPropagator(new W3CTraceContextPropagator());
      trace.setGlobalTracerProvider(tracerProvider);
      metrics.setGlobalMeterProvider(meterProvider);
    },
    off,
    get spans() {
      return exporter.count;
    },
    async shutdown() {
      await off();
      await Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()]);
    },
  };
}
