import type { ExtractedConfig, ExtractionReport, Finding } from './extraction-report.js';
import { withHeader } from '../core/index.js';

export const DEFAULT_BROKER_URL = 'nats://127.0.0.1:4222';
export const DEFAULT_NAMESPACE = 'modulith';
/** The monolith keeps the app's default port (3000); the service takes the next one. */
export const DEFAULT_SERVICE_PORT = 3001;

export interface DeploymentOptions {
  /** Where the files go, as the user wrote it (project-relative or absolute): default `deploy/NAME`. */
  outDir: string;
  brokerUrl?: string;
  namespace?: string;
  /** The service's HTTP port. */
  port?: number;
  /** The service's own database; default `sqlite:data/NAME.sqlite`. */
  databaseUrl?: string;
}

export interface DeploymentFile {
  /** `outDir` joined with the file name, `/` separators. */
  path: string;
  text: string;
  /** File mode, e.g. 0o600 for a file holding a secret. */
  mode?: number;
}

/**
 * What running the module on its own needs, written from its readiness report: the service's
 * environment (`service.env`), the monolith's (`monolith.env`), and a README with the start
 * commands and the checklist. Env files are `KEY=value` lines with `#` comments, which
 * `node --env-file`, Docker's `--env-file` and `set -a; . file` all read. Secrets are never
 * written, only named. Pure: the same report gives the same bytes.
 */
export function deploymentFiles(report: ExtractionReport, options: DeploymentOptions): DeploymentFile[] {
  const name = report.module;
  const dir = options.outDir.replace(/\\/g, '/').replace(/\/+$/, '') || '.';
  const settings = {
    brokerUrl: options.brokerUrl ?? DEFAULT_BROKER_URL,
    namespace: options.namespace ?? DEFAULT_NAMESPACE,
    port: options.port ?? DEFAULT_SERVICE_PORT,
    databaseUrl: options.databaseUrl ?? `sqlite:data/${name}.sqlite`,
  };
  const paths = { service: `${dir}/service.env`, monolith: `${dir}/monolith.env`, readme: `${dir}/README.md` };
  return [
    { path: paths.service, text: withHeader(name, serviceEnv(report, settings, paths.service), 'hash', 'extract') },
    { path: paths.monolith, text: withHeader(name, monolithEnv(report, settings, paths.monolith), 'hash', 'extract') },
    { path: paths.readme, text: withHeader(name, readme(report, settings, paths), 'html', 'extract') },
  ];
}

type Settings = Required<Omit<DeploymentOptions, 'outDir'>>;

const CREDENTIALS = [
  '# A broker credential is required (never commit it). Least privilege, one per process:',
  '# `modulith broker-config NAME` writes deploy/nats/<process>.env with MODULITH_BROKER_NKEY_SEED;',
  '# add it with a second --env-file. Or a shared token, or a user and password:',
  '# MODULITH_BROKER_TOKEN=',
  '# MODULITH_BROKER_USER=',
  '# MODULITH_BROKER_PASSWORD=',
  '# Development only, on a broker anyone may use: MODULITH_BROKER_INSECURE=1',
  '# How long a remote facade call may take before it fails (default 5000 ms).',
  '# MODULITH_CALL_TIMEOUT_MS=5000',
];

function serviceEnv(report: ExtractionReport, s: Settings, path: string): string {
  const name = report.module;
  const tables = report.tables.map((t) => t.table);
  return lines(
    `# ${name} in its own process: hosts only ${name} and serves its facades over the broker.`,
    `# Start: node --env-file=${path} dist/app/main.js`,
    `MODULITH_SERVE=${name}`,
    `MODULITH_BROKER_URL=${s.brokerUrl}`,
    `MODULITH_NAMESPACE=${s.namespace}`,
    ...CREDENTIALS,
    `# Its own database${tables.length ? ` (its tables: ${tables.join(', ')}; and its own event outbox)` : ' (and its own event outbox)'}.`,
    `DATABASE_URL=${s.databaseUrl}`,
    `PORT=${s.port}`,
    ...serviceVariables(name, report.config),
  );
}

