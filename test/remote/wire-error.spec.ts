// @modulith-covers remote, billing
import { describe, expect, it } from '@jest/globals';
import * as nest from '@nestjs/common';
import { BadRequestException, ConflictException, HttpException, NotFoundException } from '@nestjs/common';
import { QueryFailedError, TypeORMError } from 'typeorm';
import { RemoteCallError, RemoteCallTimeoutError, RemoteModuleUnavailableError, WireContractError, fromWireError, toWireError, toWire, type WireErrorLog } from 'nest-modulith';
import { InsufficientCreditsError } from '../../modules/billing/index.js';

// An error thrown by a facade in another process comes back through toWireError -> JSON ->
// fromWireError. Callers catch it the way they would in process: same HttpException class, status
// and body; or, for domain errors, the same name, message, code and fields.

/** The trip an error makes from the serving process to the caller. */
function overTheWire(error: unknown): any {
  const wire = toWireError(error);
  expect(toWire(wire, 'error')).toEqual(wire);
  return fromWireError(JSON.parse(JSON.stringify(wire)));
}

describe('errors crossing the wire', () => {
  it('a NotFoundException arrives as a NotFoundException with the same status, body and name', () => {
    const original = new NotFoundException("no job 'j-1'");
    const error = overTheWire(original);

    expect(error).toBeInstanceOf(NotFoundException);
    expect(error).toBeInstanceOf(HttpException);
    expect(error.getStatus()).toBe(404);
    expect(error.getResponse()).toEqual(original.getResponse());
    expect(error.name).toBe('NotFoundException');
    expect(error.message).toBe("no job 'j-1'");
  });

  it('a BadRequestException with a validation message array keeps the array in its body', () => {
    const original = new BadRequestException(['name must not be empty', 'amount must be positive']);
    const error = overTheWire(original);

    expect(error).toBeInstanceOf(BadRequestException);
    expect(error.getStatus()).toBe(400);
    expect(error.getResponse()).toEqual({ statusCode: 400, error: 'Bad Request', message: ['name must not be empty', 'amount must be positive'] });
  });

  // Rebuilt from the body alone, an exception whose body message is not a string (a validation
  // array) would read 'Http Exception': the message travels on its own.
  it('a BadRequestException with a validation message array keeps its message', () => {
    const original = new BadRequestException(['name must not be empty']);
    expect(overTheWire(original).message).toBe(original.message); // 'Bad Request Exception'
  });

  it('a ConflictException with a custom body keeps the body', () => {
    const original = new ConflictException({ statusCode: 409, message: 'already charged', jobId: 'j-1' });
    const error = overTheWire(original);
    expect(error).toBeInstanceOf(ConflictException);
    expect(error.getResponse()).toEqual({ statusCode: 409, message: 'already charged', jobId: 'j-1' });
  });

  // `instanceof` the class the facade threw must hold for the caller, for every built-in.
  it("every one of Nest's built-in HTTP exceptions arrives as its own class", () => {
    const builtIn = (Object.values(nest) as unknown[]).filter(
      (value): value is new () => HttpException => typeof value === 'function' && value.prototype instanceof HttpException,
    );
    expect(builtIn.length).toBeGreaterThan(15);
    const lost = builtIn.filter((type) => !(overTheWire(new type()) instanceof type)).map((type) => type.name);
    expect(lost).toEqual([]);
  });

  it('a domain error keeps name, message, code and data fields, so `InsufficientCreditsError.is` still recognises it', () => {
    const error = overTheWire(new InsufficientCreditsError('acc-1', 5, 2));

    expect(error).toBeInstanceOf(RemoteCallError);
    expect(error).toBeInstanceOf(Error);
    // Across processes the class cannot come back; the code can.
    expect(error).not.toBeInstanceOf(InsufficientCreditsError);
    expect(InsufficientCreditsError.is(error)).toBe(true);
    expect(error).toMatchObject({
      name: 'InsufficientCreditsError',
      message: 'not enough credits: 5 required, 2 available',
      code: 'billing.insufficient-credits',
      accountId: 'acc-1',
      required: 5,
      available: 2,
    });
  });

  // An error the facade did not mean to send (no HttpException, no domain code) may hold SQL,
  // driver details or paths in its message and fields: only a generic error with an id crosses.
  it("keeps the serving process's stack, cause and message out of the wire form", () => {
    const wire = toWireError(new Error('boom', { cause: new Error('disk full') }), { module: 'media', method: 'getJob' });
    expect(wire).toEqual({ name: 'InternalError', code: 'modulith.internal-error', errorId: expect.any(String), message: `internal error in media.getJob (error id ${wire.errorId})` });
  });

  it('leaves out data fields that cannot cross the wire, and keeps the others', () => {
    class JobFailed extends Error {
      readonly code = 'media.job-failed';
      constructor(
        readonly jobId: string,
        readonly at: Date,
      ) {
        super(`job ${jobId} failed`);
        this.name = 'JobFailed';
      }
    }
    const error = overTheWire(new JobFailed('j-1', new Date(0)));
    expect(error).toMatchObject({ name: 'JobFailed', code: 'media.job-failed', jobId: 'j-1' });
    expect(error.at).toBeUndefined();
  });

  it('a thrown non-error value arrives as a generic internal error, without its text', () => {
    const error = overTheWire('plain string');
    expect(error).toBeInstanceOf(RemoteCallError);
    expect(error).toMatchObject({ name: 'InternalError', code: 'modulith.internal-error', errorId: expect.any(String) });
    expect(error.message).not.toContain('plain string');
  });

  it('data fields cannot replace the name or code of the rebuilt error', () => {
    const error = fromWireError({ name: 'Refused', message: 'no', code: 'x.refused', data: { name: 'Other', code: 'y', reason: 'quota' } });
    expect(error).toMatchObject({ name: 'Refused', message: 'no', code: 'x.refused', reason: 'quota' });
  });

  // Only data fields are copied from a reply: never `message`, `name` or a prototype.
  it("data fields of a crafted reply cannot replace the error's message or prototype", () => {
    const wire = JSON.parse('{"name":"Refused","message":"no","data":{"message":"yes","__proto__":{"admin":true}}}');
    const error = fromWireError(wire);
    expect(error).toBeInstanceOf(RemoteCallError);
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe('no');
  });

  it('an unavailable module is a 503 and a slow one a 504, both naming the module', () => {
    const unavailable = new RemoteModuleUnavailableError('media', 'no process serves it');
    expect(unavailable).toBeInstanceOf(nest.ServiceUnavailableException);
    expect(unavailable.getStatus()).toBe(503);
    expect(unavailable.message).toBe("module 'media' is unavailable: no process serves it");

    const slow = new RemoteCallTimeoutError('media', 'MediaFacade.render', 250);
    expect(slow).toBeInstanceOf(nest.GatewayTimeoutException);
    expect(slow.getStatus()).toBe(504);
    expect(slow.message).toBe("MediaFacade.render on module 'media' did not answer within 250 ms");
  });
});

