import { createServer, STATUS_CODES, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import type { BrokerClient } from './broker-client.js';
import { subjects } from './broker-options.js';
import { continueForwardedTrace, forwardSpan, withActiveTraceContext } from './gateway-spans.js';
import { kindOf, ownValue, quote } from './request-packet.js';
import { valueDepthExceeds, wireLimits } from './wire-codec.js';
import { RemoteCallTimeoutError, RemoteModuleUnavailableError } from './wire-error.js';

/**
 * One public URL whatever the topology: the process that receives `/media/...` but does not host
 * media forwards the request over the broker to a process that does, which replays it against
 * its own Nest HTTP stack (guards, pipes, controllers unchanged) and sends the response back.
 * Bodies travel base64-encoded inside the broker message, so a forwarded body is bounded by the
 * wire limit (see maxForwardedBodyBytes); a larger one is answered 413 by the forwarding side.
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

/** The methods the gateway forwards; CONNECT and TRACE (and anything else) are not replayed. */
const FORWARDED_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** An HTTP token (RFC 9110): what a method or a header name may be made of. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** A header value: visible Latin-1 characters, spaces and tabs; never CR, LF or NUL. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** A path and query as a client sends it: printable ASCII, no spaces, starting with one `/`. */
const REQUEST_PATH = /^\/(?!\/)[\x21-\x7e]*$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const MAX_URL_LENGTH = 8 * 1024;
const MAX_HEADERS = 200;

/** Room left in a broker message for the rest of the forwarded request (method, URL, headers). */
const ENVELOPE_BYTES = 64 * 1024;

/** The largest request body the gateway forwards: what fits in a broker message once base64-encoded. */
export function maxForwardedBodyBytes(): number {
  return Math.max(0, Math.floor(((wireLimits().maxBytes - ENVELOPE_BYTES) * 3) / 4));
}

/** A JSON error response in the shape Nest answers with: `{ statusCode, error, message }`. */
export function httpErrorResponse(status: number, message: string): WireHttpResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: Buffer.from(errorBody(status, message)).toString('base64') };
}

function errorBody(status: number, message: string): string {
  return JSON.stringify({ statusCode: status, error: STATUS_CODES[status] ?? 'Error', message });
}

/** A forwarded request, checked field by field: what the replayer may hand to fetch(). */
type CheckedRequest = { method: string; url: string; headers: Record<string, string>; body?: Buffer };

/** Checks a forwarded request from the broker (anything may have sent it); never throws. */
export function checkForwardedRequest(payload: unknown): CheckedRequest | { status: number; message: string } {
  const malformed = (message: string) => ({ status: 400, message: `malformed forwarded request: ${message}` });
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    return malformed(`a forwarded request must be an object { method, url, headers, body } (got ${kindOf(payload)})`);
  }
  const method = ownValue(payload, 'method');
  const url = ownValue(payload, 'url');
  const headers = ownValue(payload, 'headers') ?? {};
  const body = ownValue(payload, 'body');
  if (typeof method !== 'string' || !TOKEN.test(method)) return malformed(`'method' must be an HTTP method (got ${typeof method === 'string' ? `'${quote(method, 20)}'` : kindOf(method)})`);
  if (!FORWARDED_METHODS.has(method)) return { status: 405, message: `method '${quote(method, 20)}' is not forwarded (only ${[...FORWARDED_METHODS].join(', ')})` };
  if (typeof url !== 'string' || url.length > MAX_URL_LENGTH || !REQUEST_PATH.test(url)) {
    return malformed(`'url' must be a path and query starting with a single '/', in printable ASCII, at most ${MAX_URL_LENGTH} characters`);
  }
  if (headers === null || typeof headers !== 'object' || Array.isArray(headers)) return malformed(`'headers' must be an object of header names to values (got ${kindOf(headers)})`);
  const entries = Object.entries(headers);
  if (entries.length > MAX_HEADERS) return malformed(`more than ${MAX_HEADERS} headers`);
  const checkedHeaders: Record<string, string> = {};
  for (const [name, value] of entries) {
    if (!TOKEN.test(name)) return malformed(`header name '${quote(name, 40)}' is not an HTTP token`);
    if (typeof value !== 'string' || !HEADER_VALUE.test(value)) return malformed(`header '${quote(name, 40)}' must be a string without CR, LF or NUL`);
    if (!HOP_BY_HOP.has(name.toLowerCase())) checkedHeaders[name] = value;
  }
  if (body !== undefined && (typeof body !== 'string' || body.length % 4 !== 0 || !BASE64.test(body))) return malformed(`'body' must be a base64 string`);
  const bytes = typeof body === 'string' ? Buffer.from(body, 'base64') : undefined;
  if (bytes && bytes.length > maxForwardedBodyBytes()) return { status: 413, message: `the request body is larger than ${maxForwardedBodyBytes()} bytes` };
  return { method, url, headers: checkedHeaders, ...(bytes && method !== 'GET' && method !== 'HEAD' ? { body: bytes } : {}) };
}

