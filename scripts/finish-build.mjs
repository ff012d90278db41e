// After tsc: marks dist/cjs as CommonJS (the package itself is "type": "module") and copies the
// reference app's module.json and module.api.md files next to its compiled modules, as `nest build`
// does with the assets rules `modulith init` writes into a user's nest-cli.json. The app finds
// them there at boot, from any working directory.
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
    // The module's contract travels with it: the runtime compares it with the contract of a remote
    // process built from another version (contract skew).
    const contract = join(root, modulesRoot, entry.name, 'module.api.md');
    if (existsSync(contract)) copyFileSync(contract, join(target, 'module.api.md'));
  }
}
