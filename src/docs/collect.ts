import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCheck, type CheckPlugin } from '../boundaries/index.js';
import { moduleSourceFiles, type ApplicationModules, type ModuleContract } from '../core/index.js';
import { loadContracts } from '../contracts/index.js';
import { assembleDocsModel } from './assemble.js';
import { codeFacts } from './code-facts.js';
import type { DocsModel } from './docs-model.js';
import { importGraphRecorder } from './import-graph.js';

export interface CollectDocsOptions {
  /** The check's plugins (the CLI passes those `modulith check` runs), so the docs show the violations check reports. */
  plugins?: readonly CheckPlugin[];
  /** tsconfig resolving imports, project-relative (`--tsconfig`). */
  tsConfig?: string;
  /** false: no caches (the check's extraction cache, the contracts cache). */
  cache?: boolean;
  /** Baseline file, as runCheck takes it (default modulith-baseline.json when present). */
  baseline?: string | false;
  /** The contracts cache file (the one `modulith check` and `contracts` share), when caching. */
  contractsCacheFile?: string;
  onProgress?: (message: string) => void;
  onWarning?: (message: string) => void;
}

/**
 * The DocsModel of the project at rootDir: the boundary check (its model, import graph,
 * violations and baseline), each module's contract computed fresh from its code (facades,
 * events, routes: no committed module.api.md needed), and the tables and facade calls the
 * extraction analyses find.
 */
export async function collectDocsModel(rootDir: string, options: CollectDocsOptions = {}): Promise<DocsModel> {
  const progress = options.onProgress ?? (() => undefined);
  const recorder = importGraphRecorder();
  const result = await runCheck({
    rootDir,
    ...(options.baseline !== undefined ? { baseline: options.baseline } : {}),
    ...(options.tsConfig ? { tsConfig: options.tsConfig } : {}),
    ...(options.cache === false ? { cache: false } : {}),
    ...(options.onWarning ? { onWarning: options.onWarning } : {}),
    plugins: [...(options.plugins ?? []), recorder.plugin],
    onProgress: progress,
  });
  const graph = recorder.graph();
  if (!graph) throw new Error('the boundary check ran without its plugins'); // finishCheck always runs them
  const { model, tsConfig } = graph;

  progress('module contracts');
  const eligible = model.modules.filter((m) => m.entry !== undefined && /\.(ts|mts|cts|tsx)$/.test(m.entry)).map((m) => m.name);
  const contracts: ReadonlyMap<string, ModuleContract> =
    eligible.length === 0
      ? new Map()
      : (
          await loadContracts(model, {
            ...(tsConfig ? { tsConfig } : {}),
            ...(options.cache !== false && options.contractsCacheFile ? { cacheFile: options.contractsCacheFile } : {}),
            knownHashes: new Map(graph.files.map((f) => [f.path, f.hash])),
            ...(eligible.length < model.modules.length ? { modules: eligible } : {}),
          })
        ).contracts;

  progress('tables and facade calls');
  const code = await codeFacts(model, tsConfig);
  return assembleDocsModel({ model, sizes: moduleSizes(rootDir, model), contracts, files: graph.files, code, found: result.found, open: result.violations });
}

/** Each module's production files (tests excluded, as contracts and extraction read them) and their lines. */
function moduleSizes(rootDir: string, model: ApplicationModules): Map<string, { files: number; lines: number }> {
  const sizes = new Map<string, { files: number; lines: number }>();
  for (const m of model.modules) {
    const files = moduleSourceFiles(rootDir, m);
    let lines = 0;
    for (const file of files) lines += lineCount(readFileSync(join(rootDir, file), 'utf8'));
    sizes.set(m.name, { files: files.length, lines });
  }
  return sizes;
}

/** Lines as an editor counts them: a last line without a newline counts, CRLF counts once. */
function lineCount(text: string): number {
  if (text.length === 0) return 0;
  const newlines = text.split('\n').length - 1;
  return text.endsWith('\n') ? newlines : newlines + 1;
}
