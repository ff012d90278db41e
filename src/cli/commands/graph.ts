import { renderDot, renderJson, renderMermaid } from '../../docs/index.js';
import { parseOptions, UsageError } from '../args.js';
import { collectForCli } from '../collect-docs.js';
import { EXIT, type CliIo } from '../io.js';

const FORMATS = { mermaid: renderMermaid, dot: renderDot, json: renderJson } as const;

/**
 * `modulith graph [--format mermaid|dot|json] [--focus MODULE[,MODULE...]] [--tsconfig FILE] [--no-cache]`:
 * the module graph on stdout (declared dependencies, event flows, violations in red, baselined
 * debt in orange, undeclared and unused dependencies); --focus keeps one module and its direct
 * neighbours. Exit 0; 2 for a bad option or an unknown module.
 */
export async function graphCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseOptions(
    args,
    { format: { type: 'string' }, focus: { type: 'string' }, tsconfig: { type: 'string' }, 'no-cache': { type: 'boolean' } },
    { min: 0, max: 0, names: '' },
  );
  const format = (values.format as string | undefined) ?? 'mermaid';
  if (!Object.hasOwn(FORMATS, format)) throw new UsageError(`unknown format '${format}' (use ${Object.keys(FORMATS).join(', ')})`);
  const focus = values.focus as string | undefined;
  const model = await collectForCli(io, 'modulith graph', { tsConfig: values.tsconfig as string | undefined, cache: values['no-cache'] !== true, ...(focus !== undefined ? { focus } : {}) });
  io.stdout(FORMATS[format as keyof typeof FORMATS](model, focus !== undefined ? { focus } : {}));
  return EXIT.ok;
}
