#!/usr/bin/env node
// The `modulith` command. The TypeScript sources are compiled to dist/ by `npm run build`
// (run by `prepare` on `npm ci`, and shipped in the published package).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('modulith: dist/ is missing. Run `npm run build` in the nest-modulith package first.\n');
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
