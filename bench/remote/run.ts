// npm run bench:remote — what a facade call costs in each placement of a module, in one run:
//   1. plain method call on the implementation instance (the baseline, 1x);
//   2. in-process facade call through the Nest container, non-strict (target: within 1.1x);
//   3. strict mode: the same call round-tripped through the wire codec;
//   4. over NATS (MODULITH_BROKER_URL, default nats://127.0.0.1:4222) to a child process that
//      serves the module; skipped with the reason when the broker is not reachable.
// Then a breakdown of where the strict and NATS costs go: the codec alone; a TCP round trip and a
// bare NATS request/reply between the same two processes; each side's CPU work without a socket.
// Each placement is also measured with tracing on (an OpenTelemetry SDK registered, in both
// processes for NATS; see bench/tracing.ts), and the on/off ratios printed.
// Knobs: BENCH_ROUNDS, BENCH_STRICT_CALLS, BENCH_NATS_CALLS, BENCH_CONCURRENCY, BENCH_PHASE_MS.
import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createConnection, type Socket } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { INestApplicationContext } from '@nestjs/common';
import { connect, type NatsConnection, type NodeConnectionOptions } from '@nats-io/transport-node';
import { natsConnectOptions, printableUrl, roundTrip, subjects, toWire, topologyFromEnv, type BrokerOptions } from 'nest-modulith';
import { tempProject } from '../../test/core/temp-project.js';
import { benchTracing } from '../tracing.js';
import { benchApp } from './app.js';
import { callingSide, routeLookup, servingSide } from './cpu-per-side.js';
import { concat, figures, repeat, timeAlternating, timeBatches, timeCalls, timeConcurrent, warmUp, type Batch, type Call, type Figures } from './measure.js';
import { CheckoutService, MANIFESTS, PricingFacade, PricingService, SAMPLE_INPUT } from './pricing.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);
const BATCH = 1000; // calls per timed batch for the sub-microsecond cases
const BATCHES_PER_ROUND = 25;
const STRICT_CALLS = Number(process.env.BENCH_STRICT_CALLS ?? 100_000);
const NATS_CALLS = Number(process.env.BENCH_NATS_CALLS ?? 20_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const TARGET = 1.1;
/** Most a per-call timing phase may take, so a busy machine cannot stretch the run past ~60 s. */
const BUDGET_MS = Number(process.env.BENCH_PHASE_MS ?? 5_000);

interface Row {
  label: string;
  sequential: Figures;
  concurrent?: Figures;
}

const rows: Row[] = [];
const skipped: string[] = [];
const breakdown: Array<[string, number]> = [];
const evidence: string[] = [];
const samplesTaken: string[] = [];
/** The SDK of the "tracing on" rows, registered only while they are measured. */
const tracing = benchTracing();
const TRACED = ', tracing on';

/** Rows 1 and 2, measured in alternating rounds so drift (GC, JIT, CPU frequency) hits both alike. */
async function inProcess(rootDir: string): Promise<void> {
  const plain = new PricingService();
  const app = await benchApp(rootDir, {});
  // Facades are wrapped for tracing only in an app booted with an SDK registered: the traced
  // rows call an app booted that way (the same module classes, placed again).
  tracing.on();
  const tracedApp = await benchApp(rootDir, {}).finally(() => tracing.off());
  try {
    const facade = app.get(CheckoutService).pricing;
    evidence.push(`non-strict: CheckoutService received ${describe(facade)}`);
    const tracedFacade = tracedApp.get(CheckoutService).pricing;
    evidence.push(`non-strict, booted with an SDK: CheckoutService received ${describe(tracedFacade)}`);
    // One loop per case (see timeBatches). Both receivers have the same hidden class: Nest
    // instantiates the implementation with `new PricingService()` just like the plain case.
    const plainCall: Batch = async (size) => {
      for (let i = 0; i < size; i++) await plain.quote(SAMPLE_INPUT);
    };
    const facadeCall: Batch = async (size) => {
      for (let i = 0; i < size; i++) await facade.quote(SAMPLE_INPUT);
    };
    for (let round = 0; round < 10; round++) {
      await timeBatches(plainCall, 10, BATCH);
      await timeBatches(facadeCall, 10, BATCH);
    }
    const plainParts: Float64Array[] = [];
    const facadeParts: Float64Array[] = [];
    const tracedParts: Float64Array[] = [];
    const tracedCall: Batch = async (size) => {
      for (let i = 0; i < size; i++) await tracedFacade.quote(SAMPLE_INPUT);
    };
    tracing.on();
    await tracedCall(BATCH * 10);
    await tracing.off();
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which goes first, so neither always runs right after the other's garbage.
      const first = round % 2 === 0;
      if (first) plainParts.push(await timeBatches(plainCall, BATCHES_PER_ROUND, BATCH));
      facadeParts.push(await timeBatches(facadeCall, BATCHES_PER_ROUND, BATCH));
      if (!first) plainParts.push(await timeBatches(plainCall, BATCHES_PER_ROUND, BATCH));
      // Fewer traced batches: each call makes a span, exported in the background.
      if (round % 4 === 0) {
        tracing.on();
        tracedParts.push(await timeBatches(tracedCall, BATCHES_PER_ROUND, BATCH));
        await tracing.off();
      }
    }
    const calls = ROUNDS * BATCHES_PER_ROUND * BATCH;
    rows.push({ label: 'plain call on the implementation', sequential: figures(concat(plainParts), calls) });
    rows.push({ label: 'in process, via the container', sequential: figures(concat(facadeParts), calls) });
    rows.push({ label: `in process, via the container${TRACED}`, sequential: figures(concat(tracedParts), tracedParts.length * BATCHES_PER_ROUND * BATCH) });
  } finally {
    await app.close();
    await tracedApp.close();
  }
}

