// @modulith-covers mcp
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { removeProjects, writeProject } from '../boundaries/support/project.js';
import { referenceApp } from '../boundaries/support/reference-app.js';
import { McpToolError, projectPath } from '../../src/mcp/index.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(REPO, 'bin/modulith.js');
const built = existsSync(join(REPO, 'dist/src/cli/commands/mcp.js'));
if (!built) console.warn('skipping the modulith mcp tests: dist/ has no mcp command (run `npm run build`)');
const e2e = built ? describe : describe.skip;

const DEEP = "import { InvoiceRepository } from '../billing/internal/invoice.js';\nexport const d = InvoiceRepository;\n";

interface Session {
  client: Client;
  stderr: string[];
  call(name: string, args?: Record<string, unknown>): Promise<{ text: string; isError: boolean; ms: number }>;
  close(): Promise<void>;
}

async function connect(cwd: string): Promise<Session> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp'], cwd, stderr: 'pipe', env: { ...(process.env as Record<string, string>), NODE_OPTIONS: '' } });
  const stderr: string[] = [];
  transport.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const client = new Client({ name: 'modulith-test', version: '1.0.0' });
  await client.connect(transport);
  return {
    client,
    stderr,
    async call(name, args = {}) {
      const started = performance.now();
      const result = (await client.callTool({ name, arguments: args })) as { content: Array<{ type: string; text: string }>; isError?: boolean };
      return { text: result.content.map((c) => c.text).join('\n'), isError: result.isError === true, ms: Math.round(performance.now() - started) };
    },
    close: () => client.close(),
  };
}

afterAll(removeProjects);

describe('projectPath (the which_module / check path guard)', () => {
  const root = writeProject({ 'modules/a/module.json': '{"name":"a"}' });
  it.each([
    ['a parent path', '../outside.ts'],
    ['a path climbing out through a module', 'modules/../../x.ts'],
    ['an absolute path elsewhere', '/etc/passwd'],
    ['an empty path', ''],
    ['a NUL byte', 'a\0b'],
    ['a huge path', 'x'.repeat(5000)],
  ])('refuses %s', (_what, path) => {
    expect(() => projectPath(root, path)).toThrow(McpToolError);
  });
  it('accepts project-relative and absolute-inside paths, normalised', () => {
    expect(projectPath(root, './modules/a/x.ts')).toBe('modules/a/x.ts');
    expect(projectPath(root, join(root, 'modules/a/x.ts'))).toBe('modules/a/x.ts');
  });
  it('refuses a symbolic link that leads out of the project', () => {
    symlinkSync(tmpdir(), join(root, 'escape'), 'dir');
    expect(() => projectPath(root, 'escape')).toThrow(/symbolic link/);
  });
});

e2e('modulith mcp on this repository', () => {
  let session: Session;
  const latency: Record<string, number> = {};
  beforeAll(async () => {
    session = await connect(REPO);
  }, 30000);
  afterAll(async () => {
    await session?.close();
    console.log(`modulith mcp tool latency on this repository (ms, one call each over stdio):\n${Object.entries(latency).map(([t, ms]) => `  ${t}: ${ms}`).join('\n')}`);
  });

  it('initializes and lists the six tools, each with a description for an agent', async () => {
    expect(session.client.getServerVersion()?.name).toBe('modulith');
    const { tools } = await session.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['affected', 'check', 'contract_diff', 'list_modules', 'module_context', 'which_module']);
    for (const tool of tools) expect(tool.description!.length).toBeGreaterThan(100);
    expect(tools.find((t) => t.name === 'which_module')!.inputSchema.required).toEqual(['path']);
  });

  it('list_modules: modules with description, dependsOn, shared, dependents', async () => {
    const r = await session.call('list_modules');
    latency.list_modules = r.ms;
    expect(r.isError).toBe(false);
    const { modules } = JSON.parse(r.text) as { modules: Array<{ name: string; dependsOn: string[]; dependents: string[]; shared: boolean; description: string }> };
    const media = modules.find((m) => m.name === 'media')!;
    expect(media.description).toMatch(/image/);
    expect(media.dependsOn).toContain('billing');
    expect(modules.find((m) => m.name === 'billing')!.dependents).toContain('media');
    expect(modules.find((m) => m.name === 'kernel')!.shared).toBe(true);
  });

  it('module_context: the brief of media, with a dependency facade and none of its internals', async () => {
    const r = await session.call('module_context', { name: 'media' });
    latency.module_context = r.ms;
    expect(r.isError).toBe(false);
    expect(r.text).toContain('# Module media: brief for a coding agent');
    expect(r.text).toContain('Facade BillingFacade:');
    expect(r.text).not.toMatch(/modules\/billing\/(?!index\.ts|module)[\w/-]+\.ts/);
  });

  it('which_module: the owning module and its public entry; the app shell; a hostile path is refused', async () => {
    const r = await session.call('which_module', { path: 'modules/media/index.ts' });
    latency.which_module = r.ms;
    expect(JSON.parse(r.text)).toMatchObject({ module: 'media', publicEntry: 'modules/media/index.ts', isPublicEntry: true, appShell: false });
    expect(JSON.parse((await session.call('which_module', { path: 'bin/modulith.js' })).text)).toMatchObject({ module: null, appShell: true });
    for (const path of ['../../etc/passwd', '/etc/passwd', 'modules/../../../x', 'x'.repeat(100000)]) {
      const bad = await session.call('which_module', { path });
      expect(bad.isError).toBe(true);
      expect(bad.text).toMatch(/outside the project|longer than/);
    }
  });

  it('check: structured result for the whole project and for a list of files', async () => {
    const r = await session.call('check');
    latency['check (whole project)'] = r.ms;
    expect(r.isError).toBe(false);
    const result = JSON.parse(r.text) as { ok: boolean; violations: unknown[]; stats: { modules: number } };
    expect(result.ok).toBe(true);
    expect(result.stats.modules).toBeGreaterThan(10);
    const again = await session.call('check', { files: ['src/mcp/tools.ts'] });
    latency['check (warm, one file)'] = again.ms;
    expect(JSON.parse(again.text)).toMatchObject({ ok: true, violations: [], filteredTo: ['src/mcp/tools.ts'] });
    expect((await session.call('check', { files: ['../x.ts'] })).isError).toBe(true);
  });

  it('affected: the change of the working tree, summarized (this repository is a git work tree)', async () => {
    const r = await session.call('affected');
    latency.affected = r.ms;
    expect(r.isError).toBe(false);
    const result = JSON.parse(r.text) as { ok: boolean; summary: string; changed: { files: string[]; modules: unknown[]; shell: string[] }; violations: unknown[] };
    expect(result.summary).toMatch(/changed files? in \d+ modules?/);
    expect(Array.isArray(result.changed.files) && Array.isArray(result.changed.modules) && Array.isArray(result.changed.shell)).toBe(true);
    const hostile = await session.call('affected', { since: '--output=/tmp/x' });
    expect(hostile.isError).toBe(true);
    expect(hostile.text).toContain('not a git revision');
  });

  it('contract_diff: every module, or one', async () => {
    const r = await session.call('contract_diff');
    latency.contract_diff = r.ms;
    expect(r.isError).toBe(false);
    const all = JSON.parse(r.text) as { modules: Array<{ module: string; status: string }> };
    expect(all.modules.map((m) => m.module)).toContain('media');
    const one = JSON.parse((await session.call('contract_diff', { name: 'media' })).text) as { modules: Array<{ module: string; status: string; breaking: boolean }> };
    expect(one.modules).toEqual([expect.objectContaining({ module: 'media', breaking: false })]);
  });

  it('an unknown or odd module name is a tool error naming the known modules; the server keeps serving', async () => {
    for (const name of ['nope', 'x'.repeat(100000), '../media', '__proto__', 'constructor']) {
      const r = await session.call('module_context', { name });
      expect(r.isError).toBe(true);
      expect(r.text).toContain('known modules: accounts');
      expect(r.text.length).toBeLessThan(2000);
    }
    expect((await session.call('contract_diff', { name: 'nope' })).isError).toBe(true);
    expect((await session.call('module_context', { name: 42 as unknown as string })).isError).toBe(true);
    expect((await session.call('list_modules')).isError).toBe(false);
  });
});

