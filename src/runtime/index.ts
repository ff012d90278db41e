export {
  FeatureModule,
  getFeatureModuleMetadata,
  FEATURE_MODULE,
  type FeatureModuleOptions,
  type FeatureModuleMetadata,
  type FacadeProvider,
} from './feature-module.decorator.js';
export { ModulithModule, RunningModules, type ModulithOptions } from './modulith.module.js';
export { describeContainer, type LiveModule } from './live-module.js';
export { verifyLiveModules, type BootViolation } from './verify-live-modules.js';
export { verifyDataOwnership, registeredEntities, fileSystemReader, type SourceReader } from './data-ownership.js';
export { ModuleVerificationError } from './module-verification.error.js';
export { topologyFromEnv, topologyKey, isHosted, TOPOLOGY_ENV, type Topology } from './topology.js';
export { placeModules, standInModule, restoreModule, declaredImports, type PlacedModule } from './module-placement.js';
export { locateModel } from './locate-model.js';
export { ModuleConfig, MODULITH_ENV, verifyModuleConfig, type ModulithEnv, type ConfigValue } from './module-config.js';