/**
 * Serving side: replays forwarded requests against `listener` (the app's Express instance)
 * through a private loopback socket opened on first use, so it works whether or not the app
 * itself listens. Every request gets a response: a malformed one a 400/405/413 JSON error, one
 * that cannot be replayed a 502.
 */
export class LoopbackReplayer {
  private readonly logger = new Logger('HttpGateway');
  private server: Server | undefined;
  private port: Promise<number> | undefined;

  constructor(private readonly listener: () => RequestListener) {}

  readonly handle: HttpRequestHandler = async (payload) => {
    const request = checkForwardedRequest(payload);
    if ('status' in request) {
      this.logger.warn(`refused a forwarded request from the broker: ${request.message}`);
      return httpErrorResponse(request.status, request.message);
    }
    try {
      const port = await this.open();
      const response = await fetch(`http://127.0.0.1:${port}${request.url}`, {
        method: request.method,
        headers: withActiveTraceContext(request.headers),
        body: request.body,
        redirect: 'manual',
      });
      const headers: Record<string, string | string[]> = {};
      response.headers.forEach((value, name) => {
        if (!HOP_BY_HOP.has(name) && name !== 'content-encoding') headers[name] = value;
      });
      const setCookies = response.headers.getSetCookie();
      if (setCookies.length > 0) headers['set-cookie'] = setCookies;
      return { status: response.status, headers, body: Buffer.from(await response.arrayBuffer()).toString('base64') };
    } catch (error) {
      this.logger.error(`cannot replay ${request.method} ${quote(request.url)}: ${(error as Error)?.message ?? 'unknown error'}`);
      return httpErrorResponse(502, 'the forwarded request could not be replayed');
    }
  };

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.port = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private open(): Promise<number> {
    this.port ??= new Promise<number>((resolve, reject) => {
      const server = createServer(continueForwardedTrace(this.listener()));
      this.server = server;
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
    });
    return this.port;
  }
}

/** A failure of the forwarding side that answers with its own status (never a 500). */
class GatewayRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Forwarding side: an Express-style middleware that sends requests under `/<module>` of a remote
 * module to the broker and writes the answer. Other paths go to `next()`. A body it cannot
 * forward is a 413 (too large for a broker message) or a 400 (a parsed JSON body nested deeper
 * than the wire limit); a reply that is no HTTP response is a 502.
 */
