import { afterAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { MOCK_FUNCTIONS } from '../config/mock-functions.js';
import { cruiseFiles } from './cruise-files.js';
import type { ExtractedDependency } from './extracted.js';
import { rawDependencies, reuseResolved, type RawOptions } from './raw-dependencies.js';

const projects: string[] = [];
afterAll(() => {
  for (const dir of projects) rmSync(dir, { recursive: true, force: true });
});

function writeProject(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'modulith-raw-'));
  projects.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

// A changed file whose raw imports did not change keeps its resolved dependencies without
// dependency-cruiser (raw-dependencies.ts). That is only sound if the raw
// list is exactly dependency-cruiser's: these tests hold the copy to dependency-cruiser's own
// extractor on this repository's files and on seeded random mutations of them (broken syntax
// included), and hold the reuse to a real re-extraction.

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const DC = join(REPO, 'node_modules/dependency-cruiser/src');
type DcDependency = Record<string, unknown> & { module: string; moduleSystem: string; dependencyTypes?: string[] };

async function dependencyCruiser(): Promise<(text: string, file: string, options: RawOptions) => unknown[]> {
  const { default: extractTypeScriptDeps } = (await import(pathToFileURL(join(DC, 'extract/tsc/extract-typescript-deps.mjs')).href)) as {
    default: (ast: ts.SourceFile, exotic: readonly string[], jsDoc: boolean, builtins: boolean) => DcDependency[];
  };
  const { extractModuleAttributes } = (await import(pathToFileURL(join(DC, 'extract/helpers.mjs')).href)) as { extractModuleAttributes: (m: string) => Record<string, string> };
  const { uniqBy } = (await import(pathToFileURL(join(DC, 'utl/array-util.mjs')).href)) as { uniqBy: <T>(a: T[], key: (t: T) => string) => T[] };
  // extract-dependencies.mjs around the extractor: moduleSystems filter, module attributes, de-duplication.
  return (text, file, options) => {
    const ast = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
    const found = extractTypeScriptDeps(ast, options.exoticRequireStrings, options.detectJSDocImports, options.detectProcessBuiltinModuleCalls)
      .filter((d) => options.moduleSystems.includes(d.moduleSystem))
      .map((d): Record<string, unknown> => ({ dynamic: false, ...d, ...extractModuleAttributes(d.module) }));
    return uniqBy(found, (d) => `${d.module} ${d.moduleSystem} ${((d.dependencyTypes as string[] | undefined) ?? []).includes('type-only')}`).map(({ protocol, mimeType, ...rest }) => {
      void protocol;
      void mimeType;
      return rest;
    });
  };
}

/** Seeded, so that a failure reproduces: `mutate(text, random)` with the same seed gives the same text. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const SNIPPETS = [
  "require('./a')", "import x from './b';", "import type { T } from './t';", "export * from './c';", "export { a } from './d';",
  "jest.mock('../e')", "vi.mock('./v', () => ({}))", 'import', 'export', 'type', ' as ', '{', '}', '(', ')', "'", '"', '`', '/', '/*', '*/', '//', '\n',
  "import { type A, B } from './m';", "export type { A } from './n';", "import x = require('./q');", 'new ', '.', '?.', "from './z'", ';',
  'if (a)\n', 'const r = /a\\/b/g;', 'x = a / b / c;', '${', '<T>', '@Dec()\n', "import('./dyn')", "let t: import('./ty').T;",
  '/// <reference path="./r.ts" />\n', "/** @type {import('./jd').X} */\n", "/** @import { Y } from './jt' */\n",
  "process.getBuiltinModule('node:fs')", "import fs from 'node:fs';", 'require(`./tpl`)', "export * as ns from './ns';", "import {} from './empty';",
];

function mutate(text: string, next: () => number): string {
  let out = text;
  const edits = 1 + Math.floor(next() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(next() * (out.length + 1));
    const r = next();
    if (r < 0.5) out = out.slice(0, at) + SNIPPETS[Math.floor(next() * SNIPPETS.length)] + out.slice(at);
    else if (r < 0.75) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(next() * 20));
    else {
      const lines = out.split('\n');
      const a = Math.floor(next() * lines.length);
      const b = Math.floor(next() * lines.length);
      [lines[a], lines[b]] = [lines[b], lines[a]];
      out = lines.join('\n');
    }
  }
  return out;
}

