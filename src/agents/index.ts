// Public API of the `agents` module: briefs for coding agents, from the module model.
//
//   const ctx = await buildContext(rootDir, 'media');     // ModuleContext (JSON): `modulith context media --format json`
//   renderContext(ctx);                                   // Markdown: `modulith context media`
//   await contextForFile(rootDir, 'modules/media/png.ts'); // { module: 'media', context } (or app-shell rules)
//   planAgentsFiles(rootDir); writeAgentsFiles(plan);      // `modulith agents [--check]`
//   planRootAgentsSection(rootDir);                       // the root AGENTS.md section between its markers
export {
  buildContext,
  contextForFile,
  ContextError,
  SHELL_RULES,
  type ModuleContext,
  type ContextOptions,
  type ContractSource,
  type UsableModule,
  type ListenableEvent,
  type Dependent,
  type Table,
  type FileContext,
} from './context.js';
export { renderContext, renderFileContext } from './render.js';
export {
  planAgentsFiles,
  writeAgentsFiles,
  planRootAgentsSection,
  writeRootAgentsSection,
  AgentsMarkersError,
  AGENTS_FILE,
  ROOT_BEGIN,
  ROOT_END,
  type AgentsFilePlan,
  type AgentsFileStatus,
  type RootAgentsPlan,
} from './agents-files.js';