/**
 * The variables the module declares (module.json "config"), exactly those: a non-secret one as
 * `NAME=default` (or `NAME=`), its description as a comment; a secret by name only, commented out,
 * never with a value. Required ones are marked.
 */
function serviceVariables(name: string, config: ExtractedConfig | undefined): string[] {
  if (!config || config.variables.length === 0) return [];
  const out = ['', `# The settings ${name} reads (its module.json "config"); the monolith no longer needs them.`];
  for (const v of config.variables) {
    out.push(`# ${envComment(v.description)}${v.required ? ' (required: the service refuses to start without it)' : ''}`);
    if (v.secret) {
      out.push(`# secret: provide it where the service runs (a secret store, a second --env-file), never in this file`, `# ${v.name}=`);
    } else if (v.default !== undefined && !ENV_SAFE.test(v.default)) {
      out.push(`# its default applies while it is unset (the default has characters an env file cannot hold as they are)`, `# ${v.name}=`);
    } else {
      out.push(`${v.name}=${v.default ?? ''}`);
    }
  }
  return out;
}

/** What the monolith keeps reading (its other modules' variables), and what it no longer needs. */
function monolithVariables(name: string, config: ExtractedConfig | undefined): string[] {
  if (!config) return [];
  const keeps = new Set(config.monolithKeeps.map((k) => k.name));
  const moved = config.variables.filter((v) => !keeps.has(v.name)).map((v) => v.name);
  const out: string[] = [];
  if (moved.length) out.push('', `# No longer needed here (${name} reads them, in its own process): remove them from the monolith's environment:`, ...moved.map((v) => `#   ${v}`));
  if (config.monolithKeeps.length) {
    out.push('', "# Still needed here (declared by the modules the monolith keeps; their values stay as they are):");
    for (const k of config.monolithKeeps) out.push(`#   ${k.name}${k.required ? ' (required)' : ''}${k.secret ? ' (secret)' : ''}: ${k.modules.join(', ')}`);
  }
  return out;
}

/** A default an env file holds as it is, for node --env-file, Docker and `set -a; . file` alike. */
const ENV_SAFE = /^[A-Za-z0-9_./:@,+=%-]*$/;

function envComment(text: string): string {
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}...` : flat;
}

function monolithEnv(report: ExtractionReport, s: Settings, path: string): string {
  const name = report.module;
  return lines(
    `# The monolith without ${name}: hosts every other module and reaches ${name} over the broker.`,
    `# Start: node --env-file=${path} dist/app/main.js (its DATABASE_URL and PORT stay as they are).`,
    `# With other modules extracted too, list them all: MODULITH_REMOTE=${name},other`,
    `MODULITH_REMOTE=${name}`,
    `MODULITH_BROKER_URL=${s.brokerUrl}`,
    `MODULITH_NAMESPACE=${s.namespace}`,
    ...CREDENTIALS,
    ...monolithVariables(name, report.config),
  );
}

