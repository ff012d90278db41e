// Public API of remote: the @Facade contract, the wire codec and its errors, and the broker
// client/server pieces the runtime wires according to the topology.
export { Facade, facadeMethods, requireFacadeMethods, type FacadeMethodNames } from './facade.decorator.js';
export { WireContractError, toWire, encodeWire, decodeWire, roundTrip } from './wire-codec.js';
export { RemoteCallError, RemoteModuleUnavailableError, RemoteCallTimeoutError, toWireError, fromWireError, type WireError } from './wire-error.js';
export { DEFAULT_BROKER_URL, natsConnectOptions, printableUrl, subjects, type BrokerOptions } from './broker-options.js';
export { BrokerClient, createNestNatsClient } from './broker-client.js';
export type { BrokerServer } from './broker-server.js';
export { loadBrokerServer } from './load-broker-server.js';
export { CALL_REFUSED, facadeCallHandler, type CallReply, type ServedFacade } from './facade-server.js';
export { remoteFacade } from './remote-facade.js';
export { strictFacade } from './strict-facade.js';
export { WakeableSleep } from './wakeable-sleep.js';
export { LoopbackReplayer, gatewayMiddleware, type WireHttpRequest, type WireHttpResponse, type HttpRequestHandler } from './http-gateway.js';