export function gatewayMiddleware(remoteModules: readonly string[], broker: BrokerClient) {
  const routed = new Set(remoteModules);
  const logger = new Logger('HttpGateway');
  return async (req: IncomingMessage & { body?: unknown; originalUrl?: string }, res: ServerResponse, next: (error?: unknown) => void) => {
    const url = req.originalUrl ?? req.url ?? '/';
    const module = /^\/([^/?#]+)/.exec(url)?.[1];
    if (!module || !routed.has(module)) return next();
    try {
      const forwarded: WireHttpRequest = { method: req.method ?? 'GET', url, headers: forwardHeaders(req), body: await requestBody(req) };
      const call = `${forwarded.method} ${url.split('?')[0]}`;
      const send = async () => checkedAnswer(await broker.request(module, subjects.http(broker.options.namespace, module), forwarded, call));
      const answer = await forwardSpan(module, forwarded.method, send);
      res.statusCode = answer.status;
      for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
      res.end(Buffer.from(answer.body, 'base64'));
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
      } else if (error instanceof RemoteModuleUnavailableError || error instanceof RemoteCallTimeoutError) {
        writeJson(res, error.getStatus(), JSON.stringify(error.getResponse()));
      } else if (error instanceof GatewayRefusal) {
        writeJson(res, error.status, errorBody(error.status, error.message));
      } else {
        logger.error(`cannot forward ${req.method} ${quote(url)} to module '${module}': ${(error as Error)?.message ?? 'unknown error'}`);
        writeJson(res, 502, errorBody(502, `module '${module}' did not answer with an HTTP response`));
      }
    }
  };
}

function writeJson(res: ServerResponse, status: number, body: string): void {
  for (const name of res.getHeaderNames()) res.removeHeader(name);
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(body);
}

/** The serving process's answer, checked: a rogue responder on the broker must not make us write nonsense. */
function checkedAnswer(answer: unknown): WireHttpResponse {
  const bad = () => new Error('the reply is no HTTP response');
  if (answer === null || typeof answer !== 'object' || Array.isArray(answer)) throw bad();
  const status = ownValue(answer, 'status');
  const headers = ownValue(answer, 'headers');
  const body = ownValue(answer, 'body');
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599) throw bad();
  if (headers === null || typeof headers !== 'object' || Array.isArray(headers) || typeof body !== 'string') throw bad();
  for (const [name, value] of Object.entries(headers)) {
    const values = Array.isArray(value) ? value : [value];
    if (!TOKEN.test(name) || values.some((item) => typeof item !== 'string' || !HEADER_VALUE.test(item))) throw bad();
  }
  return { status, headers: headers as WireHttpResponse['headers'], body };
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

/** The request body as base64: re-encoded when a body parser already consumed it, else read from the stream (bounded). */
async function requestBody(req: IncomingMessage & { body?: unknown }): Promise<string | undefined> {
  const max = maxForwardedBodyBytes();
  const tooLarge = () => new GatewayRefusal(413, `the request body is larger than ${max} bytes, the most a broker message carries`);
  // Express 5 leaves req.body undefined unless a body parser read the stream.
  if (req.body !== undefined) {
    const type = String(req.headers['content-type'] ?? '');
    let bytes: Buffer;
    if (Buffer.isBuffer(req.body)) bytes = req.body;
    else if (typeof req.body === 'string') bytes = Buffer.from(req.body);
    else if (type.includes('application/x-www-form-urlencoded')) bytes = Buffer.from(new URLSearchParams(req.body as Record<string, string>).toString());
    else {
      // JSON.stringify recurses: a body nested a few thousand levels deep would overflow the stack.
      const maxDepth = wireLimits().maxDepth;
      if (valueDepthExceeds(req.body, maxDepth)) throw new GatewayRefusal(400, `the JSON body is nested deeper than ${maxDepth} levels, the most the gateway forwards`);
      bytes = Buffer.from(JSON.stringify(req.body));
    }
    if (bytes.length > max) throw tooLarge();
    return bytes.toString('base64');
  }
  if (req.readableEnded) return undefined;
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) {
      // Discard the rest, so the client reads our 413 instead of a reset connection.
      req.resume();
      throw tooLarge();
    }
    chunks.push(chunk as Buffer);
  }
  return chunks.length > 0 ? Buffer.concat(chunks).toString('base64') : undefined;
}
