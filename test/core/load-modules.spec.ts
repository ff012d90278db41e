// @modulith-covers core
import { loadApplicationModules, ModuleModelError, type Problem } from '../../src/core/index.js';
import { tempProject, type TempProject } from './temp-project.js';

let project: TempProject;
afterEach(() => project?.dispose());

function problemsOf(files: Record<string, string | object>): Problem[] {
  project = tempProject(files);
  try {
    loadApplicationModules(project.dir);
  } catch (error) {
    if (error instanceof ModuleModelError) return error.problems;
    throw error;
  }
  throw new Error('expected the model to be rejected');
}

describe('loadApplicationModules', () => {
  it('builds the model from module.json files, sorted, with public entries', () => {
    project = tempProject({
      'modules/orders/module.json': { name: 'orders', dependsOn: ['billing', 'kernel'], description: 'Orders' },
      'modules/orders/index.ts': 'export {};',
      'modules/billing/module.json': { name: 'billing' },
      'modules/billing/index.ts': 'export {};',
      'modules/kernel/module.json': { name: 'kernel', shared: true },
      'modules/notamodule/readme.md': 'no module.json here',
    });
    const model = loadApplicationModules(project.dir);
    expect(model.names).toEqual(['billing', 'kernel', 'orders']);
    const orders = model.require('orders');
    expect(orders).toMatchObject({ dir: 'modules/orders', entry: 'modules/orders/index.ts', root: 'modules', description: 'Orders' });
    expect(orders.manifest).toBe('modules/orders/module.json');
    expect(model.require('kernel').entry).toBeUndefined();
    expect(model.moduleOf('modules/orders/internal/x.ts')?.name).toBe('orders');
    expect(model.moduleOf('modules/ordersx/a.ts')).toBeUndefined();
    expect(model.mayUse('orders', 'billing')).toBe(true);
    expect(model.mayUse('billing', 'orders')).toBe(false);
    expect(model.mayUse('billing', 'kernel')).toBe(true);
    expect(model.mayUse('kernel', 'billing')).toBe(false);
    expect(model.dependentsOf('billing').map((m) => m.name)).toEqual(['orders']);
  });

  it('reads other modules roots from package.json#modulith', () => {
    project = tempProject({
      'package.json': { name: 'app', modulith: { roots: ['src/modules', './libs/'] } },
      'src/modules/users/module.json': { name: 'users', dependsOn: ['util'] },
      'libs/util/module.json': { name: 'util', shared: true },
    });
    const model = loadApplicationModules(project.dir);
    expect(model.roots).toEqual(['src/modules', 'libs']);
    expect(model.require('users').dir).toBe('src/modules/users');
    expect(model.require('util').dir).toBe('libs/util');
  });

  it('names the file and the fix for bad JSON', () => {
    const [problem] = problemsOf({ 'modules/a/module.json': '{ "name": "a", ' });
    expect(problem.file).toBe('modules/a/module.json');
    expect(problem.message).toMatch(/not valid JSON/);
    expect(problem.fix).toMatch(/repair/);
  });

  it('rejects a name that differs from its folder', () => {
    expect(problemsOf({ 'modules/orders/module.json': { name: 'order' } })).toEqual([
      expect.objectContaining({ file: 'modules/orders/module.json', message: expect.stringMatching(/'order' but the folder is 'orders'/) }),
    ]);
  });

  it('rejects an unknown dependency and lists the known modules in the fix', () => {
    const [problem] = problemsOf({
      'modules/orders/module.json': { name: 'orders', dependsOn: ['biling'] },
      'modules/billing/module.json': { name: 'billing' },
    });
    expect(problem).toMatchObject({ file: 'modules/orders/module.json', message: "depends on unknown module 'biling'" });
    expect(problem.fix).toContain('known: billing, orders');
  });

  it('rejects a self-dependency', () => {
    expect(problemsOf({ 'modules/a/module.json': { name: 'a', dependsOn: ['a'] } })[0].message).toBe("'a' depends on itself");
  });

  it('rejects a duplicate name across roots', () => {
    const problems = problemsOf({
      'package.json': { modulith: { roots: ['modules', 'libs'] } },
      'modules/a/module.json': { name: 'a' },
      'libs/a/module.json': { name: 'a' },
    });
    expect(problems).toEqual([expect.objectContaining({ message: expect.stringMatching(/already used by (modules|libs)\/a\/module.json/) })]);
  });

  it('prints a cycle in the declared graph', () => {
    const problems = problemsOf({
      'modules/a/module.json': { name: 'a', dependsOn: ['b'] },
      'modules/b/module.json': { name: 'b', dependsOn: ['c'] },
      'modules/c/module.json': { name: 'c', dependsOn: ['a'] },
      'modules/d/module.json': { name: 'd', dependsOn: ['a'] },
    });
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toBe('declared dependencies form a cycle: a -> b -> c -> a');
    expect(problems[0].file).toBe('modules/a/module.json');
  });

  it('rejects a shared module depending on a non-shared one', () => {
    const [problem] = problemsOf({
      'modules/kernel/module.json': { name: 'kernel', shared: true, dependsOn: ['billing'] },
      'modules/billing/module.json': { name: 'billing' },
    });
    expect(problem.message).toBe("shared module 'kernel' depends on non-shared module 'billing'");
    expect(problem.fix).toContain('modules/billing/module.json');
  });

  it('rejects wrong field types and unknown keys, all at once', () => {
    const problems = problemsOf({
      'modules/a/module.json': { name: 'a', dependsOn: 'b', shared: 'yes', depends: [] },
    });
    expect(problems.map((p) => p.message)).toEqual([
      '"dependsOn" must be an array of module names',
      '"shared" must be true or false',
      'unknown key "depends"',
    ]);
  });

  it('rejects a missing modules root and a malformed modulith config', () => {
    expect(problemsOf({ 'package.json': { modulith: { roots: ['nowhere'] } } })[0]).toMatchObject({
      file: 'nowhere',
      message: "modules root 'nowhere' does not exist",
    });
    project.dispose();
    expect(problemsOf({ 'package.json': { modulith: { roots: 'modules' } } })[0].file).toBe('package.json');
  });

  it('reports every problem of the project in one error message', () => {
    project = tempProject({
      'modules/a/module.json': { name: 'x' },
      'modules/b/module.json': { name: 'b', dependsOn: ['zzz'] },
    });
    expect(() => loadApplicationModules(project.dir)).toThrow(
      /2 problems\)\n {2}modules\/a\/module.json: "name" is 'x'.*\n {4}fix: .*\n {2}modules\/b\/module.json: depends on unknown module 'zzz'/,
    );
  });
});
