import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  /** The exact bytes received: what the signature covers. */
  rawBody: Buffer;
  json: { id: string; type: string; data: Record<string, unknown> };
  /** What the receiver answered. */
  statusCode: number;
}

/** A real HTTP endpoint on 127.0.0.1 (random port) that records every webhook it receives. */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private waiters: Array<() => void> = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private statusCode: number,
  ) {}

  static async start(statusCode = 204): Promise<WebhookReceiver> {
    let receiver!: WebhookReceiver;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const rawBody = Buffer.concat(chunks);
        let json: ReceivedWebhook['json'];
        try {
          json = JSON.parse(rawBody.toString('utf8'));
        } catch {
          json = { id: '', type: 'unparseable', data: {} };
        }
        receiver.received.push({ headers: req.headers, rawBody, json, statusCode: receiver.statusCode });
        res.writeHead(receiver.statusCode).end();
        for (const wake of receiver.waiters.splice(0)) wake();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    receiver = new WebhookReceiver(server, `http://127.0.0.1:${port}/hooks`, statusCode);
    return receiver;
  }

  /** The first webhook matching `predicate`, waiting for it to arrive. */
  async next(predicate: (hook: ReceivedWebhook) => boolean, timeoutMs = 10_000): Promise<ReceivedWebhook> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find(predicate);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching webhook within ${timeoutMs} ms (received ${this.received.length})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** From now on answer with this status (e.g. 503 while "down", 204 once back up). */
  respondWith(statusCode: number): void {
    this.statusCode = statusCode;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }
}
