import { CALL_REFUSED, type CallReply } from './facade-server.js';

/** What Nest's NATS server hands a handler as its second argument (NatsContext). */
interface SubjectContext {
  getSubject?(): unknown;
  getHeaders?(): unknown;
}

/**
 * The handler of `<facade subject>.*`: the method is the subject's last token, which is what the
 * broker's permissions allow or refuse a caller. A packet naming another method than its subject
 * is refused before anything runs, so a caller allowed `authenticate` cannot smuggle
 * `webhookTarget` in the body. Everything else (the method list, the arguments) is checked by
 * the facade's own handler.
 */
export function methodSubjectHandler(
  facadeSubject: string,
  facadeName: string,
  handler: (payload: unknown, context?: SubjectContext) => Promise<CallReply>,
): (payload: unknown, context?: SubjectContext) => Promise<CallReply> {
  const prefix = `${facadeSubject}.`;
  return async (payload, context) => {
    const subject = typeof context?.getSubject === 'function' ? context.getSubject() : undefined;
    const method = typeof subject === 'string' && subject.startsWith(prefix) ? subject.slice(prefix.length) : undefined;
    if (payload !== null && typeof payload === 'object' && !Array.isArray(payload)) {
      // An own data property only: never a getter, never a __proto__ key.
      const named = Object.getOwnPropertyDescriptor(payload, 'method')?.value;
      if (method === undefined || named !== method) {
        return {
          ok: false,
          error: {
            name: 'RemoteCallRefused',
            code: CALL_REFUSED,
            message: `${facadeName}: the call was sent to the subject of method '${method ?? '?'}' but names ${typeof named === 'string' ? `'${named.slice(0, 100)}'` : 'no method'}; a call names the method of its subject`,
          },
        };
      }
    }
    return handler(payload, context);
  };
}