describe('what an error may carry across the wire', () => {
  const origin = { module: 'media', method: 'getJob', facade: 'MediaFacade' };

  function sqliteError(): Error {
    return Object.assign(new Error('SQLITE_ERROR: no such column: media_job.secret'), { code: 'SQLITE_ERROR', errno: 1 });
  }

  it.each([
    ['a QueryFailedError', () => new QueryFailedError('SELECT "MediaJob"."id" FROM "media_job" WHERE "id" > ?', [''], sqliteError())],
    ['a TypeORMError', () => new TypeORMError('You must provide selection conditions in order to find a single row.')],
    ['a TypeError', () => new TypeError("Cannot read properties of undefined (reading 'where')")],
    ['an error with a driver code', () => sqliteError()],
    ['an error with a Node code', () => Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { code: 'ECONNREFUSED' })],
  ])('%s crosses as a generic internal error with an id: no SQL, driver or ORM text', (_label, make) => {
    const wire = toWireError(make(), origin);

    expect(wire).toEqual({ name: 'InternalError', code: 'modulith.internal-error', errorId: expect.any(String), message: `internal error in media.getJob (error id ${wire.errorId})` });
    expect(JSON.stringify(wire)).not.toMatch(/SELECT|media_job|SQLITE|selection|ECONNREFUSED|10\.0\.0\.5|where/i);
  });

  it('the log receives the original error under the id the wire form carries', () => {
    const entries: Parameters<WireErrorLog>[0][] = [];
    const original = new QueryFailedError('SELECT 1', [], sqliteError());
    const wire = toWireError(original, origin, (entry) => entries.push(entry));

    expect(entries).toEqual([{ errorId: wire.errorId, kind: 'unexpected', error: original, wire, origin }]);
    expect(toWireError(new NotFoundException('no job'), origin, (entry) => entries.push(entry)).errorId).toBe(entries[1].errorId);
    expect(entries[1].kind).toBe('http');
  });

  it('HttpExceptions and domain errors keep what they carried, and get an id too', () => {
    const http = fromWireError(JSON.parse(JSON.stringify(toWireError(new BadRequestException('MediaFacade.getJob: jobId must be a non-empty string')))));
    expect(http).toBeInstanceOf(BadRequestException);
    expect(http.message).toBe('MediaFacade.getJob: jobId must be a non-empty string');
    expect((http as unknown as { errorId: string }).errorId).toEqual(expect.any(String));

    const domain = overTheWire(new InsufficientCreditsError('acc-1', 5, 2));
    expect(domain).toMatchObject({ name: 'InsufficientCreditsError', code: 'billing.insufficient-credits', errorId: expect.any(String), accountId: 'acc-1' });
  });

  it("a WireContractError crosses as itself: its message is the codec's own", () => {
    const error = overTheWire(new WireContractError('CatalogFacade.addedOn result', 'a Date becomes a string on the wire'));
    expect(error).toMatchObject({ name: 'WireContractError', code: 'modulith.wire-contract', message: 'CatalogFacade.addedOn result cannot cross a process boundary: a Date becomes a string on the wire' });
  });

  it('an error relayed from a further process keeps the id it was logged under there', () => {
    const relayed = new RemoteCallError({ name: 'InternalError', code: 'modulith.internal-error', message: 'internal error in billing.charge (error id abc)', errorId: 'abc' });
    expect(toWireError(relayed, origin)).toMatchObject({ name: 'InternalError', errorId: 'abc', message: 'internal error in billing.charge (error id abc)' });
  });

  it('a crafted reply with fields of the wrong type rebuilds an error without throwing', () => {
    for (const wire of [{ name: { toString: 1 }, message: ['x'], data: 'abc', code: 5 }, null, 'boom', { status: 'x' }, { status: 200, name: 'Ok' }]) {
      const error = fromWireError(wire as never);
      expect(error).toBeInstanceOf(Error);
      expect(Object.keys(error)).not.toContain('0');
    }
  });
});
