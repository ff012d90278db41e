// Public API of the `mcp` module: `modulith mcp`, the module model served to coding agents over
// the Model Context Protocol (stdio).
//
// - serveMcp({ rootDir, checkPlugins, moduleBrief? }): loads the SDK (an optional peer: a
//   missing one throws MissingPeerError naming it), registers the tools (MCP_TOOLS: list_modules,
//   module_context, which_module, check, contract_diff) and serves until stdin closes. stdout
//   carries only MCP frames; logs go to stderr; a failing tool answers isError.
// - The tools as plain functions (no SDK): listModules, moduleContext, whichModule, checkTool,
//   contractDiff; projectPath refuses a path outside the project; McpToolError is a refusal.
export { serveMcp, MCP_TOOLS } from './server.js';
export { listModules, moduleContext, whichModule, checkTool, contractDiff, affected, projectPath, requireModule, McpToolError, type McpToolOptions, type ModuleSummary, type CheckToolResult } from './tools.js';
