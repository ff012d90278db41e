// Public API of testing: module slice tests (Spring Modulith's @ApplicationModuleTest and Scenario).
export { ModuleTest, type ModuleTestOptions, type SliceDatabaseOptions } from './module-test.js';
export { ModuleSlice, type SliceModules } from './module-slice.js';
export { type SliceBootstrap } from './slice.js';
export { FacadeStub, SliceStubs, UnprogrammedStubError, type FacadeClass } from './facade-stubs.js';
export { CapturedEvents, CAPTURE_SINK_ID, type CapturedEvent } from './captured-events.js';
export {
  Scenario,
  ScenarioStimulus,
  DEFAULT_SCENARIO_TIMEOUT_MS,
  type WaitOptions,
  type StateChangeOptions,
  type NoEventOptions,
} from './scenario.js';
