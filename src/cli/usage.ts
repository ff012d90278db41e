/** One line per command; later commands (events, extract) add a line here. */
const COMMANDS: [string, string][] = [
  ['check [--format pretty|json|github|sarif] [--baseline FILE] [--tsconfig FILE] [--no-cache] [--no-leaks] [--no-contracts]', 'boundary lint (and module contracts against their module.api.md): exit 0 clean, 1 violations, 2 bad configuration'],
  ['check --watch [--format pretty|json] [...]', 're-check after every save, printing new and fixed violations and the time taken; Ctrl-C stops (exit 0)'],
  ['baseline [--output FILE] [--tsconfig FILE] [--no-cache]', "record today's violations in modulith-baseline.json, so check fails only on new ones"],
  ['init [--modules DIR] [--tsconfig FILE]', 'adopt an existing Nest app (module.json files from today\'s imports, a baseline) or set up a fresh one (src/modules); .dependency-cruiser.js, nest-cli.json assets'],
  ['new NAME [--depends-on a,b]', 'scaffold a sealed module that passes check (in the first modules root; src/modules on a fresh app)'],
  ['contracts [--check] [--tsconfig FILE] [--no-cache]', "write each module's contract (public API, facades, events, HTTP routes) to <module dir>/module.api.md; --check compares only: exit 1 when one differs from the code"],
  ['events [list|show|resubmit|purge] [--help]', 'operate the transactional outbox of DATABASE_URL: failed deliveries, resubmit, purge'],
  ['extract NAME [--format pretty|json] [--out DIR] [--no-write] [--no-cache]', 'readiness of NAME to run in its own process over the broker (exit 0 ready, 1 blockers), and its deployment files in --out (default deploy/NAME)'],
  ['broker-config SERVICE... [--format nats|json] [--out DIR] [--entry FILE] [--provision]', 'NATS authorization, least privilege from the module graph, for the monolith plus one process per SERVICE (a module, or a,b): auth.conf and one credential per process in --out (default deploy/nats); --provision creates the event stream and consumers'],
  ['codeowners [--out FILE] [--check]', "review routing: the nest-modulith section of the repository's CODEOWNERS (.github/, root or docs/), each module's folder to its module.json owners, its module.api.md also to its dependents' owners; --check exits 1 when it is out of date"],
];

export const USAGE = [
  'Usage: modulith <command> [options]',
  '',
  'Keeps the feature modules of a NestJS modular monolith sealed. Run it from the project root.',
  '',
  'Commands:',
  ...COMMANDS.flatMap(([synopsis, what]) => [`  ${synopsis}`, `      ${what}`]),
  '',
  'Options:',
  '  -h, --help       show this help',
  '  -v, --version    print the version',
  '',
  'Modules are the direct subfolders of the modules roots that hold a module.json; the roots are',
  'package.json "modulith": { "roots": [...] } (default: modules/). `npx depcruise <folders> --validate`',
  'enforces the same file-level rules through .dependency-cruiser.js (nest-modulith/depcruise).',
  'Imports resolve with tsconfig.json, else tsconfig.base.json (following "extends", and the',
  '"references" of a solution-style config); --tsconfig FILE names another (e.g. ../../tsconfig.base.json).',
  '',
].join('\n');
