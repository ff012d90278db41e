// @modulith-covers core
import { describe, expect, it, afterEach } from '@jest/globals';
import { Ajv } from 'ajv';
import { readFileSync } from 'node:fs';
import { loadApplicationModules, ModuleModelError, OWNER_PATTERN, type Problem } from '../../src/core/index.js';
import { runCli } from '../cli/support/run-cli.js';
import { tempProject, type TempProject } from './temp-project.js';

let project: TempProject | undefined;
afterEach(() => project?.dispose());

const schema = JSON.parse(readFileSync(new URL('../../module.schema.json', import.meta.url), 'utf8')) as { properties: { owners: { items: { pattern: string } } } };
const validateSchema = new Ajv({ strict: false }).compile(schema);

function load(owners: unknown) {
  project?.dispose();
  project = tempProject({ 'modules/billing/module.json': JSON.stringify({ name: 'billing', owners }) });
  return loadApplicationModules(project.dir);
}

function problemsOf(owners: unknown): Problem[] {
  try {
    load(owners);
  } catch (error) {
    if (error instanceof ModuleModelError) return error.problems;
    throw error;
  }
  throw new Error(`expected owners ${JSON.stringify(owners)} to be rejected`);
}

const VALID = [
  ['@jane'],
  ['@acme/billing-team', '@jane-doe', 'jane.doe+billing@example.com'],
  ['@Acme/Team_One', '@a.b', 'x@sub.example.co.uk'],
  [],
];

