// @modulith-covers core
// A cycle in the declared dependsOn graph: a ModuleModelError by default (the runtime and every
// other reader of the model), a model with `declaredCycles()` for `modulith check` (allowCycles),
// which reports it as a module-cycle violation.
import { declaredCycles, loadApplicationModules, ModuleModelError, type Problem } from '../../src/core/index.js';
import { tempProject, type TempProject } from './temp-project.js';

let project: TempProject;
afterEach(() => project?.dispose());

const CYCLE = {
  'modules/orders/module.json': { name: 'orders', dependsOn: ['billing', 'reporting'] },
  'modules/reporting/module.json': { name: 'reporting', dependsOn: ['orders'] },
  'modules/billing/module.json': { name: 'billing' },
};

function problemsOf(load: () => unknown): Problem[] {
  try {
    load();
  } catch (error) {
    if (error instanceof ModuleModelError) return error.problems;
    throw error;
  }
  throw new Error('expected a ModuleModelError');
}

describe('loadApplicationModules with a declared cycle', () => {
  it('still rejects it by default, naming the cycle', () => {
    project = tempProject(CYCLE);
    expect(problemsOf(() => loadApplicationModules(project.dir))).toEqual([
      { file: 'modules/orders/module.json', message: 'declared dependencies form a cycle: orders -> reporting -> orders', fix: expect.stringContaining('remove one of these dependencies') },
    ]);
  });

  it('with allowCycles, loads the model and lists the cycles', () => {
    project = tempProject(CYCLE);
    const model = loadApplicationModules(project.dir, { allowCycles: true });
    expect(model.names).toEqual(['billing', 'orders', 'reporting']);
    expect(model.declaredCycles()).toEqual([['orders', 'reporting']]);
    expect(model.mayUse('reporting', 'orders')).toBe(true);
  });

  it('with allowCycles, every other problem is still a ModuleModelError', () => {
    project = tempProject({ ...CYCLE, 'modules/billing/module.json': { name: 'billing', dependsOn: ['nope'] } });
    expect(problemsOf(() => loadApplicationModules(project.dir, { allowCycles: true }))).toEqual([
      expect.objectContaining({ file: 'modules/billing/module.json', message: "depends on unknown module 'nope'" }),
    ]);
  });

  it('a model without cycles has none', () => {
    project = tempProject({ 'modules/billing/module.json': { name: 'billing' }, 'modules/orders/module.json': { name: 'orders', dependsOn: ['billing'] } });
    expect(loadApplicationModules(project.dir).declaredCycles()).toEqual([]);
    expect(loadApplicationModules(project.dir, { allowCycles: true }).declaredCycles()).toEqual([]);
  });
});

describe('declaredCycles', () => {
  it('finds the same cycles whatever order modules and their dependsOn entries are listed in', () => {
    // a -> b -> c -> a and a -> c -> a: a search that follows dependsOn as written finds only
    // one of them, depending on whether a lists b or c first.
    const graphs = [
      [
        { name: 'a', dependsOn: ['b', 'c'] },
        { name: 'b', dependsOn: ['c'] },
        { name: 'c', dependsOn: ['a'] },
      ],
      [
        { name: 'c', dependsOn: ['a'] },
        { name: 'b', dependsOn: ['c'] },
        { name: 'a', dependsOn: ['c', 'b'] },
      ],
    ];
    const [first, second] = graphs.map((modules) => declaredCycles(modules));
    expect(first).toEqual(second);
    expect(first.length).toBeGreaterThan(0);
    for (const cycle of first) expect(cycle[0]).toBe([...cycle].sort()[0]);
  });
});
