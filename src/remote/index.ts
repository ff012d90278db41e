// Public API of remote: the @Facade contract, the wire codec and its errors, and the broker
// client/server pieces the runtime wires according to the topology.
export { Facade, facadeMethods, requireFacadeMethods, type FacadeMethodNames } from './facade.decorator.js';
export {
  WireContractError,
  toWire,
  encodeWire,
  decodeWire,
  roundTrip,
  checkWireText,
  jsonDepthExceeds,
  valueDepthExceeds,
  wireLimits,
  setWireLimits,
  DEFAULT_WIRE_LIMITS,
  type WireLimits,
} from './wire-codec.js';
export {
  RemoteCallError,
  RemoteModuleUnavailableError,
  RemoteCallTimeoutError,
  toWireError,
  fromWireError,
  isDomainError,
  logWireErrors,
  INTERNAL_ERROR,
  type WireError,
  type ErrorOrigin,
  type WireErrorLog,
} from './wire-error.js';
export {
  DEFAULT_BROKER_URL,
  natsConnectOptions,
  printableUrl,
  subjects,
  requireBrokerCredential,
  insecureBrokerWarning,
  insecureFlag,
  brokerCredentialKind,
  BROKER_INSECURE_ENV,
  CREDENTIAL_VARIABLES,
  type BrokerOptions,
} from './broker-options.js';
export {
  subjectToken,
  dottedName,
  isSubjectToken,
  namespaceToken,
  NAMESPACE_PATTERN,
  SubjectNameError,
  placementKey,
  inboxPrefix,
  relayNames,
  natsName,
  type RelayNames,
} from './nats-names.js';
export { generateUserNkey, publicKeyOfSeed, isUserPublicKey, nkeyAuthenticator, readCredsFile, type UserNkey } from './nkeys.js';
export { BrokerClient, createNestNatsClient } from './broker-client.js';
export type { BrokerServer } from './broker-server.js';
export { loadBrokerServer } from './load-broker-server.js';
export { CALL_REFUSED, facadeCallHandler, type CallReply, type ServedFacade } from './facade-server.js';
export { remoteFacade } from './remote-facade.js';
export {
  ContractBook,
  ContractSkewError,
  CONTRACT_HEADER,
  CONTRACT_SKEW,
  MAX_CONTRACT_FINGERPRINTS,
  MAX_HEADER_BYTES,
  type FacadeContract,
  type UncheckedContract,
} from './contract-skew.js';
export { strictFacade, markFacadeWrapper, unwrapFacade } from './strict-facade.js';
export { CALLER_HEADER, UNKNOWN_CALLER } from './trace-headers.js';
export { FacadeInput, arg, type ArgRule } from './facade-input.js';
export { WakeableSleep } from './wakeable-sleep.js';
export { LoopbackReplayer, gatewayMiddleware, maxForwardedBodyBytes, type WireHttpRequest, type WireHttpResponse, type HttpRequestHandler } from './http-gateway.js';
