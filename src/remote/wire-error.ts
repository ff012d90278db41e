import {
  BadGatewayException,
  BadRequestException,
  ConflictException,
  ForbiddenException,
  GatewayTimeoutException,
  GoneException,
  HttpException,
  HttpVersionNotSupportedException,
  ImATeapotException,
  InternalServerErrorException,
  MethodNotAllowedException,
  MisdirectedException,
  NotAcceptableException,
  NotFoundException,
  NotImplementedException,
  PayloadTooLargeException,
  PreconditionFailedException,
  RequestTimeoutException,
  ServiceUnavailableException,
  UnauthorizedException,
  UnprocessableEntityException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { toWire } from './wire-codec.js';

/** An error as it travels back from a facade call: enough to rebuild one that reads the same. */
export interface WireError {
  name: string;
  message: string;
  /** A stable code (e.g. `billing.insufficient-credits`) callers recognise without `instanceof`. */
  code?: string;
  /** Set for HttpExceptions: the status and the response body Nest would have sent. */
  status?: number;
  response?: unknown;
  /** The error's own enumerable data fields (e.g. accountId, required, available). */
  data?: Record<string, unknown>;
}

/**
 * A facade error thrown in another process (or round-tripped in strict mode). It keeps the
 * name, message, `code` and data fields of the original, so `SomeError.is(error)` checks based
 * on `code` keep working; `instanceof` the original class does not (it cannot, across processes).
 */
export class RemoteCallError extends Error {
  code?: string;
  [field: string]: unknown;
  constructor(wire: WireError) {
    super(wire.message);
    // Data fields only: a crafted reply must not replace the message, the name or the prototype.
    for (const [key, value] of Object.entries(wire.data ?? {})) {
      if (STANDARD_FIELDS.has(key) || UNSAFE_KEYS.has(key)) continue;
      Object.defineProperty(this, key, { value, enumerable: true, writable: true, configurable: true });
    }
    this.name = wire.name;
    if (wire.code !== undefined) this.code = wire.code;
  }
}

/** No process serves the module, or the broker is not reachable: an HTTP 503, answered at once. */
export class RemoteModuleUnavailableError extends ServiceUnavailableException {
  constructor(readonly module: string, detail: string) {
    super(`module '${module}' is unavailable: ${detail}`);
    this.name = 'RemoteModuleUnavailableError';
  }
}

/** The module's process took longer than the call timeout: an HTTP 504. */
export class RemoteCallTimeoutError extends GatewayTimeoutException {
  constructor(readonly module: string, call: string, timeoutMs: number) {
    super(`${call} on module '${module}' did not answer within ${timeoutMs} ms`);
    this.name = 'RemoteCallTimeoutError';
  }
}

// Nest's built-in HTTP exceptions, so a caller's `instanceof NotFoundException` holds across processes.
const HTTP_EXCEPTIONS: Array<{ prototype: HttpException; name: string }> = [
  BadRequestException,
  UnauthorizedException,
  ForbiddenException,
  NotFoundException,
  MethodNotAllowedException,
  NotAcceptableException,
  RequestTimeoutException,
  ConflictException,
  GoneException,
  PreconditionFailedException,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
  ImATeapotException,
  MisdirectedException,
  UnprocessableEntityException,
  InternalServerErrorException,
  NotImplementedException,
  BadGatewayException,
  ServiceUnavailableException,
  GatewayTimeoutException,
  HttpVersionNotSupportedException,
];
const BY_NAME = new Map(HTTP_EXCEPTIONS.map((type) => [type.name, type]));
const BY_STATUS = new Map(HTTP_EXCEPTIONS.map((type) => [statusOf(type), type]));

function statusOf(type: { prototype: HttpException }): number {
  return (new (type as unknown as new () => HttpException)()).getStatus();
}

const STANDARD_FIELDS = new Set(['name', 'message', 'stack', 'code', 'cause']);
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Turns anything thrown by a facade into its wire form. Stacks stay in the process that threw. */
export function toWireError(error: unknown): WireError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const wire: WireError = { name: error.name, message: error.message };
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') wire.code = code;
  if (error instanceof HttpException) {
    wire.status = error.getStatus();
    wire.response = safe(error.getResponse());
    return wire;
  }
  const data: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    if (STANDARD_FIELDS.has(key)) continue;
    const copy = safe(value);
    if (copy !== undefined) data[key] = copy;
  }
  if (Object.keys(data).length > 0) wire.data = data;
  return wire;
}

/** Rebuilds an error that reads the same as the original: same HttpException class and body, or same name/message/code/data. */
export function fromWireError(wire: WireError): Error {
  if (typeof wire.status === 'number') {
    const exception = new HttpException(wire.response ?? wire.message, wire.status);
    const type = BY_NAME.get(wire.name) ?? BY_STATUS.get(wire.status);
    if (type) Object.setPrototypeOf(exception, type.prototype);
    exception.name = wire.name;
    exception.message = wire.message;
    return exception;
  }
  return new RemoteCallError(wire);
}

function safe(value: unknown): unknown {
  try {
    return toWire(value, 'error');
  } catch {
    return undefined;
  }
}