async function strict(rootDir: string): Promise<void> {
  const app = await benchApp(rootDir, { strict: true });
  tracing.on();
  const tracedApp = await benchApp(rootDir, { strict: true }).finally(() => tracing.off());
  try {
    const facade = app.get(CheckoutService).pricing;
    const tracedFacade = tracedApp.get(CheckoutService).pricing;
    evidence.push(`strict: CheckoutService received ${describe(facade)}`);
    const call: Call = () => facade.quote(SAMPLE_INPUT);
    await warmUp(call, 10_000);
    const { samples, wallNs } = await timeCalls(call, STRICT_CALLS, BUDGET_MS);
    rows.push({ label: 'strict (wire codec in process)', sequential: figures(samples, samples.length, wallNs) });
    samplesTaken.push(`strict ${samples.length}`);
    tracing.on();
    try {
      const tracedCall: Call = () => tracedFacade.quote(SAMPLE_INPUT);
      await warmUp(tracedCall, 10_000);
      const on = await timeCalls(tracedCall, STRICT_CALLS, BUDGET_MS);
      rows.push({ label: `strict (wire codec in process)${TRACED}`, sequential: figures(on.samples, on.samples.length, on.wallNs) });
    } finally {
      await tracing.off();
    }
  } finally {
    await app.close();
    await tracedApp.close();
  }
  // The codec alone: what strict adds, without the call.
  const result = await new PricingService().quote(SAMPLE_INPUT);
  const codec: Call = async () => roundTrip(result, 'result') && roundTrip([SAMPLE_INPUT], 'arguments');
  const checks: Call = async () => toWire(result, 'result') && toWire([SAMPLE_INPUT], 'arguments');
  const p50 = async (call: Call) => {
    await timeBatches(repeat(call), 200, 100);
    return figures(await timeBatches(repeat(call), 500, 100), 50_000).p50Ns;
  };
  breakdown.push(['wire codec: roundTrip(arguments) + roundTrip(result)', await p50(codec)]);
  // roundTrip is toWire's checked copy (no JSON text): equal to JSON.parse(JSON.stringify(v)) for wire values.
  breakdown.push(['  of which toWire checks (deep copy, no JSON)', await p50(checks)]);
}

