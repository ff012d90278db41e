import {
  analyzeExtraction,
  deploymentFiles,
  DeploymentWriteRefused,
  prettyExtractionReport,
  UnknownModuleError,
  writeDeploymentFiles,
  type WrittenFile,
} from '../../extraction/index.js';
import { parseOptions, UsageError } from '../args.js';
import { EXIT, type CliIo } from '../io.js';
import { leaksPlugin } from '../leaks-plugin.js';
import { createProgress } from '../progress.js';
import { projectPath } from '../project-path.js';

const FORMATS = ['pretty', 'json'];
// The same rules as the runtime's topology (src/runtime), so a generated file always starts.
const BROKER_URL = /^(nats|tls|wss?):\/\//;
const NAMESPACE = /^[a-z0-9][a-z0-9_-]*$/;

/**
 * `modulith extract NAME [--format pretty|json] [--out DIR] [--no-write] [--no-cache]`: the
 * readiness report of running NAME in its own process, and (unless --no-write) its deployment
 * files in --out (default deploy/NAME). Exit 0 ready (warnings allowed), 1 blockers, 2 bad usage
 * or configuration, an unknown module, or a target file the user wrote or edited.
 */
export async function extractCommand(args: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parseOptions(
    args,
    { format: { type: 'string' }, out: { type: 'string' }, 'no-write': { type: 'boolean' }, 'no-cache': { type: 'boolean' } },
    { min: 1, max: 1, names: 'the module NAME' },
  );
  const name = positionals[0];
  const format = (values.format as string | undefined) ?? 'pretty';
  if (!FORMATS.includes(format)) throw new UsageError(`unknown format '${format}' (use ${FORMATS.join(', ')})`);
  const write = values['no-write'] !== true;
  if (!write && values.out !== undefined) throw new UsageError('--out and --no-write exclude each other');
  // Inside the project only: a generated file never lands elsewhere (`--out ../../x`, a link out).
  const outDir = write ? projectPath(io.cwd, (values.out as string | undefined) ?? `deploy/${name}`, '--out', `deploy/${name}`, (m) => new UsageError(m)) : `deploy/${name}`;

  // The generated env files carry the broker this shell is configured for, if any.
  const brokerUrl = env.MODULITH_BROKER_URL || undefined;
  const namespace = env.MODULITH_NAMESPACE || undefined;
  if (brokerUrl && !BROKER_URL.test(brokerUrl)) {
    io.stderr(`modulith extract: MODULITH_BROKER_URL '${brokerUrl}' is not a NATS URL; write e.g. nats://127.0.0.1:4222 (several: comma-separated)\n`);
    return EXIT.config;
  }
  if (namespace && !NAMESPACE.test(namespace)) {
    io.stderr(`modulith extract: MODULITH_NAMESPACE '${namespace}' must be lowercase letters, digits, '-' or '_'\n`);
    return EXIT.config;
  }

  const cache = values['no-cache'] !== true;
  const progress = createProgress(io.stderr, io.stderrIsTTY, `modulith extract ${name}`);
  let report;
  try {
    report = await analyzeExtraction({ rootDir: io.cwd, module: name, cache, plugins: [leaksPlugin({ cache })], onProgress: (m) => progress.update(m) });
  } catch (error) {
    if (error instanceof UnknownModuleError || (error as Error)?.name === 'UnknownModuleError') {
      io.stderr(`modulith extract: ${(error as Error).message}\n`);
      return EXIT.config;
    }
    throw error;
  } finally {
    progress.done();
  }

  let written: WrittenFile[] = [];
  let refused: DeploymentWriteRefused | undefined;
  if (write) {
    try {
      written = writeDeploymentFiles(io.cwd, deploymentFiles(report, { outDir, brokerUrl, namespace }));
    } catch (error) {
      if (!(error instanceof DeploymentWriteRefused)) throw error;
      refused = error;
    }
  }

  if (format === 'json') {
    io.stdout(`${JSON.stringify({ ...report, outDir: write ? outDir : null, written, refused: refused?.refused ?? [] }, null, 2)}\n`);
  } else {
    const lines = written.map((w) => `${w.status === 'unchanged' ? 'kept' : 'wrote'} ${w.file}${w.status === 'unchanged' ? ' (unchanged)' : ''}`);
    io.stdout(`${prettyExtractionReport(report)}${lines.length ? `\n${lines.join('\n')}\n` : ''}`);
  }
  if (refused) {
    io.stderr(`${refused.message}\n`);
    return EXIT.config;
  }
  return report.ready ? EXIT.ok : EXIT.violations;
}
