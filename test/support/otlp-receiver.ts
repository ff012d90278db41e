import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One OTLP/HTTP export as received: its path (/v1/traces, /v1/metrics, /v1/logs), content type and body. */
export interface OtlpRequest {
  path: string;
  contentType: string;
  body: Buffer;
}

/** A span of an OTLP/JSON trace export, with the service that sent it. */
export interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** SPAN_KIND_*: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  attributes: Record<string, unknown>;
  status?: { code?: number; message?: string };
}

/**
 * A minimal OTLP/HTTP receiver for tests: answers every POST with 200 and keeps what it got, so a
 * process's SDK exports to it as to a collector (OTEL_EXPORTER_OTLP_ENDPOINT=receiver.url).
 */
export class OtlpReceiver {
  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly requests: OtlpRequest[],
  ) {}

  static async start(): Promise<OtlpReceiver> {
    const requests: OtlpRequest[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        requests.push({ path: req.url ?? '', contentType: String(req.headers['content-type'] ?? ''), body: Buffer.concat(chunks) });
        res.writeHead(200, { 'content-type': req.headers['content-type'] ?? 'application/json' });
        res.end(String(req.headers['content-type']).includes('json') ? '{}' : '');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    return new OtlpReceiver(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests);
  }

  /** Every span received as OTLP/JSON so far. */
  spans(): ReceivedSpan[] {
    return this.requests.filter((r) => r.path === '/v1/traces' && r.contentType.includes('json')).flatMap((r) => spansOf(JSON.parse(r.body.toString())));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

type JsonAttribute = { key: string; value: Record<string, unknown> };

function spansOf(body: { resourceSpans?: Array<{ resource?: { attributes?: JsonAttribute[] }; scopeSpans?: Array<{ spans?: Array<Record<string, unknown>> }> }> }): ReceivedSpan[] {
  return (body.resourceSpans ?? []).flatMap((resource) => {
    const service = String(attributesOf(resource.resource?.attributes)['service.name'] ?? '');
    return (resource.scopeSpans ?? []).flatMap((scope) =>
      (scope.spans ?? []).map((span) => ({
        service,
        traceId: String(span.traceId),
        spanId: String(span.spanId),
        ...(span.parentSpanId ? { parentSpanId: String(span.parentSpanId) } : {}),
        name: String(span.name),
        kind: Number(span.kind),
        attributes: attributesOf(span.attributes as JsonAttribute[] | undefined),
        status: span.status as ReceivedSpan['status'],
      })),
    );
  });
}

function attributesOf(list: JsonAttribute[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { key, value } of list ?? []) out[key] = value.stringValue ?? value.intValue ?? value.boolValue ?? value.doubleValue ?? value;
  return out;
}
