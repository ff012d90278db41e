// @modulith-covers core
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadApplicationModules, ModuleModelError, readConfigFile, readProjectConfig, type Problem } from '../../src/core/index.js';
import { tempProject, type TempProject } from './temp-project.js';

let project: TempProject;
afterEach(() => project?.dispose());

function problemsOf(load: () => unknown): Problem[] {
  try {
    load();
  } catch (error) {
    if (error instanceof ModuleModelError) return error.problems;
    throw error;
  }
  throw new Error('expected a ModuleModelError');
}

describe('readConfigFile: every way a configuration file can be wrong is a problem naming it, never a throw', () => {
  it('reads UTF-8 text, drops a UTF-8 byte order mark, and says missing for nothing there', () => {
    project = tempProject({ 'a.json': '\uFEFF{"a":1}', 'b.json': '{"b":"ü"}' });
    expect(readConfigFile(join(project.dir, 'a.json'), 'a.json')).toEqual({ kind: 'text', text: '{"a":1}' });
    expect(readConfigFile(join(project.dir, 'b.json'), 'b.json')).toEqual({ kind: 'text', text: '{"b":"ü"}' });
    expect(readConfigFile(join(project.dir, 'none.json'), 'none.json')).toEqual({ kind: 'missing' });
    expect(readConfigFile(join(project.dir, 'a.json/x'), 'a.json/x')).toEqual({ kind: 'missing' });
  });

  it.each([
    ['a directory', (dir: string) => mkdirSync(join(dir, 'f.json')), 'is a directory, not a file'],
    ['a dangling symbolic link', (dir: string) => symlinkSync('gone.json', join(dir, 'f.json')), "is a broken symbolic link to 'gone.json'"],
    ['a symbolic link loop', (dir: string) => symlinkSync('f.json', join(dir, 'f.json')), 'is a symbolic link that loops'],
    ['UTF-16', (dir: string) => writeFileSync(join(dir, 'f.json'), Buffer.from('\uFEFF{}', 'utf16le')), 'is UTF-16 encoded'],
    ['invalid UTF-8', (dir: string) => writeFileSync(join(dir, 'f.json'), Buffer.from([0x7b, 0x0a, 0xc3, 0x28, 0x7d])), 'is not valid UTF-8 (byte 2 on line 2'],
    ['an overlong UTF-8 encoding', (dir: string) => writeFileSync(join(dir, 'f.json'), Buffer.from([0x7b, 0xc0, 0xaf, 0x7d])), 'is not valid UTF-8 (byte 1 on line 1'],
    ['too big', (dir: string) => writeFileSync(join(dir, 'f.json'), ' '.repeat(2048)), 'is 2 KiB, larger than the 1 KiB limit for this file'],
  ])('%s', (_what, make, message) => {
    project = tempProject();
    make(project.dir);
    const read = readConfigFile(join(project.dir, 'f.json'), 'f.json', { maxBytes: 1024 });
    expect(read).toEqual({ kind: 'problem', problem: { file: 'f.json', message: expect.stringContaining(message), fix: expect.any(String) } });
  });

  it('a byte order mark is refused where other tools read the file too (package.json)', () => {
    project = tempProject({ 'package.json': '\uFEFF{"name":"app"}' });
    expect(problemsOf(() => readProjectConfig(project.dir))).toEqual([
      { file: 'package.json', message: expect.stringContaining('starts with a byte order mark'), fix: 'save it as UTF-8 without a byte order mark' },
    ]);
  });
});

describe('the model loader names a broken module.json and does not blame its dependents', () => {
  it.each([
    ['a directory', (dir: string) => mkdirSync(join(dir, 'modules/billing/module.json')), 'is a directory, not a file'],
    ['a dangling symbolic link', (dir: string) => symlinkSync('nowhere.json', join(dir, 'modules/billing/module.json')), "is a broken symbolic link to 'nowhere.json'"],
    ['not JSON', (dir: string) => writeFileSync(join(dir, 'modules/billing/module.json'), '{'), 'is not valid JSON'],
  ])('%s', (_what, make, message) => {
    project = tempProject({ 'modules/orders/module.json': { name: 'orders', dependsOn: ['billing'] } });
    mkdirSync(join(project.dir, 'modules/billing'));
    make(project.dir);
    expect(problemsOf(() => loadApplicationModules(project.dir))).toEqual([{ file: 'modules/billing/module.json', message: expect.stringContaining(message), fix: expect.any(String) }]);
  });

  it('a module folder that is a symbolic link to a real module is refused (its files would go unchecked)', () => {
    project = tempProject({ 'vendor/billing/module.json': { name: 'billing' }, 'modules/orders/module.json': { name: 'orders' } });
    symlinkSync('../vendor/billing', join(project.dir, 'modules/billing'));
    expect(problemsOf(() => loadApplicationModules(project.dir))).toEqual([
      { file: 'modules/billing', message: expect.stringContaining("is a symbolic link to '../vendor/billing'; a module must be a real folder"), fix: expect.stringContaining('move the folder to modules/billing/') },
    ]);
  });

  it('a dangling symbolic link nobody depends on is none of the model’s business', () => {
    project = tempProject({ 'modules/orders/module.json': { name: 'orders' } });
    symlinkSync('../gone', join(project.dir, 'modules/old'));
    expect(loadApplicationModules(project.dir).names).toEqual(['orders']);
  });

  it('roots are deduplicated after normalization', () => {
    project = tempProject({ 'package.json': { modulith: { roots: ['modules', './modules/', 'modules/../modules'] } }, 'modules/orders/module.json': { name: 'orders' } });
    expect(readProjectConfig(project.dir).roots).toEqual(['modules']);
    expect(loadApplicationModules(project.dir).names).toEqual(['orders']);
  });
});
