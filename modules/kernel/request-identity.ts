/**
 * Who made an HTTP request, as resolved by the app shell's API-key guard. Modules read it through
 * @CurrentAccount() and never look at the x-api-key header themselves, so authentication can
 * change (or move to a gateway) without touching them.
 */
export interface RequestIdentity {
  accountId: string;
}

// A symbol, not a string property: nothing else on the request object can collide with it.
const IDENTITY = Symbol.for('nest-modulith:request-identity');

type WithIdentity = { [IDENTITY]?: RequestIdentity };

export function setRequestIdentity(request: object, identity: RequestIdentity): void {
  (request as WithIdentity)[IDENTITY] = identity;
}

export function getRequestIdentity(request: object): RequestIdentity | undefined {
  return (request as WithIdentity)[IDENTITY];
}