describe('module.json "owners"', () => {
  it.each(VALID.map((owners) => [owners]))('accepts %j, on the model as owners, and the schema agrees', (owners) => {
    const model = load(owners);
    expect(model.require('billing').owners).toEqual(owners);
    expect(validateSchema({ name: 'billing', owners })).toBe(true);
  });

  it('a module without owners has owners []', () => {
    const model = load(undefined);
    expect(model.require('billing').owners).toEqual([]);
  });

  it('the schema carries the loader\'s pattern', () => {
    expect(schema.properties.owners.items.pattern).toBe(OWNER_PATTERN);
  });

  // Each a problem of modules/billing/module.json, naming "owners", with a fix; quoted values are escaped (no raw line break).
  it.each([
    ['a string instead of an array', '@acme/billing-team', /"owners" must be an array of code owners .*not the string '@acme\/billing-team'/, /write "owners": \["@acme\/billing-team"\]/],
    ['an object', { team: '@acme/billing' }, /"owners" must be an array .*not an object/, /"owners": \[/],
    ['null', null, /"owners" must be an array .*not null/, /"owners": \[/],
    ['a number in the list', ['@jane', 42], /"owners"\[1\] must be a string .*not the number 42/, /"owners": \[/],
    ['null in the list', [null], /"owners"\[0\] must be a string .*not null/, /"owners": \[/],
    ['a nested array', [['@jane']], /"owners"\[0\] must be a string .*not an array/, /"owners": \[/],
    ['an empty string', [''], /"owners"\[0\] is empty/, /remove it/],
    ['blanks', ['   '], /"owners"\[0\] is empty/, /remove it/],
    ['a newline that forges a rule', ['@jane\n/secrets/ @mallory'], /"owners"\[0\] '@jane\\n\/secrets\/ @mallory' contains a line break/, /one owner per item/],
    ['a carriage return', ['@jane\r* @mallory'], /contains a line break/, /one owner per item/],
    ['a line separator', ['@jane\u2028* @mallory'], /contains a line break/, /one owner per item/],
    ['two owners in one item', ['@jane @joe'], /"owners"\[0\] '@jane @joe' contains whitespace/, /one owner per item: \["@jane","@joe"\]/],
    ['a tab', ['@jane\t@joe'], /contains whitespace/, /one owner per item/],
    ['a # comment injection', ['@jane#@mallory'], /"owners"\[0\] '@jane#@mallory' contains '#', which starts a comment/, /without '#'/],
    ['a team named like a comment', ['#team'], /contains '#'/, /without '#'/],
    ['a name without @', ['billing-team'], /'billing-team' is not a code owner/, /write '@billing-team'/],
    ['an org/team without @', ['acme/billing'], /is not a code owner/, /write '@acme\/billing'/],
    ['a glob', ['*'], /'\*' is not a code owner/, /"owners": \[/],
    ['a path', ['/modules/billing/'], /is not a code owner/, /"owners": \[/],
    ['a nested team path', ['@acme/a/b'], /is not a code owner/, /"owners": \[/],
    ['a lone @', ['@'], /is not a code owner/, /"owners": \[/],
    ['an email with a display name', ['Jane <jane@example.com>'], /contains whitespace/, /remove the spaces/],
    ['an email without a domain dot', ['jane@localhost'], /is not a code owner/, /"owners": \[/],
    ['a control character', ['@jane\u0000'], /'@jane\\u0000' is not a code owner/, /"owners": \[/],
    ['non-ASCII lookalikes', ['@j\u0430ne'], /'@j\\u0430ne' is not a code owner/, /"owners": \[/],
    ['a right-to-left override', ['@jane\u202e'], /'@jane\\u202e' is not a code owner/, /"owners": \[/],
    ['a next-line character', ['@jane\u0085@mallory'], /'@jane\\u0085@mallory' is not a code owner/, /"owners": \[/],
    ['a very long handle', [`@${'a'.repeat(300)}`], /"owners"\[0\] is 301 characters long \(an owner is at most 254\)/, /handle or address/],
    ['a long user name', [`@${'a'.repeat(60)}`], /is not a code owner/, /"owners": \[/],
    ['a very long email', [`${'a'.repeat(64)}@${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(7)}`], /"owners"\[0\] is 255 characters long/, /handle or address/],
    ['the same owner twice', ['@jane', '@jane'], /"owners" lists '@jane' twice/, /remove the second '@jane'/],
    ['the same owner in other case', ['@Acme/Billing', '@acme/billing'], /lists '@acme\/billing' twice \('@Acme\/Billing' and '@acme\/billing' are the same owner\)/, /remove the second/],
    ['too many owners', Array.from({ length: 51 }, (_, i) => `@user${i}`), /"owners" lists 51 owners \(at most 50\)/, /name a team/],
  ])('rejects %s', (_what, owners, message, fix) => {
    const problems = problemsOf(owners);
    expect(problems).toEqual([expect.objectContaining({ file: 'modules/billing/module.json' })]);
    expect(problems[0].message).toMatch(message);
    expect(problems[0].message).not.toMatch(/[^\x20-\x7e]/);
    expect(problems[0].fix).toMatch(fix);
    // The schema an editor validates with refuses it too (except the count of distinct spellings, which JSON schema compares by case).
    expect(validateSchema({ name: 'billing', owners })).toBe(_what === 'the same owner in other case');
  });

  it('a long value is cut in the message', () => {
    const [problem] = problemsOf([`@jane\n${'x'.repeat(200)}`]);
    expect(problem.message.length).toBeLessThan(300);
  });

  it('every bad owner of every module is listed at once', () => {
    project = tempProject({
      'modules/billing/module.json': { name: 'billing', owners: ['@a', 7] },
      'modules/orders/module.json': { name: 'orders', owners: '@b' },
    });
    let error: unknown;
    try {
      loadApplicationModules(project.dir);
    } catch (e) {
      error = e;
    }
    expect((error as ModuleModelError).problems.map((p) => p.file)).toEqual(['modules/billing/module.json', 'modules/orders/module.json']);
  });

  it.each([['check'], ['codeowners']])('modulith %s exits 2 on a bad owner, naming the file, the key and the fix', async (command) => {
    project = tempProject({ 'modules/billing/module.json': { name: 'billing', owners: ['@jane # hi'] } });
    const run = await runCli([command], project.dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('modules/billing/module.json: "owners"[0] \'@jane # hi\' contains whitespace');
    expect(run.stderr).toContain('fix: remove the spaces');
  });
});
