// @modulith-covers core
import { describe, expect, it } from '@jest/globals';
import { parseConfig, parseConfigValue, parseExternals } from 'nest-modulith';

// module.json "config" and "externals" come from the repository: hostile or careless values are
// refused with a problem naming the file and the fix, never thrown, never echoed unbounded.

const FILE = 'modules/media/module.json';

function problems(value: unknown): string[] {
  return parseConfig(value, FILE).problems.map((p) => p.message);
}

describe('parseConfig on hostile values', () => {
  it.each([
    ['an array', []],
    ['a string', 'MEDIA_X'],
    ['null', null],
    ['a number', 42],
  ])('refuses "config" as %s', (kind, value) => {
    expect(problems(value)).toEqual([`"config" must be an object of environment variables by name, not ${kind}`]);
  });

  it('refuses wrong types of each key', () => {
    const found = problems({
      MEDIA_A: 'a string',
      MEDIA_B: { description: 3 },
      MEDIA_C: { description: 'c', required: 'yes', secret: 1 },
      MEDIA_D: { description: 'd', type: 'float' },
      MEDIA_E: { description: 'e', default: { nested: true } },
      MEDIA_F: { description: 'f', surprise: true },
    });
    expect(found).toEqual([
      '"config"."MEDIA_A" must be an object, not a string',
      '"config"."MEDIA_B" has no "description"',
      '"config"."MEDIA_C": "required" must be true or false',
      '"config"."MEDIA_C": "secret" must be true or false',
      '"config"."MEDIA_D": "type" must be one of string, integer, number, boolean, url, list',
      '"config"."MEDIA_E": "default" must be a string, number or boolean',
      '"config"."MEDIA_F": unknown key "surprise"',
    ]);
  });

  it('refuses a secret with a default and a required variable with a default', () => {
    expect(problems({ MEDIA_KEY: { description: 'k', secret: true, default: 'sk-live-123' } })).toEqual([
      '"config"."MEDIA_KEY" is a secret with a "default": the secret would be in the repository',
    ]);
    expect(problems({ MEDIA_MS: { description: 'ms', required: true, type: 'integer', default: 5 } })).toEqual(['"config"."MEDIA_MS" is required and has a "default", which would never be used']);
    expect(problems({ MEDIA_MS: { description: 'ms', type: 'integer', default: 'soon' } })).toEqual(['"config"."MEDIA_MS": its "default" is not a whole number']);
  });

  it('refuses a 10,000-character name and names that are not variables, printing them bounded and printable', () => {
    const long = 'A'.repeat(10_000);
    const result = parseConfig({ [long]: { description: 'long' }, 'bad name\u001b[2J': { description: 'x' }, '1ST': { description: 'x' }, lower_case: { description: 'x' } }, FILE);
    expect(result.config).toEqual([]);
    expect(result.problems).toHaveLength(4);
    for (const problem of result.problems) {
      expect(problem.message).toContain('not an environment variable name');
      expect(problem.message).not.toContain('\u001b');
    }
    expect(result.problems[0].message.length).toBeLessThan(1_000);
  });

  it('refuses prototype keys as names and ignores inherited properties', () => {
    const value = JSON.parse('{ "__proto__": { "description": "polluted" }, "constructor": { "description": "c" }, "MEDIA_OK": { "description": "ok" } }');
    const result = parseConfig(value, FILE);
    expect(result.config.map((c) => c.name)).toEqual(['MEDIA_OK']);
    expect(result.problems.map((p) => p.message)).toEqual([
      '"config"."__proto__": not an environment variable name (capital letters, digits and _, not starting with a digit, at most 128 characters)',
      '"config"."constructor": not an environment variable name (capital letters, digits and _, not starting with a digit, at most 128 characters)',
    ]);
    expect(({} as Record<string, unknown>).description).toBeUndefined();
    // A spec whose own key is __proto__ is an unknown key, not a prototype.
    expect(problems({ MEDIA_P: JSON.parse('{ "description": "p", "__proto__": { "required": true } }') })).toEqual(['"config"."MEDIA_P": unknown key "__proto__"']);
  });

  it('refuses more than 200 variables', () => {
    const many = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`V_${i}`, { description: 'v' }]));
    expect(problems(many)).toEqual(['"config" declares 201 variables (at most 200)']);
  });

  it('keeps valid variables sorted, with defaults as text', () => {
    expect(parseConfig({ MEDIA_MS: { description: ' ms ', type: 'integer', default: 200 }, MEDIA_ON: { description: 'on', type: 'boolean', default: false } }, FILE)).toEqual({
      config: [
        { name: 'MEDIA_MS', description: 'ms', required: false, secret: false, type: 'integer', default: '200' },
        { name: 'MEDIA_ON', description: 'on', required: false, secret: false, type: 'boolean', default: 'false' },
      ],
      problems: [],
    });
  });
});

describe('parseExternals on hostile values', () => {
  const config = parseConfig({ IMAGE_KEY: { description: 'key', secret: true } }, FILE).config;
  const messages = (value: unknown) => parseExternals(value, FILE, config).problems.map((p) => p.message);

  it('refuses wrong shapes and types, undeclared variables, bad dates and urls', () => {
    expect(messages({})).toEqual(['"externals" must be an array of outside accounts, not an object']);
    expect(
      messages([
        'image-provider',
        { name: 'x'.repeat(10_000) },
        { name: 'p', variables: 'IMAGE_KEY', renews: '2027-02-30', url: 'javascript:alert(1)', owner: 'nobody', extra: 1 },
        { name: 'q', variables: ['OTHER_KEY', '__proto__'] },
      ]),
    ).toEqual([
      '"externals"[0] must be an object, not a string',
      '"externals"[1]: "name" must be a short name (letters, digits, spaces, . _ - / @; at most 100 characters)',
      '"externals"[2]: unknown key "extra"',
      '"externals"[2]: "owner" must be one code owner (@user, @org/team or an email address, one owner per item, no spaces)',
      '"externals"[2]: "variables" must be an array of variable names',
      `"externals"[2]: "renews" must be a date, YYYY-MM-DD (got '2027-02-30')`,
      '"externals"[2]: "url" must be an http(s) URL',
      '"externals"[3]: "variables" names OTHER_KEY, which "config" does not declare',
      '"externals"[3]: "variables" names __proto__, which "config" does not declare',
    ]);
  });

  it('refuses a prototype key as an entry key and a name listed twice', () => {
    expect(messages([JSON.parse('{ "name": "a", "__proto__": { "owner": "@x" } }'), { name: 'b' }, { name: 'b' }])).toEqual([
      '"externals"[0]: unknown key "__proto__"',
      '"externals"[2]: "b" is listed twice',
    ]);
  });
});

describe('parseConfigValue', () => {
  it('never repeats the text in a problem', () => {
    for (const type of ['integer', 'number', 'boolean', 'url'] as const) {
      const result = parseConfigValue({ name: 'K', type }, 'sk-secret-value');
      expect(result.ok).toBe(false);
      expect(JSON.stringify(result)).not.toContain('sk-secret-value');
    }
  });
});
