export { ApplicationModule, type ModuleManifest } from './application-module.js';
export { ApplicationModules } from './application-modules.js';
export { loadApplicationModules, parseManifest, type LoadOptions } from './load-modules.js';
export { validateModules, findCycles } from './validate-modules.js';
export { readProjectConfig, DEFAULT_ROOTS, type ProjectConfig } from './project-config.js';
export { ModuleModelError, formatProblems, type Problem } from './problem.js';
export type { Violation } from './violation.js';
export { importOptionalPeer, MissingPeerError } from './optional-peer.js';
