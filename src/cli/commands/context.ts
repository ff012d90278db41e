import { buildContext, contextForFile, ContextError, renderContext, renderFileContext } from '../../agents/index.js';
import { parseOptions, UsageError } from '../args.js';
import { EXIT, type CliIo } from '../io.js';

/**
 * `modulith context NAME [--format md|json]` and `modulith context --file PATH [--format md|json]`:
 * the brief for a coding agent about to work on module NAME (or on the module PATH belongs to).
 * Exit 0; 2 for an unknown module, a file outside every module (app-shell code: its rules are
 * printed) or bad usage.
 */
export async function contextCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, { format: { type: 'string' }, file: { type: 'string' } }, { min: 0, max: 1, names: 'NAME (or --file PATH)' });
  const format = (values.format as string | undefined) ?? 'md';
  if (format !== 'md' && format !== 'json') throw new UsageError(`--format must be md or json, not '${format}'`);
  const file = values.file as string | undefined;
  if ((file === undefined) === (positionals.length === 0)) throw new UsageError('give a module NAME or --file PATH (one of them)');
  try {
    if (file !== undefined) {
      const fc = await contextForFile(io.cwd, file);
      if (!fc.context) {
        io.stderr(`modulith context: ${fc.file} is app-shell code, outside every module:\n${(fc.shellRules ?? []).map((r) => `  - ${r}`).join('\n')}\n`);
        return EXIT.config;
      }
      io.stdout(format === 'json' ? `${JSON.stringify(fc, null, 2)}\n` : renderFileContext(fc));
      return EXIT.ok;
    }
    const ctx = await buildContext(io.cwd, positionals[0]);
    io.stdout(format === 'json' ? `${JSON.stringify(ctx, null, 2)}\n` : renderContext(ctx));
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof ContextError)) throw error;
    io.stderr(`modulith context: ${error.message}\n`);
    return EXIT.config;
  }
}
