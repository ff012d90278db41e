import type { CheckPlugin } from '../boundaries/index.js';
import type { ApplicationModules } from '../core/index.js';

/** What the boundary check saw: its module model, every scanned file with its resolved imports, its tsconfig. */
export interface CheckedGraph {
  model: ApplicationModules;
  files: Parameters<CheckPlugin['run']>[1]['files'];
  tsConfig: string | undefined;
}

/**
 * A check plugin that finds nothing and remembers what the check hands every plugin: the docs
 * draw the import graph the check judged, not a second scan that could disagree with it.
 */
export function importGraphRecorder(): { plugin: CheckPlugin; graph: () => CheckedGraph | undefined } {
  let graph: CheckedGraph | undefined;
  return {
    plugin: {
      name: 'import graph',
      run(model, context) {
        graph = { model, files: context.files, tsConfig: context.tsConfig };
        return [];
      },
    },
    graph: () => graph,
  };
}