async function overNats(rootDir: string): Promise<void> {
  const namespace = process.env.MODULITH_NAMESPACE || `bench-remote-${process.pid}`;
  const env: NodeJS.ProcessEnv = { ...process.env, MODULITH_NAMESPACE: namespace, MODULITH_STRICT: '0', MODULITH_SERVE: '', MODULITH_REMOTE: '' };
  // The development broker has no authorization: run without a credential unless one is set.
  const credential = ['MODULITH_BROKER_TOKEN', 'MODULITH_BROKER_USER', 'MODULITH_BROKER_NKEY_SEED', 'MODULITH_BROKER_CREDS'].some((name) => process.env[name]);
  if (!credential) env.MODULITH_BROKER_INSECURE = '1';
  const broker = topologyFromEnv({ ...env, MODULITH_REMOTE: 'pricing' }).broker!;
  const unreachable = await probe(broker);
  if (unreachable) {
    skipped.push(`over NATS: skipped, the broker at ${printableUrl(broker)} is not reachable (${unreachable}); start nats-server or set MODULITH_BROKER_URL`);
    if (process.env.MODULITH_REQUIRE_SERVICES === '1') process.exitCode = 1;
    return;
  }
  const { child, tcpPort } = await startServer({ ...env, MODULITH_SERVE: 'pricing', BENCH_REMOTE_ROOT: rootDir });
  let app: INestApplicationContext | undefined;
  let raw: NatsConnection | undefined;
  let socket: Socket | undefined;
  try {
    app = await benchApp(rootDir, topologyFromEnv({ ...env, MODULITH_REMOTE: 'pricing' }));
    const facade = app.get(CheckoutService).pricing;
    evidence.push(`remote: CheckoutService received ${describe(facade)}`);
    const call: Call = () => facade.quote(SAMPLE_INPUT);

    // The same request bytes to the bare responder: the broker round trip without Nest or the
    // framework; and a TCP echo: one round trip between the two processes, without a broker.
    const subject = subjects.facade(namespace, 'pricing', PricingFacade.name);
    const request = JSON.stringify({ pattern: subject, data: { method: 'quote', args: [SAMPLE_INPUT] }, id: randomUUID() });
    raw = await connect({ ...natsConnectOptions(broker), name: 'bench-remote-raw' } as NodeConnectionOptions);
    const connection = raw;
    const echo: Call = () => connection.request(`${namespace}.bench.echo`, request, { timeout: 5_000 });
    socket = await tcpConnect(tcpPort);
    const ping = tcpPing(socket, request);

    for (const warm of [call, echo, ping]) await warmUp(warm, 1_000);
    const [sequential, bare, tcp] = await timeAlternating([call, echo, ping], NATS_CALLS, 250, 3 * BUDGET_MS);
    await warmUp(call, 1_000);
    const concurrent = await timeConcurrent(call, NATS_CALLS * 2, CONCURRENCY, BUDGET_MS);
    rows.push({
      label: `over NATS, module in a child process`,
      sequential: figures(sequential, sequential.length),
      concurrent: figures(concurrent.samples, concurrent.samples.length, concurrent.wallNs),
    });
    samplesTaken.push(`NATS ${sequential.length} sequential (alternating with as many bare NATS and TCP round trips) and ${concurrent.samples.length} at ${CONCURRENCY}`);
    // Tracing on in both processes: spans on each side, the context in the request headers.
    await tell(child, 'tracing-on');
    tracing.on();
    try {
      await warmUp(call, 1_000);
      const on = await timeCalls(call, NATS_CALLS, BUDGET_MS);
      await warmUp(call, 1_000);
      const onConcurrent = await timeConcurrent(call, NATS_CALLS * 2, CONCURRENCY, BUDGET_MS);
      rows.push({
        label: `over NATS, module in a child process${TRACED}`,
        sequential: figures(on.samples, on.samples.length, on.wallNs),
        concurrent: figures(onConcurrent.samples, onConcurrent.samples.length, onConcurrent.wallNs),
      });
      samplesTaken.push(`NATS${TRACED} ${on.samples.length} sequential and ${onConcurrent.samples.length} at ${CONCURRENCY}`);
    } finally {
      await tracing.off();
      const spans = await tell(child, 'tracing-off');
      evidence.push(`tracing on: ${tracing.spans} spans exported here, ${spans} in the child`);
    }
    breakdown.push(['TCP round trip between the two processes, no broker', figures(tcp, tcp.length).p50Ns]);
    breakdown.push(['bare NATS request/reply, same bytes, child answers', figures(bare, bare.length).p50Ns]);
    const reply = JSON.stringify({ response: { ok: true, value: await new PricingService().quote(SAMPLE_INPUT) }, isDisposed: true, id: randomUUID() });
    breakdown.push(['calling side CPU: remoteFacade + BrokerClient, no socket', await callingSide(subject, reply)]);
    breakdown.push(["serving side CPU: stock ServerNats.handleMessage + facadeCallHandler, no socket", await servingSide(subject)]);
    breakdown.push([`  of which Nest's route lookup (JSON.parse(subject) throws; BrokerServer skips it)`, await routeLookup(subject)]);
  } finally {
    socket?.destroy();
    await raw?.close();
    await app?.close();
    await stopServer(child);
  }
}