e2e('modulith mcp on a project with a deep import', () => {
  let session: Session;
  let root: string;
  beforeAll(async () => {
    root = writeProject(referenceApp({ 'modules/orders/deep.ts': DEEP }));
    mkdirSync(join(root, 'node_modules'), { recursive: true });
    session = await connect(root);
  }, 30000);
  afterAll(async () => {
    await session?.close();
  });

  it('check returns the deep import with its fix, also filtered to the file', async () => {
    for (const args of [{}, { files: ['modules/orders/deep.ts'] }]) {
      const r = await session.call('check', args);
      expect(r.isError).toBe(false);
      const result = JSON.parse(r.text) as { ok: boolean; violations: Array<Record<string, unknown>> };
      expect(result.ok).toBe(false);
      expect(result.violations).toContainEqual(
        expect.objectContaining({ rule: 'deep-import', from: 'modules/orders/deep.ts', line: 1, to: 'modules/billing/internal/invoice.ts', fromModule: 'orders', toModule: 'billing', fix: expect.stringMatching(/modules\/billing\/index\.ts|public API|index/) }),
      );
    }
    const other = JSON.parse((await session.call('check', { files: ['modules/catalog/index.ts'] })).text) as { violations: unknown[] };
    expect(other.violations).toEqual([]);
  });

  it('list_modules, which_module, module_context and contract_diff answer on the fixture', async () => {
    const { modules } = JSON.parse((await session.call('list_modules')).text) as { modules: Array<{ name: string }> };
    expect(modules.map((m) => m.name)).toEqual(['billing', 'catalog', 'kernel', 'orders']);
    expect(JSON.parse((await session.call('which_module', { path: 'modules/orders/deep.ts' })).text)).toMatchObject({ module: 'orders', publicEntry: 'modules/orders/index.ts', isPublicEntry: false });
    expect(JSON.parse((await session.call('which_module', { path: 'src/main.ts' })).text)).toMatchObject({ appShell: true });
    const brief = await session.call('module_context', { name: 'orders' });
    expect(brief.isError).toBe(false);
    expect(brief.text).toContain('billing');
    const diff = await session.call('contract_diff');
    expect(diff.isError).toBe(false);
    expect(JSON.parse(diff.text).modules).toContainEqual(expect.objectContaining({ module: 'orders', status: 'missing' }));
  });

  it('affected names the fix when the project is not a git work tree', async () => {
    const r = await session.call('affected');
    expect(r.isError).toBe(true);
    expect(r.text).toContain('not inside a git work tree');
  });

  it('writes nothing but MCP frames to stdout (the client parsed every frame) and logs to stderr', () => {
    expect(session.stderr.join('')).toContain('modulith mcp: serving 6 tools');
  });
});
