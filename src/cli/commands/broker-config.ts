import {
  analyzeBrokerAccess,
  BrokerConfigError,
  brokerConfigFiles,
  DEFAULT_BROKER_CONFIG_DIR,
  DeploymentWriteRefused,
  existingSeeds,
  writeDeploymentFiles,
  type BrokerAccess,
  type WrittenFile,
} from '../../extraction/index.js';
import { parseOptions, UsageError } from '../args.js';
import { EXIT, type CliIo } from '../io.js';
import { createProgress } from '../progress.js';
import { projectPath, refuseLinks } from '../project-path.js';
import { printable } from '../../core/index.js';

const failure = (message: string) => new BrokerConfigError(message);

const FORMATS = ['nats', 'json'];
// The same rules as the runtime's topology (src/runtime), so the generated env files always start.
const BROKER_URL = /^(nats|tls|wss?):\/\/[^\s]+$/;
const NAMESPACE = /^[a-z0-9][a-z0-9_-]*$/;

/**
 * `modulith broker-config SERVICE... [--format nats|json] [--out DIR] [--entry FILE] [--provision]`:
 * the NATS authorization of a deployment where each SERVICE (a module, or `a,b` for one process
 * hosting both) runs in its own process and the monolith hosts the rest. Least privilege from
 * the module graph and the code: one nkey user per process, allowed exactly the facade methods
 * its code calls elsewhere, what it serves, its events and its own consumer. Writes
 * `auth.conf`, one env file per process (its seed) and a README into --out (default deploy/nats);
 * `--provision` then creates the event stream and consumers on MODULITH_BROKER_URL with the
 * provisioning user. Exit 0 written, 1 written with errors to fix (calls that are not allowed),
 * 2 bad usage or configuration, or a file the user wrote or edited.
 */
export async function brokerConfigCommand(args: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parseOptions(
    args,
    { format: { type: 'string' }, out: { type: 'string' }, entry: { type: 'string' }, provision: { type: 'boolean' } },
    { min: 1, max: 32, names: 'the modules that run in their own process (SERVICE...)' },
  );
  const format = (values.format as string | undefined) ?? 'nats';
  if (!FORMATS.includes(format)) throw new UsageError(`unknown format '${format}' (use ${FORMATS.join(', ')})`);
  const services = positionals.map((arg) => arg.split(',').map((name) => name.trim()).filter(Boolean));

  const brokerUrl = env.MODULITH_BROKER_URL || undefined;
  const namespace = env.MODULITH_NAMESPACE || 'modulith';
  if (brokerUrl && !BROKER_URL.test(brokerUrl)) {
    io.stderr(`modulith broker-config: MODULITH_BROKER_URL '${printable(brokerUrl)}' is not a NATS URL; write e.g. nats://127.0.0.1:4222 (several: comma-separated)\n`);
    return EXIT.config;
  }
  if (!NAMESPACE.test(namespace)) {
    io.stderr(`modulith broker-config: MODULITH_NAMESPACE '${printable(namespace)}' must be lowercase letters, digits, '-' or '_'\n`);
    return EXIT.config;
  }

  let outDir: string;
  try {
    outDir = projectPath(io.cwd, (values.out as string | undefined) ?? DEFAULT_BROKER_CONFIG_DIR, '--out', DEFAULT_BROKER_CONFIG_DIR, failure);
  } catch (error) {
    if (!(error instanceof BrokerConfigError)) throw error;
    io.stderr(`modulith broker-config: ${error.message}\n`);
    return EXIT.config;
  }

  const progress = createProgress(io.stderr, io.stderrIsTTY, 'modulith broker-config');
  let access: BrokerAccess;
  try {
    access = await analyzeBrokerAccess({
      rootDir: io.cwd,
      services,
      namespace,
      ...(values.entry !== undefined ? { entry: values.entry as string } : {}),
      onProgress: (m) => progress.update(m),
    });
  } catch (error) {
    if (error instanceof BrokerConfigError) {
      io.stderr(`modulith broker-config: ${error.message}\n`);
      return EXIT.config;
    }
    throw error;
  } finally {
    progress.done();
  }

  // Only validated names reach the command line written into the files.
  const command = [
    'modulith broker-config',
    ...services.map((s) => s.join(',')),
    ...(values.out !== undefined ? ['--out', outDir] : []),
    ...(access.entry && values.entry !== undefined ? ['--entry', access.entry] : []),
  ].join(' ');
  const names = [...access.processes.map((p) => p.name), ...(access.provisioner ? [access.provisioner.name] : [])];
  const { files, users } = brokerConfigFiles(access, { outDir, command, brokerUrl, seeds: existingSeeds(io.cwd, outDir, names) });

  let written: WrittenFile[] = [];
  try {
    for (const file of files) refuseLinks(io.cwd, file.path, failure);
    written = writeDeploymentFiles(io.cwd, files, 'broker-config');
  } catch (error) {
    if (error instanceof DeploymentWriteRefused || error instanceof BrokerConfigError) {
      io.stderr(`${error instanceof BrokerConfigError ? 'modulith broker-config: ' : ''}${error.message}\n`);
      return EXIT.config;
    }
    throw error;
  }

  const errors = access.findings.filter((f) => f.severity === 'error').length;
  if (format === 'json') {
    io.stdout(`${JSON.stringify({ ...access, users, outDir, written }, null, 2)}\n`);
  } else {
    io.stdout(files.find((f) => f.path.endsWith('/auth.conf'))!.text);
    for (const finding of access.findings) {
      io.stderr(`${finding.severity === 'error' ? '✖' : '⚠'} ${finding.file ? `${finding.file}${finding.line ? `:${finding.line}` : ''}: ` : ''}${finding.message}\n    fix: ${finding.fix}\n`);
    }
    for (const w of written) io.stderr(`${w.status === 'unchanged' ? 'kept' : 'wrote'} ${w.file}${w.status === 'unchanged' ? ' (unchanged)' : ''}\n`);
    io.stderr(`run: nats-server -c ${outDir}/auth.conf -js -sd <store dir>${access.provisioner ? `; then once: ${command} --provision` : ''}\n`);
  }

  if (values.provision === true) {
    const code = await provision(access, io, env, outDir, brokerUrl);
    if (code !== EXIT.ok) return code;
  }
  return errors > 0 ? EXIT.violations : EXIT.ok;
}