function tcpConnect(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ port, host: '127.0.0.1', noDelay: true }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Sends `payload` and resolves when the echo has sent all of it back. */
function tcpPing(socket: Socket, payload: string): Call {
  const bytes = Buffer.byteLength(payload);
  return () =>
    new Promise<void>((resolve) => {
      let received = 0;
      const onData = (chunk: Buffer) => {
        received += chunk.length;
        if (received < bytes) return;
        socket.off('data', onData);
        resolve();
      };
      socket.on('data', onData);
      socket.write(payload);
    });
}

/** Undefined when a NATS connection opens within 2 s, else the reason. */
async function probe(broker: BrokerOptions): Promise<string | undefined> {
  try {
    const options = { ...natsConnectOptions(broker), waitOnFirstConnect: false, maxReconnectAttempts: 0, timeout: 2_000 };
    const connection = await connect(options as NodeConnectionOptions);
    await connection.close();
    return undefined;
  } catch (error) {
    return (error as Error)?.message ?? String(error);
  }
}

function startServer(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; tcpPort: number }> {
  const entry = fileURLToPath(new URL('./server.ts', import.meta.url));
  const register = fileURLToPath(new URL('../../test/support/register-ts.mjs', import.meta.url));
  const child = fork(entry, [], { env, execArgv: ['--import', register], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('bench/remote/server.ts did not report ready within 30 s'));
    }, 30_000);
    child.once('message', (message: { ready?: boolean; tcpPort?: number }) => {
      clearTimeout(timer);
      if (message?.ready && message.tcpPort) resolve({ child, tcpPort: message.tcpPort });
      else reject(new Error(`unexpected message from bench/remote/server.ts: ${JSON.stringify(message)}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bench/remote/server.ts exited with code ${code} before it was ready`));
    });
  });
}

