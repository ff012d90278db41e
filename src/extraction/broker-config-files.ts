import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { generateUserNkey, publicKeyOfSeed } from '../remote/index.js';
import type { BrokerAccess, ProcessAccess } from './broker-access.js';
import type { DeploymentFile } from './deployment-files.js';
import { withHeader } from '../core/index.js';

export const DEFAULT_BROKER_CONFIG_DIR = 'deploy/nats';

export interface BrokerConfigOptions {
  /** Where the files go, project-relative, `/` separators (default deploy/nats). */
  outDir: string;
  /** The command line that wrote them, for the headers and the README (e.g. `modulith broker-config media`). */
  command: string;
  /** MODULITH_BROKER_URL for the env files, when the shell has one. */
  brokerUrl?: string;
  /** Seeds to keep, by user name (from the env files of an earlier run): re-running does not rotate keys. */
  seeds?: Readonly<Record<string, string>>;
}

/** One NATS user of the configuration (its seed is only ever in its env file). */
export interface BrokerUser {
  name: string;
  placement: string | null;
  publicKey: string;
  envFile: string;
  /** True when this run generated the key (no env file of an earlier run held one). */
  newKey: boolean;
}

/**
 * The broker authorization of a deployment as files: `auth.conf` (a NATS server `authorization`
 * block: one nkey user per process with exactly its subjects, plus the provisioning user; public
 * keys only, no secret), one env file per process holding its seed (mode 0600), `provision.env`,
 * and a README saying how to run nats-server with it.
 */
export function brokerConfigFiles(access: BrokerAccess, options: BrokerConfigOptions): { files: DeploymentFile[]; users: BrokerUser[] } {
  const dir = options.outDir.replace(/\\/g, '/').replace(/\/+$/, '') || '.';
  const seeds = { ...options.seeds };
  const users: Array<BrokerUser & { seed: string; process?: ProcessAccess }> = [];
  const user = (name: string, process?: ProcessAccess) => {
    const kept = seeds[name];
    const key = kept ? { seed: kept, publicKey: publicKeyOfSeed(kept) } : generateUserNkey();
    users.push({ name, placement: process?.placement ?? null, publicKey: key.publicKey, envFile: `${dir}/${name}.env`, newKey: !kept, seed: key.seed, process });
  };
  for (const process of access.processes) user(process.name, process);
  if (access.provisioner) user(access.provisioner.name);

  const tag = access.namespace;
  const files: DeploymentFile[] = [{ path: `${dir}/auth.conf`, text: withHeader(tag, authConf(access, users, dir, options), 'hash', 'broker-config') }];
  for (const u of users) {
    files.push({ path: u.envFile, text: withHeader(tag, envFile(access, u, u.process, dir, options), 'hash', 'broker-config'), mode: 0o600 });
  }
  files.push({ path: `${dir}/README.md`, text: withHeader(tag, readme(access, users, dir, options), 'html', 'broker-config') });
  // The env files hold secrets: keep them out of git by default.
  files.push({ path: `${dir}/.gitignore`, text: withHeader(tag, '# The env files hold each process\'s secret nkey seed.\n*.env\n', 'hash', 'broker-config') });
  return { files, users: users.map(({ seed: _seed, process: _process, ...rest }) => rest) };
}

/** The seeds the env files of an earlier run hold (malformed or missing ones are left out: a new key is made). */
export function existingSeeds(rootDir: string, outDir: string, names: readonly string[]): Record<string, string> {
  const seeds: Record<string, string> = {};
  for (const name of names) {
    let text: string;
    try {
      text = readFileSync(resolve(rootDir, outDir, `${name}.env`), 'utf8');
    } catch {
      continue;
    }
    const seed = /^MODULITH_BROKER_NKEY_SEED=(\S+)\s*$/m.exec(text)?.[1];
    if (!seed) continue;
    try {
      publicKeyOfSeed(seed);
      seeds[name] = seed;
    } catch {
      // not a seed: a new key is generated, and the edited file is refused as usual
    }
  }
  return seeds;
}

