// @modulith-covers core, scaffold
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isModuleName, loadApplicationModules, MODULE_NAME, MODULE_NAME_MAX_LENGTH, MODULE_NAME_PATTERN, suggestModuleName } from '../../src/core/index.js';
import { MODULE_NAME as SCAFFOLD_MODULE_NAME } from '../../src/scaffold/index.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

describe('the module name rule', () => {
  it('is one rule: module.schema.json says exactly what core (the model loader and `modulith new`) enforces', () => {
    const schema = JSON.parse(readFileSync(join(REPO, 'module.schema.json'), 'utf8'));
    for (const property of [schema.properties.name, schema.properties.dependsOn.items]) {
      expect(property.pattern).toBe(MODULE_NAME_PATTERN);
      expect(property.maxLength).toBe(MODULE_NAME_MAX_LENGTH);
      // What editors do with the schema: the pattern as an ECMA-262 regex with the u flag.
      expect(new RegExp(property.pattern, 'u').source).toBe(MODULE_NAME.source);
    }
    expect(SCAFFOLD_MODULE_NAME).toBe(MODULE_NAME);
  });

  it.each([
    ['billing', true],
    ['order-history', true],
    ['v2-sync', true],
    ['a'.repeat(MODULE_NAME_MAX_LENGTH), true],
    ['a'.repeat(MODULE_NAME_MAX_LENGTH + 1), false],
    ['Bad', false],
    ['order_history', false],
    ['order--history', false],
    ['-billing', false],
    ['billing-', false],
    ['2fa', false],
    ['', false],
    ['../billing', false],
    ['bil\nling', false],
  ])('%j -> %s', (name, valid) => {
    expect(isModuleName(name)).toBe(valid);
  });

  it.each([
    ['Bad', 'bad'],
    ['OrderHistory', 'order-history'],
    ['order_history', 'order-history'],
    ['HTTPGateway', 'http-gateway'],
    ['../evil', 'evil'],
    ['2fa', undefined],
    ['billing', undefined],
  ])('suggests the kebab-case spelling of %j: %j', (name, suggestion) => {
    expect(suggestModuleName(name)).toBe(suggestion);
  });

  it("this repository's own modules (src/*) and the reference app's (modules/*) all follow it", () => {
    const model = loadApplicationModules(REPO);
    const folders = ['src', 'modules'].flatMap((root) =>
      readdirSync(join(REPO, root), { withFileTypes: true })
        .filter((e) => e.isDirectory() && readdirSync(join(REPO, root, e.name)).includes('module.json'))
        .map((e) => e.name),
    );
    expect(model.names.sort()).toEqual(folders.sort());
    expect(model.names.filter((name) => !isModuleName(name))).toEqual([]);
  });
});
