import { SpanKind } from '@opentelemetry/api';
import { ATTR, currentModule, inSpan } from '../observability/index.js';
import { requireFacadeMethods } from './facade.decorator.js';
import type { BrokerClient } from './broker-client.js';
import { subjects } from './broker-options.js';
import { ContractCaller, ContractSkewError, isContractSkewReply } from './contract-skew.js';
import { implementFacade, trimArguments } from './facade-object.js';
import type { CallReply } from './facade-server.js';
import { toWire } from './wire-codec.js';
import { fromWireError } from './wire-error.js';

type AbstractClass = abstract new (...args: any[]) => unknown;

/**
 * The facade of a module hosted by another process: implements the same abstract class, and
 * each method is a request over the broker to the process that serves the module.
 */
export function remoteFacade<T>(module: string, facade: AbstractClass, broker: BrokerClient): T {
  const methods = requireFacadeMethods(facade, `module '${module}' is remote, so its facade is a client that needs the method list`);
  // One subject per method, so the broker's permissions can allow this process exactly the
  // methods its code calls (see `modulith broker-config`).
  const subjectOf = new Map(methods.map((method) => [method, subjects.facadeMethod(broker.options.namespace, module, facade.name, method)]));
  // The caller's copy of the facade's contract (module.api.md), whose fingerprint each call carries.
  const contract = broker.contracts?.get(module, facade.name);
  const skew = contract && new ContractCaller(contract);
  return implementFacade<T>(facade, methods, (method, args) => {
    const call = `${facade.name}.${method}`;
    // The caller's half of the call: the serving process continues this trace (trace-headers.ts).
    const attributes = { [ATTR.module]: module, [ATTR.caller]: currentModule(), [ATTR.facade]: facade.name, [ATTR.method]: method };
    return inSpan(call, { kind: SpanKind.CLIENT, attributes }, () => callRemote(method, args, call));
  });

  async function callRemote(method: string, args: unknown[], call: string): Promise<unknown> {
    // Checked before sending, so a contract error reads the same as in strict mode.
    const wireArgs = toWire(trimArguments(args), `${call} arguments`);
    const subject = subjectOf.get(method)!;
    const payload = { method, args: wireArgs };
    let reply = (await broker.request(module, subject, payload, call, skew?.header(method))) as CallReply;
    if (skew && isContractSkewReply(reply)) {
      // Another contract answered, and ran nothing: refused here when the change breaks this
      // method, else resent vouching for it. More than a few rounds means instances of many
      // versions answer in turn: refused rather than looping.
      for (let round = 0; isContractSkewReply(reply); round++) {
        if (round === 3) {
          const served = reply.error.data?.fingerprint;
          throw new ContractSkewError(module, facade.name, method, skew.contract.fingerprint, typeof served === 'string' ? served.slice(0, 16) : '(unknown)', [], [], 'instances of too many contract versions answered in turn');
        }
        skew.accept(method, reply.error);
        reply = (await broker.request(module, subject, payload, call, skew.header(method))) as CallReply;
      }
    }
    if (!reply?.ok) throw fromWireError(reply?.error ?? { name: 'Error', message: `${call}: malformed reply from module '${module}'` });
    return reply.value;
  }
}
