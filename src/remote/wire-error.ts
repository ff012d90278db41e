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
import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { toWire } from './wire-codec.js';

/** An error as it travels back from a facade call: enough to rebuild one that reads the same. */
export interface WireError {
  name: string;
  message: string;
  /** A stable code (e.g. `billing.insufficient-credits`) callers recognise without `instanceof`. */
  code?: string;
  /** Finds the full error (stack, cause, driver details) in the serving process's log. */
  errorId?: string;
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
  /** The id under which the serving process logged the full error. */
  errorId?: string;
  [field: string]: unknown;
  constructor(wire: WireError) {
    super(text(wire?.message) ?? '');
    // Data fields only: a crafted reply must not replace the message, the name or the prototype.
    const data = wire?.data;
    if (isPlainObject(data)) {
      for (const [key, value] of Object.entries(data)) {
        if (STANDARD_FIELDS.has(key) || UNSAFE_KEYS.has(key)) continue;
        Object.defineProperty(this, key, { value, enumerable: true, writable: true, configurable: true });
      }
    }
    this.name = text(wire?.name) ?? 'Error';
    const code = text(wire?.code);
    if (code !== undefined) this.code = code;
    const errorId = text(wire?.errorId);
    if (errorId !== undefined) this.errorId = errorId;
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

const STANDARD_FIELDS = new Set(['name', 'message', 'stack', 'code', 'cause', 'errorId']);
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The code of an error the serving process did not mean to send: its details stay in its log. */
export const INTERNAL_ERROR = 'modulith.internal-error';

/**
 * A domain error's code: `<module>.<reason>`, lowercase words joined by dots, e.g.
 * `billing.insufficient-credits`. Driver and runtime codes (`SQLITE_ERROR`, `23505`, `ECONNRESET`,
 * `ERR_INVALID_ARG_TYPE`) never have that form.
 */
const DOMAIN_CODE = /^[a-z][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$/;

/** Where an error was thrown: `internal error in <module>.<method>`. */
export interface ErrorOrigin {
  module: string;
  method: string;
  /** The facade class name, for the log. */
  facade?: string;
}

/** How toWireError sorts what it sends: `unexpected` ones cross as a generic error. */
export type WireErrorKind = 'http' | 'domain' | 'unexpected';

/** Receives each error toWireError turns into its wire form, with the id the wire form carries. */
export type WireErrorLog = (entry: { errorId: string; kind: WireErrorKind; error: unknown; wire: WireError; origin?: ErrorOrigin }) => void;

/** A domain error: an Error whose `code` is `<module>.<reason>` (or one that already crossed the wire). */
export function isDomainError(error: unknown): error is Error & { code: string } {
  if (error instanceof RemoteCallError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && DOMAIN_CODE.test(code);
}

/**
 * Turns anything thrown by a facade into its wire form, with a fresh `errorId`. What may cross:
 * - an HttpException: its class name, status and body (what Nest would answer over HTTP);
 * - a domain error (`code` of the form `<module>.<reason>`, see isDomainError): its name,
 *   message, code and data fields;
 * - anything else (a TypeError, a QueryFailedError, a thrown string...): only a generic
 *   `internal error in <module>.<method> (error id X)`, since its message, fields and stack may
 *   hold SQL, driver details or paths. `log` receives the original to write it down under that id.
 * Stacks and causes never cross.
 */
export function toWireError(error: unknown, origin?: ErrorOrigin, log?: WireErrorLog): WireError {
  const errorId = randomUUID();
  const { wire, kind } = wireFormOf(error, errorId, origin);
  log?.({ errorId, kind, error, wire, origin });
  return wire;
}

function wireFormOf(error: unknown, errorId: string, origin: ErrorOrigin | undefined): { wire: WireError; kind: WireErrorKind } {
  if (error instanceof HttpException) {
    const wire: WireError = { name: error.name, message: error.message };
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') wire.code = code;
    wire.status = error.getStatus();
    wire.response = safe(error.getResponse());
    wire.errorId = errorId;
    return { wire, kind: 'http' };
  }
  if (isDomainError(error)) {
    const wire: WireError = { name: error.name, message: error.message, code: error.code };
    const data: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(error)) {
      if (STANDARD_FIELDS.has(key)) continue;
      const copy = safe(value);
      if (copy !== undefined) data[key] = copy;
    }
    if (Object.keys(data).length > 0) wire.data = data;
    // An error relayed from a further process keeps the id that process logged it under.
    wire.errorId = error instanceof RemoteCallError && error.errorId ? error.errorId : errorId;
    return { wire, kind: 'domain' };
  }
  const where = origin ? ` in ${origin.module}.${origin.method}` : '';
  return { wire: { name: 'InternalError', message: `internal error${where} (error id ${errorId})`, code: INTERNAL_ERROR, errorId }, kind: 'unexpected' };
}

/** Rebuilds an error that reads the same as the original: same HttpException class and body, or same name/message/code/data. */
export function fromWireError(wire: WireError): Error {
  if (typeof wire?.status === 'number' && Number.isInteger(wire.status) && wire.status >= 400 && wire.status <= 599) {
    const message = text(wire.message) ?? '';
    const exception = new HttpException(wire.response ?? message, wire.status);
    const name = text(wire.name) ?? 'HttpException';
    const type = BY_NAME.get(name) ?? BY_STATUS.get(wire.status);
    if (type) Object.setPrototypeOf(exception, type.prototype);
    exception.name = name;
    exception.message = message;
    const errorId = text(wire.errorId);
    if (errorId !== undefined) Object.defineProperty(exception, 'errorId', { value: errorId, enumerable: false, writable: true, configurable: true });
    return exception;
  }
  return new RemoteCallError(wire);
}

/**
 * The log of the serving process (Nest's Logger, under `context`): an unexpected error in full
 * (stack, cause and own fields such as a driver's query) at error level, a refused call at warn
 * level, and the errors a facade meant to send (HttpExceptions, domain errors) at debug level.
 */
export function logWireErrors(logger: { error(message: string, stack?: string): void; warn(message: string): void; debug?(message: string): void }): WireErrorLog {
  return ({ errorId, kind, error, wire, origin }) => {
    const where = origin ? `${origin.module}.${origin.method}${origin.facade ? ` (${origin.facade}.${origin.method})` : ''}` : 'a facade call';
    if (kind === 'unexpected' || (kind === 'http' && (wire.status ?? 500) >= 500)) {
      logger.error(`error id ${errorId}: ${where} failed: ${describe(error)}`, inspect(error, { depth: 4, breakLength: 120 }));
    } else {
      logger.debug?.(`error id ${errorId}: ${where} answered ${wire.name}: ${wire.message}`);
    }
  };
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  try {
    return `a thrown ${typeof error}: ${String(error)}`;
  } catch {
    return `a thrown ${typeof error}`;
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function safe(value: unknown): unknown {
  try {
    return toWire(value, 'error');
  } catch {
    return undefined;
  }
}
