// After tsc: marks dist/cjs as CommonJS (the package itself is "type": "module") and copies the
// reference app's module.json files next to its compiled modules, as `nest build` does with the
// assets rule `modulith init` writes into a user's nest-cli.json. The app finds its module.json
// files there at boot, from any working directory.
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
writeFileSync(join(root, 'dist/cjs/package.json'), '{ "type": "commonjs" }\n');

for (const modulesRoot of ['modules']) {
  for (const entry of readdirSync(join(root, modulesRoot), { withFileTypes: true })) {
    const manifest = join(root, modulesRoot, entry.name, 'module.json');
    if (!entry.isDirectory() || !existsSync(manifest)) continue;
    const target = join(root, 'dist', modulesRoot, entry.name);
    mkdirSync(target, { recursive: true });
    copyFileSync(manifest, join(target, 'module.json'));
  }
}