/** Sends the child a command and resolves with its answer (the spans it exported, for tracing-off). */
function tell(child: ChildProcess, command: 'tracing-on' | 'tracing-off'): Promise<number | undefined> {
  return new Promise((resolve) => {
    const onMessage = (message: { done?: string; spans?: number }) => {
      if (message?.done !== command) return;
      child.off('message', onMessage);
      resolve(message.spans);
    };
    child.on('message', onMessage);
    child.send(command);
  });
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.send('stop');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

function describe(facade: PricingFacade): string {
  const type = (facade as object).constructor.name;
  if (facade instanceof PricingService) return `the implementation itself (a ${type})`;
  const own = Object.getOwnPropertyNames(facade);
  return own.length > 0 ? `a ${type} stand-in (${own.join(', ')} defined on it)` : `a ${type} wrapper over the implementation (the tracing Proxy)`;
}

const us = (ns: number): string => (ns / 1000).toFixed(ns < 10_000 ? 3 : 1);
const rate = (perSecond: number): string => Math.round(perSecond).toLocaleString('en');

function print(): void {
  const plain = rows[0].sequential;
  const header = ['case', 'p50 µs', 'p99 µs', 'calls/s', 'p50 vs plain', `calls/s @${CONCURRENCY}`, `p50 µs @${CONCURRENCY}`, `p99 µs @${CONCURRENCY}`];
  const table = rows.map((row) => [
    row.label,
    us(row.sequential.p50Ns),
    us(row.sequential.p99Ns),
    rate(row.sequential.callsPerSecond),
    `${(row.sequential.p50Ns / plain.p50Ns).toFixed(2)}x`,
    row.concurrent ? rate(row.concurrent.callsPerSecond) : '-',
    row.concurrent ? us(row.concurrent.p50Ns) : '-',
    row.concurrent ? us(row.concurrent.p99Ns) : '-',
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...table.map((cells) => cells[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  console.log(line(header));
  for (const cells of table) console.log(line(cells));
  for (const reason of skipped) console.log(reason);
  console.log(
    `\nRows 1-2: per-call figures of batches of ${BATCH} awaited calls (one clock read costs about a call); rows 3-4: each call timed.` +
      `\nCalls timed one by one: ${samplesTaken.join(', ')} (a phase stops after ${BUDGET_MS / 1000} s, the alternating NATS one after ${(3 * BUDGET_MS) / 1000} s).` +
      `\n@${CONCURRENCY}: ${CONCURRENCY} callers in one process, each awaiting its previous call; in process the calls are CPU-bound on one thread, so concurrency adds nothing there.`,
  );
  const inProcess = rows[1].sequential.p50Ns / plain.p50Ns;
  console.log(`\nin-process facade call: ${inProcess.toFixed(3)}x the plain call (p50; target <= ${TARGET}x): ${inProcess <= TARGET ? 'PASS' : 'FAIL'}`);
  if (inProcess > TARGET) process.exitCode = 1;
  for (const line of evidence) console.log(`  ${line}`);
  console.log('\ntracing on / off (p50 latency; calls/s, sequential and @' + CONCURRENCY + '):');
  for (const on of rows.filter((row) => row.label.endsWith(TRACED))) {
    const off = rows.find((row) => row.label === on.label.slice(0, -TRACED.length));
    if (!off) continue;
    const throughput = on.concurrent && off.concurrent ? `, @${CONCURRENCY} ${(on.concurrent.callsPerSecond / off.concurrent.callsPerSecond).toFixed(2)}x calls/s` : '';
    console.log(
      `  ${off.label.padEnd(40)} p50 ${(on.sequential.p50Ns / off.sequential.p50Ns).toFixed(2)}x (+${us(on.sequential.p50Ns - off.sequential.p50Ns)} µs), ${(on.sequential.callsPerSecond / off.sequential.callsPerSecond).toFixed(2)}x calls/s${throughput}`,
    );
  }
  if (breakdown.length > 0) {
    const nats = rows.find((row) => row.label.startsWith('over NATS'));
    if (nats) {
      const parts = breakdown.filter(([label]) => /^(bare NATS|calling side|serving side)/.test(label)).reduce((sum, [, ns]) => sum + ns, 0);
      breakdown.push(['rest of the NATS row (wake-ups, cold caches), approx.', nats.sequential.p50Ns - parts]);
    }
    console.log('\nbreakdown (p50 µs per call):');
    const width = Math.max(...breakdown.map(([label]) => label.length));
    for (const [label, ns] of breakdown) console.log(`  ${label.padEnd(width)} ${us(ns).padStart(8)}`);
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const cores = availableParallelism();
  const load = loadavg()[0];
  console.log(`nest-modulith bench:remote — PricingFacade.quote({ sku, quantity }) -> 3-line quote; node ${process.version}, ${cores} cores, load average ${load.toFixed(2)}`);
  if (load > cores / 2) console.log(`(other processes keep this machine busy: expect slower, noisier figures than on an idle one)`);
  console.log('');
  const project = tempProject(MANIFESTS);
  try {
    await inProcess(project.dir);
    await strict(project.dir);
    await overNats(project.dir);
  } finally {
    project.dispose();
    await tracing.shutdown();
  }
  print();
  console.log(`\n(${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

await main();
