// The files `nest new` writes, as the adoption suite's fixtures keep them (test/fixtures/adoption,
// captured from the real generators; see its README for what was trimmed):
// - NEST_11_APP: `@nestjs/cli@11 new` — CommonJS (`module: nodenext` and no "type" in
//   package.json), Jest with ts-jest;
// - NEST_12_APP: `@nestjs/cli@12 new` — ESM ("type": "module", `.js` imports), strict, Vitest.
// What `modulith init`, `new` and `check` meet on a fresh app. The lock file is left out: these
// tests never install.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const FIXTURES = join(process.cwd(), 'test/fixtures/adoption');

function generatedApp(folder: string): Record<string, string> {
  const root = join(FIXTURES, folder);
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name !== 'package-lock.json') files[relative(root, path).split(sep).join('/')] = readFileSync(path, 'utf8');
    }
  };
  walk(root);
  return files;
}

export const NEST_11_APP = generatedApp('nest11');
export const NEST_12_APP = generatedApp('nest12');
