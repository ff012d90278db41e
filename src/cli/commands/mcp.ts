import { readFileSync } from 'node:fs';
import { serveMcp } from '../../mcp/index.js';
import { parseOptions } from '../args.js';
import { agentsPlugin } from '../agents-plugin.js';
import { contractsPlugin } from '../contracts-plugin.js';
import { configPlugin } from '../config-plugin.js';
import { foreignTablePlugin } from '../foreign-table-plugin.js';
import { EXIT, type CliIo } from '../io.js';
import { leaksPlugin } from '../leaks-plugin.js';

/** `modulith mcp`: an MCP server over stdio for coding agents, rooted at the current directory; returns 0 when the client disconnects. */
export async function mcpCommand(args: string[], io: CliIo): Promise<number> {
  parseOptions(args, {}, { min: 0, max: 0, names: '' });
  await serveMcp({
    rootDir: io.cwd,
    version: version(),
    checkPlugins: () => [leaksPlugin({ cache: true }), contractsPlugin(), agentsPlugin(), foreignTablePlugin(), configPlugin()],
    log: (message) => io.stderr(`modulith mcp: ${message}\n`),
  });
  return EXIT.ok;
}

function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}
