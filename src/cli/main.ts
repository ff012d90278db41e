import { readFileSync } from 'node:fs';
import { isConfigurationError } from '../boundaries/index.js';
import { UsageError } from './args.js';
import { EXIT, processIo, type CliIo } from './io.js';
import { unexpectedErrorMessage } from './unexpected-error.js';
import { USAGE } from './usage.js';

type Command = (args: string[], io: CliIo) => Promise<number>;

// Loaded on demand: init/new bring in the TypeScript compiler, which a warm `check` never needs.
const COMMANDS: Record<string, () => Promise<Command>> = {
  check: async () => (await import('./commands/check.js')).checkCommand,
  baseline: async () => (await import('./commands/baseline.js')).baselineCommand,
  init: async () => (await import('./commands/init.js')).initCommand,
  new: async () => (await import('./commands/new.js')).newCommand,
  events: async () => (await import('./commands/events.js')).eventsCommand,
  extract: async () => (await import('./commands/extract.js')).extractCommand,
  'broker-config': async () => (await import('./commands/broker-config.js')).brokerConfigCommand,
  contracts: async () => (await import('./commands/contracts.js')).contractsCommand,
  codeowners: async () => (await import('./commands/codeowners.js')).codeownersCommand,
  context: async () => (await import('./commands/context.js')).contextCommand,
  agents: async () => (await import('./commands/agents.js')).agentsCommand,
  mcp: async () => (await import('./commands/mcp.js')).mcpCommand,
  affected: async () => (await import('./commands/affected.js')).affectedCommand,
  inventory: async () => (await import('./commands/inventory.js')).inventoryCommand,
  test: async () => (await import('./commands/test.js')).testCommand,
  migrate: async () => (await import('./commands/migrate.js')).migrateCommand,
  migrations: async () => (await import('./commands/migrate.js')).migrationsCommand,
  graph: async () => (await import('./commands/graph.js')).graphCommand,
  docs: async () => (await import('./commands/docs.js')).docsCommand,
};

/**
 * The `modulith` command (bin/modulith.js calls it with process.argv.slice(2)). Returns the exit
 * code: 0 clean, 1 violations, 2 bad configuration or usage, with the reason on stderr.
 */
export async function main(argv: string[], io: Partial<CliIo> = {}): Promise<number> {
  const cli = processIo(io);
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    cli.stdout(USAGE);
    return EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    cli.stdout(`${version()}\n`);
    return EXIT.ok;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    cli.stderr(`modulith: unknown command '${name}'\n\n${USAGE}`);
    return EXIT.config;
  }
  // `events` has subcommands and prints its own help; `test` passes what follows `--` to the runner.
  const own = name === 'test' && args.includes('--') ? args.slice(0, args.indexOf('--')) : args;
  if (name !== 'events' && (own.includes('--help') || own.includes('-h'))) {
    cli.stdout(USAGE);
    return EXIT.ok;
  }
  try {
    return await (await load())(args, cli);
  } catch (error) {
    if (error instanceof UsageError) {
      cli.stderr(`modulith ${name}: ${error.message}\n\n${USAGE}`);
      return EXIT.config;
    }
    if (isConfigurationError(error) || (error as Error)?.name === 'MissingPeerError') {
      cli.stderr(`${error.message}\n`);
      return EXIT.config;
    }
    // Never a stack trace (unless MODULITH_DEBUG=1): a file system error names its file, anything else asks for a report.
    cli.stderr(unexpectedErrorMessage(name, error, cli.cwd));
    return EXIT.config;
  }
}

function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