function authConf(access: BrokerAccess, users: Array<BrokerUser & { process?: ProcessAccess }>, dir: string, options: BrokerConfigOptions): string {
  const out: string[] = [
    `# NATS authorization for namespace '${access.namespace}': least privilege from the module graph.`,
    `# Written by \`${comment(options.command)}\` from module.json (dependsOn) and the code (facade calls,`,
    `# events, the app shell reached from ${access.entry ? comment(access.entry) : 'no entry file'}). Run it again after changing either.`,
    '#',
    `# Run: nats-server -c ${dir}/auth.conf -js -sd /var/lib/nats     (or \`include ./auth.conf\` in your server config)`,
    '# It holds no secret: every user is an nkey (public key); each process holds its seed in its own env file.',
    '# A process may publish only the facade methods its hosted code calls in other processes, and subscribe',
    "# only to what it serves and to its own reply inbox; it answers only into its callers' inboxes, and",
    '# the event relay reads only its own consumer.',
    'authorization {',
    '  users: [',
  ];
  for (const u of users) {
    const p = u.process;
    out.push('');
    if (p) {
      out.push(`    # ${p.name}: ${Object.entries(p.env).map(([k, v]) => `${k}=${v}`).join(' ')}; hosts ${p.hosts.join(', ') || 'no feature module'}. Seed: ${u.envFile}`);
      for (const call of p.calls) out.push(`    #   calls ${call.facade}.${call.method} of ${call.module} (from ${call.callers.join(', ')})`);
      if (p.http.forwards.length) out.push(`    #   forwards HTTP for ${p.http.forwards.join(', ')} (the public URL's gateway)`);
      for (const event of p.events.publishes) out.push(`    #   publishes event ${event.name} (${event.publishers.join(', ')})`);
      out.push(`    #   serves ${p.serves.map((f) => `${f.facade} (${f.methods.join(', ') || 'no methods'})`).join(', ') || 'no facade'}${p.http.serves.length ? `; HTTP of ${p.http.serves.join(', ')}` : ''}`);
      if (p.replies.length) out.push(`    #   answers ${p.replies.join(', ')} (their reply inboxes only)`);
    } else {
      out.push(`    # provision: creates the event stream and each process's durable consumer (modulith broker-config --provision). Seed: ${u.envFile}`);
      out.push('    #   never give it to an app process: whoever may create a consumer may have it deliver to any subject');
    }
    const publish = p ? p.publish : access.provisioner!.publish;
    const subscribe = p ? p.subscribe : access.provisioner!.subscribe;
    out.push('    {', `      nkey: ${quote(u.publicKey)}`, '      permissions: {');
    out.push(...permission('publish', publish), ...permission('subscribe', subscribe));
    // No allow_responses: it would let a caller name any reply subject and have this process publish there.
    out.push('      }', '    }');
  }
  out.push('  ]', '}');
  return `${out.join('\n')}\n`;
}

function permission(kind: 'publish' | 'subscribe', subjects: readonly string[]): string[] {
  if (subjects.length === 0) return [`        ${kind}: { deny: [">"] }`];
  return [`        ${kind}: {`, '          allow: [', ...subjects.map((s) => `            ${quote(s)}`), '          ]', '        }'];
}

function envFile(access: BrokerAccess, u: BrokerUser & { seed: string }, p: ProcessAccess | undefined, dir: string, options: BrokerConfigOptions): string {
  const lines: string[] = p
    ? [
        `# The broker credential of ${p.name} (${Object.entries(p.env).map(([k, v]) => `${k}=${v}`).join(' ')}): an nkey seed whose public key ${dir}/auth.conf allows`,
        '# exactly what this process needs. A SECRET: never commit it, and give it to this process (all its instances) only.',
        `# Start: node --env-file=<its other settings> --env-file=${u.envFile} dist/app/main.js`,
        ...Object.entries(p.env).map(([k, v]) => `${k}=${v}`),
      ]
    : [
        "# The provisioning credential: may create the event relay's stream and each process's consumer, nothing else.",
        '# A SECRET: never give it to an app process. Use it once per placement change (or a wiped JetStream store):',
        `#   ${comment(options.command)} --provision`,
      ];
  lines.push(`MODULITH_NAMESPACE=${access.namespace}`);
  if (options.brokerUrl) lines.push(`MODULITH_BROKER_URL=${options.brokerUrl}`);
  lines.push(`MODULITH_BROKER_NKEY_SEED=${u.seed}`);
  return `${lines.join('\n')}\n`;
}

