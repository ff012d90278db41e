import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrokerClient } from './broker-client.js';
import { subjects } from './broker-options.js';
import { RemoteCallTimeoutError, RemoteModuleUnavailableError } from './wire-error.js';

/**
 * One public URL whatever the topology: the process that receives `/media/...` but does not host
 * media forwards the request over the broker to a process that does, which replays it against
 * its own Nest HTTP stack (guards, pipes, controllers unchanged) and sends the response back.
 * Bodies travel base64-encoded inside the broker message (NATS' default limit is 1 MB).
 */
export interface WireHttpRequest {
  method: string;
  /** Path and query, e.g. `/media/jobs/123?x=1`. */
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface WireHttpResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: string;
}

export type HttpRequestHandler = (payload: unknown) => Promise<WireHttpResponse>;

/** Headers that describe one hop, not the request. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'host', 'content-length', 'te', 'trailer', 'proxy-connection']);

/**
 * Serving side: replays forwarded requests against `listener` (the app's Express instance)
 * through a private loopback socket opened on first use, so it works whether or not the app
 * itself listens.
 */
export class LoopbackReplayer {
  private server: Server | undefined;
  private port: Promise<number> | undefined;

  constructor(private readonly listener: () => RequestListener) {}

  readonly handle: HttpRequestHandler = async (payload) => {
    const request = payload as WireHttpRequest;
    if (typeof request?.method !== 'string' || typeof request.url !== 'string' || !request.url.startsWith('/')) {
      return { status: 400, headers: { 'content-type': 'application/json' }, body: json({ statusCode: 400, message: 'malformed forwarded request' }) };
    }
    const port = await this.open();
    const response = await fetch(`http://127.0.0.1:${port}${request.url}`, {
      method: request.method,
      headers: request.headers,
      body: request.body !== undefined && request.method !== 'GET' && request.method !== 'HEAD' ? Buffer.from(request.body, 'base64') : undefined,
      redirect: 'manual',
    });
    const headers: Record<string, string | string[]> = {};
    response.headers.forEach((value, name) => {
      if (!HOP_BY_HOP.has(name) && name !== 'content-encoding') headers[name] = value;
    });
    const setCookies = response.headers.getSetCookie();
    if (setCookies.length > 0) headers['set-cookie'] = setCookies;
    return { status: response.status, headers, body: Buffer.from(await response.arrayBuffer()).toString('base64') };
  };

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.port = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private open(): Promise<number> {
    this.port ??= new Promise<number>((resolve, reject) => {
      const server = createServer(this.listener());
      this.server = server;
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
    });
    return this.port;
  }
}

/**
 * Forwarding side: an Express-style middleware that sends requests under `/<module>` of a remote
 * module to the broker and writes the answer. Other paths go to `next()`.
 */
export function gatewayMiddleware(remoteModules: readonly string[], broker: BrokerClient) {
  const routed = new Set(remoteModules);
  return async (req: IncomingMessage & { body?: unknown; originalUrl?: string }, res: ServerResponse, next: (error?: unknown) => void) => {
    const url = req.originalUrl ?? req.url ?? '/';
    const module = /^\/([^/?#]+)/.exec(url)?.[1];
    if (!module || !routed.has(module)) return next();
    try {
      const forwarded: WireHttpRequest = { method: req.method ?? 'GET', url, headers: forwardHeaders(req), body: await requestBody(req) };
      const call = `${forwarded.method} ${url.split('?')[0]}`;
      const answer = (await broker.request(module, subjects.http(broker.options.namespace, module), forwarded, call)) as WireHttpResponse;
      res.statusCode = answer.status;
      for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
      res.end(Buffer.from(answer.body, 'base64'));
    } catch (error) {
      if (error instanceof RemoteModuleUnavailableError || error instanceof RemoteCallTimeoutError) {
        res.statusCode = error.getStatus();
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.end(json(error.getResponse()));
      } else next(error);
    }
  };
}

function forwardHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  if (req.socket?.remoteAddress) headers['x-forwarded-for'] = [headers['x-forwarded-for'], req.socket.remoteAddress].filter(Boolean).join(', ');
  return headers;
}

/** The request body as base64: re-encoded when a body parser already consumed it, else read from the stream. */
async function requestBody(req: IncomingMessage & { body?: unknown }): Promise<string | undefined> {
  // Express 5 leaves req.body undefined unless a body parser read the stream.
  if (req.body !== undefined) {
    const type = String(req.headers['content-type'] ?? '');
    if (Buffer.isBuffer(req.body)) return req.body.toString('base64');
    if (typeof req.body === 'string') return Buffer.from(req.body).toString('base64');
    if (type.includes('application/x-www-form-urlencoded')) return Buffer.from(new URLSearchParams(req.body as Record<string, string>).toString()).toString('base64');
    return Buffer.from(JSON.stringify(req.body)).toString('base64');
  }
  if (req.readableEnded) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length > 0 ? Buffer.concat(chunks).toString('base64') : undefined;
}

function json(value: unknown): string {
  return JSON.stringify(value);
}
