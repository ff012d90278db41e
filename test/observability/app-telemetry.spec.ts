// @modulith-covers observability
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { freePort } from '../durability/app-process.js';
import { OtlpReceiver } from '../support/otlp-receiver.js';
import { databaseTargets, describeOnDatabases, type TestDatabase } from '../support/services.js';

// The reference app as deployed (node dist/app/main.js): its OpenTelemetry SDK starts only when
// the environment names an exporter, before Nest and http load, and exports to an OTLP/HTTP
// endpoint in the protocol asked for; SIGTERM flushes it after Nest closed.

const main = join(process.cwd(), 'dist/app/main.js');
const telemetryModule = join(process.cwd(), 'dist/app/telemetry.js');
const targets = (await databaseTargets()).filter((target) => target.name === 'postgres');

it('imports nothing of the SDK when no variable asks for telemetry', async () => {
  if (!existsSync(telemetryModule)) throw new Error('dist/app is missing: run `npm run build` before the tests');
  const dir = await mkdtemp(join(tmpdir(), 'modulith-otel-'));
  const script = join(dir, 'check.mjs');
  // What the process loaded, from the CommonJS cache the SDK packages land in.
  await writeFile(
    script,
    `import { createRequire } from 'node:module';
const { startTelemetry, stopTelemetry } = await import(process.argv[2]);
const started = await startTelemetry(JSON.parse(process.argv[3]));
const loaded = Object.keys(createRequire(import.meta.url).cache).filter((f) => /@opentelemetry[\\\\/](sdk-|instrumentation)/.test(f));
await stopTelemetry();
console.log(JSON.stringify({ started, loaded: loaded.length }));`,
  );
  const run = async (env: Record<string, string>) => JSON.parse((await promisify(execFile)(process.execPath, [script, telemetryModule, JSON.stringify(env)])).stdout);
  try {
    expect(await run({ OTEL_SERVICE_NAME: 'named-only' })).toEqual({ started: false, loaded: 0 });
    expect(await run({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', OTEL_SDK_DISABLED: 'true' })).toEqual({ started: false, loaded: 0 });
    // The control: the same check sees the SDK once it is asked for.
    const on = await run({ OTEL_TRACES_EXPORTER: 'console' });
    expect(on.started).toBe(true);
    expect(on.loaded).toBeGreaterThan(0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

describeOnDatabases('the reference app exporting OTLP', targets, (target) => {
  let receiver: OtlpReceiver;
  let database: TestDatabase;
  beforeAll(async () => {
    if (!existsSync(main)) throw new Error('dist/app/main.js is missing: run `npm run build` before the tests');
    receiver = await OtlpReceiver.start();
    database = await target.provision();
  });
  afterAll(async () => {
    await receiver?.close();
    await database?.drop();
  });

  it('exports the HTTP server span and the facade span of one request in one trace (http/json)', async () => {
    await withApp({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }, async (url) => {
      const response = await fetch(`${url}/accounts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Ada' }) });
      expect(response.status).toBe(201);
    });
    // Exported by the SIGTERM flush at the latest.
    const spans = receiver.spans();
    const server = spans.find((s) => s.kind === 2 && s.attributes['http.request.method'] === 'POST' && String(s.attributes['url.path'] ?? s.attributes['http.target'] ?? '').startsWith('/accounts'));
    expect(server).toBeDefined();
    expect(server!.service).toBe('modulith-app');
    const facade = spans.find((s) => s.traceId === server!.traceId && s.attributes['modulith.facade'] === 'BillingFacade');
    expect(facade).toMatchObject({ name: 'BillingFacade.openAccount', attributes: { 'modulith.module': 'billing', 'modulith.caller': 'accounts', 'modulith.method': 'openAccount' } });
  });

  it('exports protobuf with http/protobuf', async () => {
    const before = receiver.requests.length;
    await withApp({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_SERVICE_NAME: 'billing-edge' }, async (url) => {
      expect((await fetch(`${url}/`)).status).toBe(200);
    });
    const traces = receiver.requests.slice(before).filter((r) => r.path === '/v1/traces');
    expect(traces.length).toBeGreaterThan(0);
    expect(traces[0].contentType).toBe('application/x-protobuf');
    expect(traces[0].body.length).toBeGreaterThan(0);
    // The service name travels in the resource, as a length-delimited string.
    expect(traces.some((r) => r.body.includes('billing-edge'))).toBe(true);
  });

  /** Runs the built app with these variables and the receiver as endpoint, then stops it with SIGTERM. */
  async function withApp(env: Record<string, string>, work: (url: string) => Promise<void>): Promise<void> {
    const port = await freePort();
    const config = database.config as { url: string; schema?: string };
    const dir = await mkdtemp(join(tmpdir(), 'modulith-otel-app-'));
    const child: ChildProcess = spawn(process.execPath, [main], {
      env: {
        ...process.env,
        PORT: String(port),
        DATABASE_URL: config.url,
        DATABASE_SCHEMA: config.schema ?? '',
        MEDIA_STORAGE_DIR: dir,
        MODULITH_SERVE: '',
        MODULITH_REMOTE: '',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
        OTEL_SERVICE_NAME: '',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      await new Promise<void>((resolve, reject) => {
        const onData = (chunk: Buffer) => {
          output = (output + chunk.toString()).slice(-20_000);
          if (output.includes('listening on')) resolve();
        };
        child.stdout!.on('data', onData);
        child.stderr!.on('data', onData);
        child.once('exit', (code) => reject(new Error(`the app exited (${code}) before it was ready:\n${output}`)));
      });
      await work(`http://127.0.0.1:${port}`);
    } finally {
      child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    }
  }
});