function readme(report: ExtractionReport, s: Settings, paths: { service: string; monolith: string }): string {
  const name = report.module;
  const status = report.ready
    ? `**Ready**${report.warnings ? ` (${count(report.warnings, 'warning')} to look at)` : ''}: no blockers.`
    : `**Not ready: ${count(report.blockers, 'blocker')}**${report.warnings ? `, ${count(report.warnings, 'warning')}` : ''}. Fix the blockers first.`;
  const tables = report.tables.map((t) => `\`${t.table}\``).join(', ');
  // Spelled out in the one-line commands only when they differ from the runtime's defaults.
  const broker = [
    ...(s.brokerUrl !== DEFAULT_BROKER_URL ? [` MODULITH_BROKER_URL=${s.brokerUrl}`] : []),
    ...(s.namespace !== DEFAULT_NAMESPACE ? [` MODULITH_NAMESPACE=${s.namespace}`] : []),
  ].join('');
  const out: string[] = [
    `# Extracting \`${name}\` into its own process`,
    '',
    `Written by \`modulith extract ${name}\` from the code as it is now. Run it again after changes: it`,
    'rewrites this file and the env files next to it, unless you edited them.',
    '',
    status,
    '',
    '## Start',
    '',
    `1. A NATS server with JetStream both processes reach at \`MODULITH_BROKER_URL\` (${s.brokerUrl}), running the`,
    `   authorization \`modulith broker-config ${name}\` writes (\`nats-server -c deploy/nats/auth.conf -js\`); each process then`,
    '   adds its own credential with a second `--env-file=deploy/nats/<process>.env`. On a development machine,',
    '   `nats-server -js` and `MODULITH_BROKER_INSECURE=1` in both processes will do.',
    '2. Build once: `npm run build`.',
    `3. The ${name} service (its own database, HTTP port ${s.port}):`,
    '',
    '   ```bash',
    `   node --env-file=${paths.service} dist/app/main.js`,
    `   # or: MODULITH_SERVE=${name}${broker} DATABASE_URL=${s.databaseUrl} PORT=${s.port} node dist/app/main.js`,
    '   ```',
    '',
    `4. The monolith, reaching ${name} over the broker:`,
    '',
    '   ```bash',
    `   node --env-file=${paths.monolith} dist/app/main.js`,
    `   # or: MODULITH_REMOTE=${name}${broker} npm start`,
    '   ```',
    '',
    `Callers keep injecting ${report.facades.length ? report.facades.map((f) => `\`${f.name}\``).join(', ') : `${name}'s facades`}; only the process that serves it changes.`,
    '',
    '## Checklist',
    '',
    ...report.findings.map(checklistItem),
    `- [ ] Run the monolith and its tests once with \`MODULITH_STRICT=1\`: every in-process facade call then goes through the wire codec, so a value that cannot travel fails before ${name} moves.`,
    ...(tables ? [`- [ ] Move ${name}'s tables (${tables}) and their rows from the monolith's database into the service's (\`DATABASE_URL\` in ${paths.service}).`] : []),
    `- [ ] Give the service the rest of the configuration ${name} reads (its own settings variables), and the broker credentials to both processes.`,
    `- [ ] Make sure clients still reach ${name}'s HTTP routes, if it has any (they are served by the service process).`,
    '',
    '## What crosses the broker',
    '',
    ...section('Facades it serves', report.facades.map((f) => `\`${f.name}\`: ${f.methods.map((m) => m.name).join(', ') || 'no methods'}`)),
    ...section('Facades it calls remotely', report.remoteCalls.map((c) => `\`${c.facade}\` (${c.module})${c.methods.length ? `: ${c.methods.join(', ')}` : ''}`)),
    ...section('Modules that call it', report.callers.map((c) => `${c.caller} → \`${c.facade}\`${c.methods.length ? `: ${c.methods.join(', ')}` : ''}`)),
    ...section(
      'Events it publishes',
      report.events.publishes.map((e) => `\`${e.name ?? e.class}\` v${e.version ?? '?'} (${e.class}, declared in ${e.declaredIn})${e.consumers.length ? ` → ${e.consumers.map((c) => `${c.module} (${c.listener})`).join(', ')}` : ''}`),
    ),
    ...section(
      'Events it consumes',
      report.events.consumes.map((e) => `\`${e.name ?? e.class}\` v${e.version ?? '?'} → ${e.listener}${e.publishers.length ? ` (published by ${e.publishers.join(', ')})` : ''}`),
    ),
  ];
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

function checklistItem(f: Finding): string {
  return `- [ ] **${f.severity}** ${f.file}${f.line ? `:${f.line}` : ''}: ${f.message}. Fix: ${f.fix}.`.replace(/\.\. /g, '. ').replace(/\.\.$/, '.');
}

function section(title: string, items: string[]): string[] {
  return [`**${title}:**${items.length ? '' : ' none'}`, ...items.map((i) => `- ${i}`), ''];
}

function lines(...text: string[]): string {
  return `${text.join('\n')}\n`;
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
