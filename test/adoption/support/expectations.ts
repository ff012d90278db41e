import { expect } from '@jest/globals';
import type { AdoptionApp } from './adoption-app.js';
import { describeResult } from './commands.js';

/** Packages nest-modulith takes from the app (peers): installing it must not add a copy of any. */
export const PEERS = ['@nestjs/core', '@nestjs/common', 'reflect-metadata', 'rxjs'];

/**
 * Optional peers: what only some features need (nest-modulith/events: TypeORM and a driver;
 * extraction: microservices and NATS). An app that installs none of them gets none of them.
 */
export const OPTIONAL_PEERS = ['typeorm', '@nestjs/typeorm', '@nestjs/microservices', '@nats-io/transport-node', '@nats-io/jetstream', 'pg', 'better-sqlite3'];

/** What the app held before `npm i nest-modulith`: its lockfile and where its peers' copies are. */
export interface BeforeInstall {
  lock: Record<string, any>;
  copies: Record<string, Array<{ path: string; version: string }>>;
}

export function beforeInstall(app: AdoptionApp): BeforeInstall {
  return { lock: app.readJson('package-lock.json'), copies: Object.fromEntries(PEERS.map((name) => [name, app.installedCopies(name)])) };
}

/**
 * After `npm i nest-modulith`: exactly one copy on disk of @nestjs/core and @nestjs/common (the
 * app's), and no new copy of any peer (the app's own tooling may hold older rxjs copies of its
 * own: @nestjs/schematics does); `npm ls` clean (no invalid or missing peer) with every use of
 * @nestjs/core deduped to the app's copy; no optional peer installed; nothing of the app's
 * lockfile re-resolved or removed.
 */
export async function expectPeersShared(app: AdoptionApp, before: BeforeInstall): Promise<void> {
  const locked = (name: string) => before.lock.packages[`node_modules/${name}`]?.version as string;
  const copies = Object.fromEntries(PEERS.map((name) => [name, app.installedCopies(name)]));
  const ls = await app.npm(['ls', '@nestjs/core', '@nestjs/common', '--all']);
  const diagnostic = `${describeResult(ls, 'printed')}\ncopies on disk: ${JSON.stringify(copies, null, 2)}`;

  // The copies the app had, no more: one @nestjs/core and one @nestjs/common.
  expect({ copies, diagnostic }).toEqual({ copies: before.copies, diagnostic });
  for (const name of ['@nestjs/core', '@nestjs/common']) {
    expect(copies[name]).toEqual([{ path: `node_modules/${name}`, version: locked(name) }]);
  }
  // npm agrees: every @nestjs/core in the tree (nest-modulith's peer included) is that copy,
  // deduped, and no peer is invalid or missing.
  const core = `@nestjs/core@${locked('@nestjs/core')}`;
  const underModulith = subtree(ls.stdout, 'nest-modulith@');
  expect({
    code: ls.code,
    versions: [...new Set([...ls.stdout.matchAll(/@nestjs\/core@(\S+)/g)].map((m) => m[1]))],
    modulithUses: [...new Set(underModulith.filter((line) => line.includes('@nestjs/core@')).map((line) => line.replace(/^[\s│├└─┬]+/, '')))],
    diagnostic,
  }).toEqual({
    code: 0,
    versions: [locked('@nestjs/core')],
    modulithUses: [`${core} deduped`],
    diagnostic,
  });

  // Optional peers stay out of an app that does not install them.
  expect(OPTIONAL_PEERS.flatMap((name) => app.installedCopies(name))).toEqual([]);

  // Installing nest-modulith re-resolved nothing the app had: same versions for every package it locked.
  const lockAfter = app.readJson('package-lock.json');
  const changed = Object.entries(before.lock.packages as Record<string, { version?: string }>)
    .filter(([path]) => path !== '')
    .map(([path, entry]) => ({ path, before: entry.version, after: (lockAfter.packages[path] as { version?: string } | undefined)?.version }))
    .filter((c) => c.before !== c.after);
  expect(changed).toEqual([]);
  expect(lockAfter.packages['node_modules/nest-modulith']).toBeDefined();
}

/** nest-modulith's module.json files of the app, copied by `nest build` next to the compiled modules. */
export function builtManifests(app: AdoptionApp): string[] {
  return app.files('dist').filter((f) => f.endsWith('/module.json'));
}

/** The lines of `npm ls` below the first line holding `marker`, as far as they are indented deeper. */
function subtree(tree: string, marker: string): string[] {
  const lines = tree.split('\n');
  const start = lines.findIndex((line) => line.includes(marker));
  if (start < 0) return [];
  const depth = (line: string) => line.search(/[^\s│├└─┬]/);
  const out: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (depth(line) <= depth(lines[start])) break;
    out.push(line);
  }
  return out;
}
