// Public API of the `extraction` module: how ready one module is to run in its own process
// (reached over the broker without its callers changing), and the files that deploy it.
//
//   const report = await analyzeExtraction({ rootDir, module: 'media' });
//   report.ready; report.findings;  // blockers and warnings, each with file, line, message, fix
//   writeDeploymentFiles(rootDir, deploymentFiles(report, { outDir: 'deploy/media' }));
export { analyzeExtraction, extractedConfig, UnknownModuleError, type ExtractionOptions } from './analyze-extraction.js';
export type {
  ExtractionReport,
  ExtractedConfig,
  Finding,
  FindingKind,
  Severity,
  SourceLocation,
  FacadeContract,
  FacadeMethod,
  WireIssue,
  FacadeUse,
  OwnedTable,
  TableShare,
  ForeignTableUse,
  EventRef,
  PublishedEvent,
  ConsumedEvent,
  DependencyReport,
} from './extraction-report.js';
export { prettyExtractionReport } from './pretty-report.js';
export {
  deploymentFiles,
  DEFAULT_BROKER_URL,
  DEFAULT_NAMESPACE,
  DEFAULT_SERVICE_PORT,
  type DeploymentFile,
  type DeploymentOptions,
} from './deployment-files.js';
export { writeDeploymentFiles, DeploymentWriteRefused, type WrittenFile } from './write-deployment.js';
export { defaultTableName, findEntities, sqlMentions, type EntityClass } from './shared-tables.js';
export {
  analyzeBrokerAccess,
  BrokerConfigError,
  APP_SHELL,
  type BrokerAccess,
  type BrokerAccessOptions,
  type ProcessAccess,
  type RemoteCall,
  type AccessFinding,
} from './broker-access.js';
export { brokerConfigFiles, existingSeeds, DEFAULT_BROKER_CONFIG_DIR, type BrokerConfigOptions, type BrokerUser } from './broker-config-files.js';
// The code model the analyses above read, for other analyses of the same code (module contracts).
export {
  CodeBase,
  forEachNode,
  propertyOf,
  nameText,
  stringLiteral,
  hasModifier,
  isPublicInstanceMember,
  type DecoratorUse,
} from './code-base.js';
export { findFacades, type FacadeClass } from './facade-contracts.js';
// Which facade methods each module calls on another's (modulith docs draws them on the graph's edges).
export { findFacadeUses } from './remote-calls.js';
export { findEventFlows, type EventFlows, type EventClass } from './event-flows.js';
export { bindTypeParameters, type Binding, type Subst } from './type-bindings.js';