const sources = execFileSync('git', ['ls-files', '*.ts', '*.mjs', '*.js'], { cwd: REPO, encoding: 'utf8' })
  .trim()
  .split('\n')
  .filter((f) => !f.endsWith('.d.ts') && !f.startsWith('test/fixtures/'))
  .map((f) => ({ file: join(REPO, f), text: readFileSync(join(REPO, f), 'utf8') }));

const OPTIONS: RawOptions[] = [
  { exoticRequireStrings: MOCK_FUNCTIONS, moduleSystems: ['es6', 'cjs', 'tsd', 'amd'], detectJSDocImports: false, detectProcessBuiltinModuleCalls: false },
  { exoticRequireStrings: [...MOCK_FUNCTIONS, 'want'], moduleSystems: ['es6', 'cjs'], detectJSDocImports: true, detectProcessBuiltinModuleCalls: true },
];

describe('raw dependencies: the same as dependency-cruiser 17 extracts', () => {
  it('on every TypeScript and JavaScript file of this repository', async () => {
    const expected = await dependencyCruiser();
    expect(sources.length).toBeGreaterThan(300);
    for (const options of OPTIONS) {
      for (const { file, text } of sources) expect([file, rawDependencies(ts, file, text, options)]).toEqual([file, expected(text, file, options)]);
    }
  });

  it('on 3,000 seeded random mutations of them (broken syntax included)', async () => {
    const expected = await dependencyCruiser();
    const next = random(20261201);
    let compared = 0;
    for (let i = 0; i < 3000; i++) {
      const { file, text } = sources[Math.floor(next() * sources.length)];
      const mutated = mutate(text, next);
      const options = OPTIONS[i % OPTIONS.length];
      let want: unknown[];
      try {
        want = expected(mutated, file, options);
      } catch {
        continue; // TypeScript's parser itself gives up on some texts; dependency-cruiser then fails too
      }
      expect({ seed: i, file, raw: rawDependencies(ts, file, mutated, options) }).toEqual({ seed: i, file, raw: want });
      compared++;
    }
    expect(compared).toBeGreaterThan(2500);
  });
});

describe('reusing resolved dependencies of an edited file', () => {
  it('gives what dependency-cruiser gives, whenever the raw imports did not change (200 seeded edits of a real module)', async () => {
    // A copy of this repository's modules/ and src/ files would resolve against their own folders:
    // take files with relative imports and edit them in place, in a project of their own.
    const files: Record<string, string> = { 'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } }) };
    const picked = sources.filter((s) => s.file.includes('/src/boundaries/') && s.file.endsWith('.ts')).slice(0, 40);
    for (const { file, text } of picked) files[file.slice(REPO.length)] = text;
    const root = writeProject(files);
    const paths = picked.map((s) => s.file.slice(REPO.length));
    const input = { rootDir: root, cruiseOptions: { exoticRequireStrings: MOCK_FUNCTIONS, tsPreCompilationDeps: true }, tsConfig: 'tsconfig.json', extraRules: undefined, configFile: 'x' };
    const before = (await cruiseFiles(paths, input)).dependencies;
    const next = random(7);
    let reused = 0;
    let changed = 0;
    for (let i = 0; i < 200; i++) {
      const path = paths[Math.floor(next() * paths.length)];
      const original = files[path];
      // Mostly edits that leave the imports alone, some that do not.
      const edited =
        next() < 0.6
          ? `${original}\nexport function edit${i}(x: number): number { return x + ${i}; }\n`
          : mutate(original, next);
      writeFileSync(join(root, path), edited);
      try {
        let raw;
        try {
          raw = rawDependencies(ts, join(root, path), edited, { exoticRequireStrings: MOCK_FUNCTIONS, moduleSystems: ['es6', 'cjs', 'tsd', 'amd'], detectJSDocImports: false, detectProcessBuiltinModuleCalls: false });
        } catch {
          // The parser gives up on this text (or it names no module): the check asks dependency-cruiser, which fails on it too.
          await expect(cruiseFiles([path], input)).rejects.toThrow();
          continue;
        }
        const kept = reuseResolved(raw, before.get(path)! as ExtractedDependency[]);
        if (kept) {
          const actual = (await cruiseFiles([path], input)).dependencies.get(path);
          expect({ i, path, dependencies: kept }).toEqual({ i, path, dependencies: actual });
          reused++;
        } else {
          changed++;
        }
      } finally {
        writeFileSync(join(root, path), original);
      }
    }
    expect(reused).toBeGreaterThan(100);
    expect(changed).toBeGreaterThan(10);
  }, 120_000);
});
