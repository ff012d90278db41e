import { importOptionalPeer, MissingPeerError } from '../core/index.js';
import { affected, checkTool, contractDiff, listModules, McpToolError, moduleContext, whichModule, type McpToolOptions } from './tools.js';

type McpSdk = typeof import('@modelcontextprotocol/sdk/server/mcp.js');
type StdioSdk = typeof import('@modelcontextprotocol/sdk/server/stdio.js');
type Zod = typeof import('zod');
type ToolResult = { content: Array<{ type: 'text'; text: string }>; isError?: boolean };

const FEATURE = 'modulith mcp (the MCP server for coding agents)';

/** The tools' names and what each is for, as an agent reads them (the server registers them with these descriptions). */
export const MCP_TOOLS = {
  list_modules:
    'List the feature modules of this NestJS modular monolith: for each its name, description, folder, public API file (index.ts), declared dependencies (dependsOn), whether it is shared (usable by every module), the modules that depend on it, and its owners. Call it first to learn the architecture before changing code. Returns JSON.',
  module_context:
    "The brief for working on one module, in Markdown: what it is, the folder you may change, its public API and contract, the contracts of the modules it may use (facade signatures and event payloads, never their internals), who depends on it, the rules it must keep and the commands that verify a change. Call it before editing a module's files.",
  which_module:
    'Which module a file belongs to (or the app shell when it is in no module), and that module\'s public entry file: the only file other modules may import from it. Call it before adding an import across folders or when unsure where code belongs. The path is relative to the project root (or absolute inside it). Returns JSON.',
  check:
    'Run the boundary check (as `modulith check`): deep imports into another module, undeclared dependencies, cycles, entities leaking through a public API, contracts that differ from module.api.md. Returns JSON: ok, a summary and each violation with its file, line, rule, message and a one-line fix. Give `files` (the files you changed) to get only their violations; the whole project is checked either way. Call it after every change.',
  contract_diff:
    "Compare each module's contract as computed from the code (public API, facades, events, HTTP routes) with its committed module.api.md: per module same/changed/missing, each change marked breaking or compatible, a -/+ diff and the dependents a breaking change reaches. Give `name` for one module. Call it after changing a module's public API; `npx modulith contracts` records the new contract. Returns JSON.",
  affected:
    "What your change affects, from git: the files changed in the working tree (staged, unstaged, untracked) or, with `since` (a branch, tag or commit such as origin/main), also the commits since this branch forked from it. Returns JSON: the modules touched, for each whether only internals changed or its contract changed (compatible or breaking) and which modules depend on it, the changed files outside modules, the modules to re-test (`affected`, with `reasons`: internals reach the module only, a contract change its dependents and event listeners, app-shell code every module), and the boundary violations in the changed files only (ok is false on one of those or on a contract change). Call it before handing a change over for review.",
} as const;

/**
 * `modulith mcp`: serves the tools over stdio until the client closes stdin. Nothing but MCP
 * frames goes to stdout (console output is redirected to stderr); a failing tool answers with
 * isError and a message, never ends the server.
 */
