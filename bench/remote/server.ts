// The child process of bench:remote: hosts only `pricing` (MODULITH_SERVE=pricing, set by the
// runner) and answers its facade on the broker. Beside it, so the runner can tell the parts of a
// remote call apart: a bare NATS responder on its own connection answers `<namespace>.bench.echo`
// with a reply of the same size as the facade's, and a TCP echo on loopback shows what one round
// trip between two processes costs on this machine without any broker.
// It tells the runner it is ready (with the TCP port) over the IPC channel, and exits when told
// to, on SIGTERM, or when the runner goes away.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { connect, type NodeConnectionOptions } from '@nats-io/transport-node';
import { natsConnectOptions, topologyFromEnv } from 'nest-modulith';
import { benchTracing } from '../tracing.js';
import { benchApp } from './app.js';
import { PricingService, SAMPLE_INPUT } from './pricing.js';

const rootDir = process.env.BENCH_REMOTE_ROOT;
if (!rootDir || !process.send) {
  console.error('bench/remote/server.ts is started by bench/remote/run.ts (it needs BENCH_REMOTE_ROOT and an IPC channel)');
  process.exit(2);
}

const topology = topologyFromEnv();
const app = await benchApp(rootDir, topology);

const echo = await connect({ ...natsConnectOptions(topology.broker!), name: 'bench-remote-echo' } as NodeConnectionOptions);
// The bytes ServerNats sends back for a quote: { response: { ok, value }, isDisposed, id }.
const reply = JSON.stringify({ response: { ok: true, value: await new PricingService().quote(SAMPLE_INPUT) }, isDisposed: true, id: randomUUID() });
echo.subscribe(`${topology.broker!.namespace}.bench.echo`, {
  callback: (_error, message) => {
    message.respond(reply);
  },
});

const tcp = createServer((socket) => {
  socket.setNoDelay(true);
  socket.on('data', (data) => socket.write(data));
});
await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
const tcpPort = (tcp.address() as { port: number }).port;

let closing = false;
async function stop(): Promise<void> {
  if (closing) return;
  closing = true;
  tcp.close();
  await echo.close();
  await app.close();
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('disconnect', () => void stop());
// The runner's "tracing on" rows: this side registers the same SDK (see bench/tracing.ts).
const tracing = benchTracing();
process.on('message', (message) => {
  if (message === 'stop') void stop();
  if (message === 'tracing-on') {
    tracing.on();
    process.send!({ done: message });
  }
  if (message === 'tracing-off') void tracing.off().then(() => process.send!({ done: message, spans: tracing.spans }));
});
await echo.flush();
process.send({ ready: true, tcpPort });
