export { ApplicationModule, type ModuleManifest } from './application-module.js';
export { ApplicationModules } from './application-modules.js';
export { loadApplicationModules, parseManifest, type LoadOptions } from './load-modules.js';
export { validateModules, findCycles, declaredCycles, declaredCycleProblem, DECLARED_CYCLE_FIX, type ValidateOptions } from './validate-modules.js';
export { readProjectConfig, readPackageJsonText, parsePackageJson, rootProblems, describeJson, DEFAULT_ROOTS, type ProjectConfig } from './project-config.js';
export { readConfigFile, unreadable, errorCode, type ConfigFileRead, type ConfigFileOptions } from './config-file.js';
export { MODULE_NAME, MODULE_NAME_PATTERN, MODULE_NAME_MAX_LENGTH, MODULE_NAME_RULE, isModuleName, suggestModuleName } from './module-name.js';
export { ModuleModelError, formatProblems, type Problem } from './problem.js';
export { compareByLocation, type Violation, type ViolationChange } from './violation.js';
export { importOptionalPeer, MissingPeerError } from './optional-peer.js';
export { printable } from './printable.js';
export { isOwner, OWNER_PATTERN, OWNER_RULE, OWNER_MAX_LENGTH, OWNERS_MAX_ITEMS } from './module-owners.js';
export {
  CONTRACT_FILE,
  renderContract,
  parseContract,
  entryKey,
  facadeFingerprint,
  contractFingerprint,
  sortEntries,
  oneLine,
  type ModuleContract,
  type ContractEntry,
  type FacadeSection,
} from './module-contract.js';
export { eventFingerprint } from './event-fingerprint.js';
export { compareContracts, hasBreakingChange, type ContractChange, type ContractSection } from './contract-changes.js';
export { CACHE_FOLDER, writeCacheFile, readJsonCache } from './cache-file.js';
export { moduleSourceFiles, walkFiles } from './module-source-files.js';
export { withHeader, ownership, type GeneratingCommand, type FileOwnership } from './generated-header.js';
export { readShippedContract, type ContractUnavailable } from './shipped-contract.js';
export { parseConfig, parseExternals, parseConfigValue, CONFIG_TYPES, VARIABLE_NAME, type ConfigVariable, type ConfigType, type ExternalAccount } from './module-config.js';