export async function serveMcp(options: McpToolOptions & { version?: string; log?: (message: string) => void }): Promise<void> {
  const { McpServer } = await importOptionalPeer<McpSdk>('@modelcontextprotocol/sdk/server/mcp.js', FEATURE).catch(sdkMissing);
  const { StdioServerTransport } = await importOptionalPeer<StdioSdk>('@modelcontextprotocol/sdk/server/stdio.js', FEATURE).catch(sdkMissing);
  const { z } = await importOptionalPeer<Zod>('zod', FEATURE);
  const log = options.log ?? ((message: string) => process.stderr.write(`modulith mcp: ${message}\n`));
  guardStdout();

  const tools: McpToolOptions = { ...options, onWarning: (message) => log(`warning: ${message}`) };
  const server = new McpServer({ name: 'modulith', version: options.version ?? '0.0.0' }, { capabilities: { tools: {} } });
  // One tool call at a time: the check and the contracts share cache files.
  let queue: Promise<unknown> = Promise.resolve();
  const run = (tool: string, body: () => Promise<unknown>): Promise<ToolResult> => {
    const next = queue.then(async (): Promise<ToolResult> => {
      const started = Date.now();
      try {
        const value = await body();
        log(`${tool} answered in ${Date.now() - started} ms`);
        return { content: [{ type: 'text', text: typeof value === 'string' ? value : JSON.stringify(value, null, 2) }] };
      } catch (error) {
        log(`${tool} failed: ${(error as Error)?.message ?? String(error)}`);
        return { content: [{ type: 'text', text: errorMessage(tool, error) }], isError: true };
      }
    });
    queue = next.catch(() => undefined);
    return next;
  };

  server.registerTool('list_modules', { description: MCP_TOOLS.list_modules, inputSchema: {}, annotations: { readOnlyHint: true } }, () => run('list_modules', () => listModules(tools)));
  server.registerTool(
    'module_context',
    { description: MCP_TOOLS.module_context, inputSchema: { name: z.string().describe('the module name, as list_modules gives it') }, annotations: { readOnlyHint: true } },
    ({ name }) => run('module_context', () => moduleContext(tools, name)),
  );
  server.registerTool(
    'which_module',
    { description: MCP_TOOLS.which_module, inputSchema: { path: z.string().describe('a file path, relative to the project root or absolute inside it') }, annotations: { readOnlyHint: true } },
    ({ path }) => run('which_module', () => whichModule(tools, path)),
  );
  server.registerTool(
    'check',
    {
      description: MCP_TOOLS.check,
      inputSchema: { files: z.array(z.string()).optional().describe('only report violations in these files (project-relative paths, or folders); omit for the whole project') },
      annotations: { readOnlyHint: true },
    },
    ({ files }) => run('check', () => checkTool(tools, files)),
  );
  server.registerTool(
    'contract_diff',
    { description: MCP_TOOLS.contract_diff, inputSchema: { name: z.string().optional().describe('one module; omit for every module') }, annotations: { readOnlyHint: true } },
    ({ name }) => run('contract_diff', () => contractDiff(tools, name)),
  );
  server.registerTool(
    'affected',
    { description: MCP_TOOLS.affected, inputSchema: { since: z.string().optional().describe('a git revision (branch, tag or commit) to compare from; omit for the working tree only') }, annotations: { readOnlyHint: true } },
    ({ since }) => run('affected', () => affected(tools, since)),
  );

  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = () => resolve();
    process.stdin.once('end', () => void server.close().finally(resolve));
    process.stdin.once('close', () => void server.close().finally(resolve));
  });
  server.server.onerror = (error) => log(`protocol error: ${error.message}`);
  await server.connect(transport);
  log(`serving ${Object.keys(MCP_TOOLS).length} tools for ${options.rootDir} over stdio`);
  await closed;
}

/** Node names the package, not the subpath, when the SDK is missing: a MissingPeerError naming '@modelcontextprotocol/sdk'. */
function sdkMissing(error: unknown): never {
  const code = (error as { code?: unknown })?.code;
  if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && String((error as Error)?.message).includes("'@modelcontextprotocol/sdk'")) {
    throw new MissingPeerError('@modelcontextprotocol/sdk', FEATURE);
  }
  throw error;
}

function errorMessage(tool: string, error: unknown): string {
  if (error instanceof McpToolError) return `${tool}: ${error.message}`;
  const message = (error as Error)?.message ?? String(error);
  return `${tool} failed: ${message}`;
}

/** Console output from anything the tools load goes to stderr: stdout carries only MCP frames. */
function guardStdout(): void {
  const toStderr = (...args: unknown[]) => process.stderr.write(`${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}\n`);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  console.warn = toStderr;
}
