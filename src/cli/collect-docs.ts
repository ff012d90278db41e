import { join } from 'node:path';
import { defaultCacheDir, loadCheckConfig } from '../boundaries/index.js';
import { loadApplicationModules } from '../core/index.js';
import { collectDocsModel, focusNames, type DocsModel } from '../docs/index.js';
import { UsageError } from './args.js';
import { checkPlugins } from './check-plugins.js';
import { CONTRACTS_CACHE_FILE } from './contracts-plugin.js';
import type { CliIo } from './io.js';
import { createProgress } from './progress.js';

/**
 * The DocsModel for `modulith graph` and `modulith docs`: the check with every plugin `modulith
 * check` runs (so the graph shows the violations check reports), with its progress on stderr.
 * `focus` is validated against the module model first, before the (slower) check runs.
 */
export async function collectForCli(io: CliIo, name: string, options: { tsConfig?: string; cache: boolean; focus?: string }): Promise<DocsModel> {
  const progress = createProgress(io.stderr, io.stderrIsTTY, name);
  const onWarning = (message: string): void => io.stderr(`${name}: warning: ${message}\n`);
  try {
    if (options.focus !== undefined) {
      progress.update('loading configuration');
      const config = await loadCheckConfig(io.cwd, { tsConfig: options.tsConfig, onWarning: () => undefined });
      const known = loadApplicationModules(io.cwd, { roots: config.options.roots, allowEmpty: true, allowCycles: true }).names;
      const names = focusNames(options.focus);
      if (names.length === 0) throw new UsageError('--focus needs a module name (or several, comma-separated)');
      for (const focused of names) {
        if (!known.includes(focused)) {
          throw new UsageError(`--focus: unknown module '${focused}' (${known.length > 0 ? `known modules: ${[...known].sort().join(', ')}` : 'the app has no modules'})`);
        }
      }
    }
    return await collectDocsModel(io.cwd, {
      plugins: checkPlugins({ cache: options.cache }),
      ...(options.tsConfig ? { tsConfig: options.tsConfig } : {}),
      cache: options.cache,
      ...(options.cache ? { contractsCacheFile: join(defaultCacheDir(io.cwd), CONTRACTS_CACHE_FILE) } : {}),
      onProgress: (message) => progress.update(message),
      onWarning,
    });
  } finally {
    progress.done();
  }
}