/** Creates the event relay's stream and each process's consumer, with the provisioning user's seed (or a credential in the environment). */
async function provision(access: BrokerAccess, io: CliIo, env: NodeJS.ProcessEnv, outDir: string, brokerUrl: string | undefined): Promise<number> {
  if (!access.provisioner) {
    io.stderr('modulith broker-config --provision: the code publishes no module events, so there is no event stream to create\n');
    return EXIT.ok;
  }
  const { provisionEventRelay } = await import('../../events/index.js');
  const fromEnv = env.MODULITH_BROKER_TOKEN || env.MODULITH_BROKER_USER || env.MODULITH_BROKER_NKEY_SEED || env.MODULITH_BROKER_CREDS;
  const seed = existingSeeds(io.cwd, outDir, [access.provisioner.name])[access.provisioner.name];
  const broker = {
    url: brokerUrl ?? 'nats://127.0.0.1:4222',
    namespace: access.namespace,
    timeoutMs: 5000,
    inboxPrefix: access.provisioner.inboxPrefix,
    ...(fromEnv
      ? {
          token: env.MODULITH_BROKER_TOKEN || undefined,
          user: env.MODULITH_BROKER_USER || undefined,
          password: env.MODULITH_BROKER_PASSWORD || undefined,
          nkeySeed: env.MODULITH_BROKER_NKEY_SEED || undefined,
          credsFile: env.MODULITH_BROKER_CREDS || undefined,
        }
      : { nkeySeed: seed }),
  };
  try {
    const done = await provisionEventRelay({ broker, origins: access.processes.map((p) => p.placement) });
    io.stderr(`provisioned stream ${done.stream} and consumers ${done.consumers.join(', ')} on ${broker.url.replace(/\/\/[^@/]*@/g, '//***@')}\n`);
    return EXIT.ok;
  } catch (error) {
    io.stderr(`modulith broker-config --provision: ${(error as Error)?.message ?? String(error)}\n`);
    return EXIT.config;
  }
}

