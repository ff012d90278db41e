import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { SpanKind, SpanStatusCode, type Span } from '@opentelemetry/api';
import { ATTR, inSpan, modulithInstruments, runInModule } from '../observability/index.js';
import type { FacadeContract } from './contract-skew.js';
import { requireFacadeMethods } from './facade.decorator.js';
import { kindOf, ownValue, quote } from './request-packet.js';
import { unwrapFacade } from './strict-facade.js';
import { contextHeaders, incomingTraceHeaders } from './trace-headers.js';
import { toWire, WireContractError } from './wire-codec.js';
import { logWireErrors, toWireError, type WireError } from './wire-error.js';

type AbstractClass = abstract new (...args: any[]) => unknown;

/** What a facade call answers on the wire: a value, or an error that reads the same as in process. */
export type CallReply = { ok: true; value?: unknown } | { ok: false; error: WireError };

/** A facade this process serves: its module, its class (the contract), and the live implementation. */
export interface ServedFacade {
  module: string;
  facade: AbstractClass;
  instance: object;
  /**
   * Its contract as this process was built with it (the module's module.api.md): calls whose
   * Modulith-Contract header names another one are answered with it instead of run (see
   * contract-skew.ts). Without it, calls are not checked.
   */
  contract?: FacadeContract;
}

/** More arguments than any sensible facade method takes: refused before anything runs. */
export const MAX_ARGUMENTS = 16;

/** The error code of a call the serving process refuses to run (undeclared method, bad payload). */
export const CALL_REFUSED = 'modulith.call-refused';

const logger = new Logger('FacadeServer');
const logErrors = logWireErrors(logger);

/**
 * The reply to a call refused before anything ran, with an error id under which the refusal is
 * logged (at warn level: a refused call is a client bug, or someone probing the broker).
 */
export function refusedCall(message: string, where: string): CallReply {
  const errorId = randomUUID();
  logger.warn(`error id ${errorId}: refused a call of ${where} from the broker: ${message}`);
  return { ok: false, error: { name: 'RemoteCallRefused', code: CALL_REFUSED, message, errorId } };
}

/**
 * Builds the handler of one served facade. It answers only the methods @Facade declares (never
 * `constructor`, `__proto__` or anything else found on the prototype), checks the payload against
 * the wire rules, and never throws: every outcome is a CallReply. An error the implementation did
 * not mean to send crosses as a generic error with an id; the full error is logged here under it.
 */
export function facadeCallHandler(served: ServedFacade): (payload: unknown, context?: unknown) => Promise<CallReply> {
  const { module, facade } = served;
  // The implementation itself: the codec is on the wire already, and this handler records the
  // call's span, so an in-process wrapper (strict mode, tracing) would only repeat it.
  const instance = unwrapFacade(served.instance);
  const methods = new Set(requireFacadeMethods(facade, `module '${module}' serves it on the broker, which answers only declared methods`));
  const target = instance as Record<string, unknown>;
  for (const method of methods) {
    if (typeof target[method] !== 'function') throw new Error(`@Facade on ${facade.name} lists '${method}', but the implementation bound in '${module}' has no such method`);
  }
  return async (payload, context) => {
    let call: { method: string; args: unknown[] } | { refused: string };
    try {
      call = parsePayload(payload, facade.name, methods);
    } catch (error) {
      return { ok: false, error: toWireError(error, { module, method: '(call)', facade: facade.name }, logErrors) };
    }
    if ('refused' in call) return refusedCall(call.refused, facade.name);
    const { method, args } = call;
    const origin = { module, method, facade: facade.name };
    // The serving half of the call, continuing the caller's trace (headers checked in trace-headers.ts).
    const { parent, caller } = incomingTraceHeaders(contextHeaders(context));
    const attributes = { [ATTR.module]: module, [ATTR.caller]: caller, [ATTR.facade]: facade.name, [ATTR.method]: method };
    return inSpan(`${facade.name}.${method}`, { kind: SpanKind.SERVER, attributes, parent }, async (span) => {
      const started = performance.now();
      try {
        const value = await runInModule(module, () => (target[method] as (...args: unknown[]) => unknown).apply(instance, args));
        const reply: CallReply = value === undefined ? { ok: true } : { ok: true, value: toWire(value, `${facade.name}.${method} result`) };
        measure(attributes, started, 'ok');
        return reply;
      } catch (error) {
        const wire = toWireError(error, origin, logErrors);
        markFailed(span, wire);
        measure(attributes, started, 'error');
        return { ok: false, error: wire };
      }
    });
  };
}

/**
 * The facade metrics of a call served here: the in-process wrapper that records them for local
 * calls is unwrapped above, so a served remote call is counted once, by the serving module.
 */
function measure(attributes: Record<string, string>, started: number, outcome: 'ok' | 'error'): void {
  const { facadeCalls, facadeDuration } = modulithInstruments();
  const measured = { ...attributes, [ATTR.outcome]: outcome };
  facadeCalls.add(1, measured);
  facadeDuration.record((performance.now() - started) / 1000, measured);
}

/** The span of a failed call: what crossed the wire (a generic message and an error id for an internal error), never the stack or SQL. */
function markFailed(span: Span, error: WireError): void {
  span.recordException({ name: error.name, message: error.message });
  span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
}

function parsePayload(payload: unknown, facade: string, methods: ReadonlySet<string>): { method: string; args: unknown[] } | { refused: string } {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return { refused: `a call of ${facade} must be an object { method, args }` };
  // Own data properties only: never a getter, never something found on a prototype.
  const method = ownValue(payload, 'method');
  const args = ownValue(payload, 'args');
  const declared = `it is not one of the methods @Facade declares (${[...methods].join(', ')})`;
  if (typeof method !== 'string') {
    const given = method === undefined ? "'undefined'" : `a method given as ${kindOf(method)}`;
    return { refused: `${facade} does not answer ${given}: 'method' must be the name of a declared method (${[...methods].join(', ')})` };
  }
  if (!methods.has(method)) return { refused: `${facade} does not answer '${quote(method)}': ${declared}` };
  if (!Array.isArray(args)) return { refused: `${facade}.${method}: 'args' must be an array` };
  // Function.length stops at the first parameter with a default, so it cannot tell how many a
  // method takes; extra arguments are harmless to JavaScript anyway. Only absurd counts are refused.
  if (args.length > MAX_ARGUMENTS) return { refused: `${facade}.${method}: ${args.length} arguments; a facade call takes at most ${MAX_ARGUMENTS}` };
  try {
    return { method, args: toWire(args, `${facade}.${method} arguments`) as unknown[] };
  } catch (error) {
    if (error instanceof WireContractError) return { refused: error.message };
    throw error;
  }
}
