import { describe, expect, it } from '@jest/globals';
import * as nest from '@nestjs/common';
import { BadRequestException, ConflictException, HttpException, NotFoundException } from '@nestjs/common';
import { RemoteCallError, RemoteCallTimeoutError, RemoteModuleUnavailableError, fromWireError, toWireError, toWire } from 'nest-modulith';
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

  it("keeps the serving process's stack and cause out of the wire form", () => {
    const wire = toWireError(new Error('boom', { cause: new Error('disk full') }));
    expect(wire).toEqual({ name: 'Error', message: 'boom' });
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

  it('a thrown non-error value arrives as an Error carrying its text', () => {
    const error = overTheWire('plain string');
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe('plain string');
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
