import type { Affected } from './compute-affected.js';
import { TEST_FILE } from './shell-files.js';
import type { TestFile } from './test-files.js';

/** What `modulith test` runs, and why. */
export interface TestPlan {
  /** `all`: no filter; `modules`: the modules named; `affected`: the modules a change affects. */
  selection: 'all' | 'modules' | 'affected';
  /** The selected modules, each with why and its test files (its folder's, and those covering it). */
  modules: Array<{ name: string; reason: string; files: string[] }>;
  /** Tests outside modules selected for another reason (unassigned ones after an app-shell change, changed tests, test helpers changed). */
  other: Array<{ file: string; reason: string }>;
  /** Every file to run, sorted. */
  files: string[];
  /** Tests outside modules with no `@modulith-covers` header that this selection leaves out. */
  skipped: Array<{ file: string; reason: string; fix: string }>;
  /** e.g. a `@modulith-covers` header naming an unknown module. */
  warnings: string[];
}

export const COVERS_FIX = 'add a line `// @modulith-covers <module>, <module>` in its first 20 lines naming the modules it tests, or run `modulith test` with no filter';

/**
 * The test files for a selection. Pure. A module's tests: the test files in its folder, and
 * those whose `@modulith-covers` header names it. Tests outside every module without the header
 * are unassigned: they run with no filter, or when the change touched app-shell code; else they
 * are listed as skipped. With a change (`affected`): changed test files outside modules run too,
 * and a changed test helper (a non-test file under test/) runs the tests near it (helperScope).
 */
export function planTests(input: {
  tests: readonly TestFile[];
  /** The modules to test with why; undefined: every module (no filter). */
  selected: ReadonlyMap<string, string> | undefined;
  /** Every module name (for the `all` selection and unknown-name warnings). */
  modules: readonly string[];
  /** The change, for `affected`. */
  change?: Pick<Affected, 'shell'>;
}): TestPlan {
  const known = new Set(input.modules);
  const selection: TestPlan['selection'] = input.selected === undefined ? 'all' : input.change ? 'affected' : 'modules';
  const selected = input.selected ?? new Map(input.modules.map((m) => [m, 'every module (no filter)']));
  const warnings: string[] = [];
  for (const t of input.tests) {
    const unknown = t.covers.filter((c) => !known.has(c));
    if (unknown.length > 0) warnings.push(`${t.path}: @modulith-covers names ${unknown.map((u) => `'${u}'`).join(', ')}, not a module (known: ${[...known].join(', ') || 'none'})`);
  }

  const modules = [...selected.keys()].sort().map((name) => ({
    name,
    reason: selected.get(name)!,
    files: input.tests.filter((t) => t.module === name || t.covers.includes(name)).map((t) => t.path),
  }));
  const chosen = new Set(modules.flatMap((m) => m.files));
  const other: TestPlan['other'] = [];
  const skipped: TestPlan['skipped'] = [];
  const shell = input.change?.shell;
  const helpers = (shell?.tests ?? []).filter((f) => !TEST_FILE.test(f));
  const changedTests = new Set((shell?.tests ?? []).filter((f) => TEST_FILE.test(f)));
  const outside = input.tests.filter((t) => t.module === undefined);
  for (const t of outside) {
    if (chosen.has(t.path)) continue;
    const unassigned = t.covers.filter((c) => known.has(c)).length === 0;
    let reason: string | undefined;
    if (changedTests.has(t.path)) reason = 'changed';
    else if (helpers.some((h) => t.path.startsWith(helperScope(h)))) {
      const near = helpers.filter((h) => t.path.startsWith(helperScope(h)));
      reason = `a test helper changed (${near.slice(0, 2).join(', ')}${near.length > 2 ? ` and ${near.length - 2} more` : ''})`;
    }
    else if (unassigned && selection === 'all') reason = 'covers no declared module (no filter: every test runs)';
    else if (unassigned && shell && shell.code.length > 0) reason = 'covers no declared module, and the app shell changed';
    if (reason) {
      other.push({ file: t.path, reason });
      chosen.add(t.path);
    } else if (unassigned) {
      skipped.push({ file: t.path, reason: 'outside every module, with no `@modulith-covers` header: no module selects it', fix: COVERS_FIX });
    }
  }
  return { selection, modules, other, files: [...chosen].sort(), skipped, warnings };
}

const SHARED_HELPERS = new Set(['support', 'helpers', 'utils', 'setup', 'shared', 'common']);

/**
 * The folder whose tests a changed helper outside modules may break: the first folder below the
 * test root it sits in (`test/events/fixtures.ts` -> `test/events/`), or the whole test root for
 * a helper directly in it or in its support/helpers/utils/setup/shared/common folder.
 */
export function helperScope(path: string): string {
  const parts = path.split('/');
  const root = parts.findIndex((p) => /^(test|tests|__tests__|e2e|spec)$/.test(p));
  if (root === -1) return '';
  const below = parts[root + 1];
  if (root + 2 >= parts.length || below === undefined || SHARED_HELPERS.has(below)) return `${parts.slice(0, root + 1).join('/')}/`;
  return `${parts.slice(0, root + 2).join('/')}/`;
}
