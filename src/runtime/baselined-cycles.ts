import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { DECLARED_CYCLE_FIX, declaredCycleProblem, ModuleModelError, readConfigFile, type ApplicationModules, type Problem } from '../core/index.js';

/** The file `modulith baseline` writes (src/boundaries/baseline: DEFAULT_BASELINE). */
export const BASELINE_FILE = 'modulith-baseline.json';
/** The rule id a declared cycle is recorded under, keyed by its modules (src/boundaries/baseline: baselineKey). */
const CYCLE_RULE = 'module-cycle';
const BASELINE_MAX_BYTES = 64 * 1024 * 1024;

/** Declared cycles the app boots with because the baseline records them, and that baseline. */
export interface BaselinedCycles {
  cycles: string[][];
  /** Absolute path of the baseline that records them (undefined when there is no cycle). */
  baselineFile: string | undefined;
}

/**
 * The runtime's side of a cycle in the declared `dependsOn` graph: the app refuses to boot with
 * one, unless the project's baseline records it (`modulith baseline` did, while the team
 * untangles it), in which case it boots and the caller logs a warning naming it.
 *
 * The baseline is read only when the model has a declared cycle, so it costs nothing and a
 * missing or broken one changes nothing otherwise. `option` is ModulithModule.forRoot's
 * `baseline`: false for none, a path (absolute, or relative to the project root), or by default
 * `modulith-baseline.json` in the folder the model was read from or a folder above it, up to the
 * project root — the nearest folder holding a package.json with a "name" (a build's
 * `{ "type": "commonjs" }` marker is not one). From source that is the project's own baseline;
 * a built image (dist/modules/... under /app) finds /app/modulith-baseline.json when the image
 * ships it next to package.json, from any working directory.
 *
 * Throws ModuleModelError naming each cycle the baseline does not record, with the fix: break it,
 * or baseline it and ship the baseline (or pass its path).
 */
export function admitDeclaredCycles(model: ApplicationModules, option: string | false | undefined): BaselinedCycles {
  const cycles = model.declaredCycles();
  if (cycles.length === 0) return { cycles, baselineFile: undefined };

  const { projectRoot, searched } = projectFolders(model.rootDir);
  const shown = (abs: string): string => {
    const rel = projectRoot ? relative(projectRoot, abs) : abs;
    return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : abs;
  };
  const manifestOf = (name: string): string => shown(join(model.rootDir, model.require(name).manifest));

  let file: string | undefined;
  let why: string;
  const problems: Problem[] = [];
  if (option === false) {
    why = 'baselines are turned off (ModulithModule.forRoot({ baseline: false })): remove that option, record the cycle with `modulith baseline` and ship modulith-baseline.json with the app';
  } else if (typeof option === 'string') {
    file = resolve(projectRoot ?? model.rootDir, option);
    why = `record it with \`modulith baseline\` and ship the baseline as ${file} (ModulithModule.forRoot({ baseline }))`;
  } else {
    file = searched.map((dir) => join(dir, BASELINE_FILE)).find((candidate) => existsSync(candidate));
    why = file
      ? `record it with \`modulith baseline\` and ship the updated ${BASELINE_FILE} with the app (it is read from ${file})`
      : `record it with \`modulith baseline\` and ship ${BASELINE_FILE} with the app (looked for it in ${searched.join(', ')}), ` +
        `or pass ModulithModule.forRoot({ baseline: '/path/to/${BASELINE_FILE}' })`;
  }

  const recorded = file ? readBaselinedCycles(file, option !== undefined, problems) : new Set<string>();
  if (problems.length > 0) {
    why = `repair or rewrite the baseline (\`modulith baseline\`), or pass ModulithModule.forRoot({ baseline: '/path/to/${BASELINE_FILE}' })`;
  }
  const unknown = cycles.filter((cycle) => !recorded.has(cycle.join('>')));
  if (unknown.length > 0 || problems.length > 0) {
    for (const cycle of unknown) problems.push(declaredCycleProblem(cycle, manifestOf, `${DECLARED_CYCLE_FIX}; to boot while you untangle it, ${why}`));
    throw new ModuleModelError(problems);
  }
  return { cycles, baselineFile: file };
}

/**
 * The cycles a baseline records, as `a>b` keys. A missing file records nothing (a problem only
 * when its path was given explicitly); one that is not a baseline is a problem naming it.
 */
function readBaselinedCycles(file: string, required: boolean, problems: Problem[]): Set<string> {
  const read = readConfigFile(file, file, { maxBytes: BASELINE_MAX_BYTES, expected: 'the baseline (`modulith baseline` writes it)' });
  if (read.kind === 'missing') {
    if (required) problems.push({ file, message: 'does not exist (ModulithModule.forRoot({ baseline }))', fix: 'ship the baseline there, or correct the path' });
    return new Set();
  }
  if (read.kind === 'problem') {
    problems.push(read.problem);
    return new Set();
  }
  let list: unknown;
  try {
    list = (JSON.parse(read.text) as { violations?: unknown } | null)?.violations;
  } catch (error) {
    problems.push({ file, message: `is not valid JSON (${(error as Error).message})`, fix: 'run `modulith baseline` to write it again' });
    return new Set();
  }
  if (!Array.isArray(list)) {
    problems.push({ file, message: 'is not a modulith baseline (expected { "version": 1, "violations": [...] })', fix: 'run `modulith baseline` to write it again' });
    return new Set();
  }
  const keys = new Set<string>();
  for (const entry of list as Array<{ rule?: unknown; cycle?: unknown } | null>) {
    const cycle = entry?.cycle;
    if (entry?.rule === CYCLE_RULE && Array.isArray(cycle) && cycle.every((m) => typeof m === 'string')) keys.add(cycle.join('>'));
  }
  return keys;
}

/**
 * The folders the default baseline is looked for in: the model's folder, then each folder above
 * it up to the project root (the nearest one holding a package.json with a "name"), inclusive.
 */
function projectFolders(start: string): { projectRoot: string | undefined; searched: string[] } {
  const searched: string[] = [];
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    searched.push(dir);
    if (isProjectRoot(dir)) return { projectRoot: dir, searched };
    if (dirname(dir) === dir) return { projectRoot: undefined, searched };
  }
}

function isProjectRoot(dir: string): boolean {
  const read = readConfigFile(join(dir, 'package.json'), 'package.json');
  if (read.kind === 'missing') return false;
  if (read.kind === 'problem') return true;
  try {
    const data = JSON.parse(read.text) as { name?: unknown } | null;
    return typeof data?.name === 'string';
  } catch {
    return true; // a broken package.json still marks a project: stop there
  }
}
