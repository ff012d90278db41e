// Node module hooks that run this repository's TypeScript sources directly in a child process
// (`node --import ./test/support/register-ts.mjs file.ts`), with the same SWC settings as Jest:
// decorator metadata for Nest's DI, `.js` specifiers resolved to `.ts` sources, and the
// `nest-modulith` self-references mapped to src/. Used by tests that kill and restart
// real app processes; production runs the tsc build instead.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import swc from '@swc/core';
import { swcOptions } from '../../swc.config.js';

const root = new URL('../../', import.meta.url);
const packageEntries = {
  'nest-modulith': new URL('src/index.ts', root).href,
  'nest-modulith/events': new URL('src/events-entry.ts', root).href,
};

export async function resolve(specifier, context, next) {
  if (Object.hasOwn(packageEntries, specifier)) return { url: packageEntries[specifier], shortCircuit: true };
  if ((specifier.startsWith('.') || specifier.startsWith('file:')) && specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
    const candidate = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
    if (existsSync(fileURLToPath(candidate))) return { url: candidate.href, shortCircuit: true };
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.endsWith('.ts') || !url.startsWith('file:')) return next(url, context);
  const filename = fileURLToPath(url);
  const source = await readFile(filename, 'utf8');
  const { code } = await swc.transform(source, { ...swcOptions, filename });
  return { format: 'module', source: code, shortCircuit: true };
}

export { pathToFileURL };