function readme(access: BrokerAccess, users: Array<BrokerUser & { process?: ProcessAccess }>, dir: string, options: BrokerConfigOptions): string {
  const out = [
    `# Broker authorization (namespace \`${access.namespace}\`)`,
    '',
    `Written by \`${options.command}\`: one NATS user per process, allowed exactly the subjects its code`,
    'needs, derived from module.json (`dependsOn`) and the code. Run it again after changing either: it keeps',
    'the keys of the env files it wrote before, and refuses to overwrite files you edited.',
    '',
    '## Run',
    '',
    '1. NATS with this authorization and JetStream:',
    '',
    '   ```bash',
    `   nats-server -c ${dir}/auth.conf -js -sd /var/lib/nats`,
    '   # or, in your own server config:  include ./auth.conf',
    '   ```',
    '',
    ...(access.provisioner
      ? [
          "2. Once (and after each placement change): create the event relay's stream and each process's",
          "   consumer with the provisioning user (the processes' own users may not: whoever may create a",
          '   consumer may have it deliver to any subject):',
          '',
          '   ```bash',
          `   MODULITH_BROKER_URL=nats://... npx ${options.command} --provision`,
          '   ```',
          '',
          '3. Each process with its own credential next to its other settings:',
        ]
      : ['2. Each process with its own credential next to its other settings:']),
    '',
    '   ```bash',
    ...users.filter((u) => u.process).map((u) => `   node --env-file=<its settings> --env-file=${u.envFile} dist/app/main.js`),
    '   ```',
    '',
    'A call the graph does not allow is refused by the broker (`Permissions Violation`), and the calling',
    'process answers 503 naming the subject and this command. A client without a key is not let in at all.',
    '',
    '## Users',
    '',
    ...users.flatMap((u) => {
      const p = u.process;
      if (!p) return [`- **provision** (\`${u.publicKey}\`, seed in \`${u.envFile}\`): stream \`${access.stream}\` and the consumers`, ''];
      return [
        `- **${p.name}** (\`${u.publicKey}\`, seed in \`${u.envFile}\`): hosts ${p.hosts.join(', ') || 'no feature module'}`,
        `  - calls: ${p.calls.map((c) => `\`${c.facade}.${c.method}\``).join(', ') || 'none'}`,
        `  - serves: ${p.serves.map((f) => `\`${f.facade}\``).join(', ') || 'none'}${p.http.serves.length ? `; HTTP of ${p.http.serves.join(', ')}` : ''}`,
        ...(p.http.forwards.length ? [`  - forwards HTTP for: ${p.http.forwards.join(', ')}`] : []),
        `  - publishes events: ${p.events.publishes.map((e) => `\`${e.name}\``).join(', ') || 'none'}`,
        '',
      ];
    }),
    ...(access.findings.length
      ? ['## To look at', '', ...access.findings.map((f) => `- **${f.severity}** ${f.file ? `${f.file}${f.line ? `:${f.line}` : ''}: ` : ''}${f.message}. Fix: ${f.fix}.`)]
      : []),
  ];
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

/** A double-quoted NATS config string; every value here is a checked subject or key, this only keeps it so. */
function quote(value: string): string {
  if (!/^[A-Za-z0-9_.*>$-]+$/.test(value)) throw new Error(`refusing to write '${value}' into the NATS configuration`);
  return `"${value}"`;
}

/** Text safe inside a `#` comment line. */
function comment(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, '?');
}
