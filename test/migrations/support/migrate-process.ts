// A separate process running the reference app's migrations on the SQLite file given as argv[2]
// and printing what it did as JSON: two of these at once are two instances booting together
// (better-sqlite3 is synchronous, so two connections in one process would block each other).
import 'reflect-metadata';
import { fileURLToPath } from 'node:url';
import { DataSource } from 'typeorm';
import { loadApplicationModules } from '../../../src/core/index.js';
import { eventsMigrations, findModuleMigrations, runModuleMigrations } from '../../../src/migrations/index.js';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const plan = await findModuleMigrations(loadApplicationModules(REPO, { roots: ['modules'] }), { framework: [eventsMigrations()] });
const dataSource = await new DataSource({ type: 'better-sqlite3', database: process.argv[2]!, enableWAL: true, timeout: 20_000 }).initialize();
const outcomes = await runModuleMigrations(dataSource, plan);
await dataSource.destroy();
process.stdout.write(JSON.stringify(outcomes));
