import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCheck, type BoundaryViolation, type CheckOptions, type CheckResult } from '../../../src/boundaries/index.js';

const created: string[] = [];

/**
 * Writes a small project into a fresh temp folder and returns its path. A package.json is added
 * unless given. Paths are project-relative with `/`.
 */
export function writeProject(files: Record<string, string>): string {
  const rootDir = mkdtempSync(join(tmpdir(), 'modulith-check-'));
  created.push(rootDir);
  const all = { 'package.json': JSON.stringify({ name: 'fixture-app', private: true }), ...files };
  for (const [path, text] of Object.entries(all)) writeFile(rootDir, path, text);
  return rootDir;
}

export function writeFile(rootDir: string, path: string, text: string): void {
  const file = join(rootDir, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

export function removeProjects(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A module.json text. */
export function manifest(name: string, dependsOn: string[] = [], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ name, dependsOn, ...extra });
}

/** A tsconfig like a NestJS project's, with optional path aliases. */
export function tsconfig(extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true }, ...extra });
}

/** Runs the check without the cache (unless asked) and without a baseline (unless asked). */
export function check(rootDir: string, options: CheckOptions = {}): Promise<CheckResult> {
  return runCheck({ rootDir, cache: false, baseline: false, ...options });
}

/** The comparable part of violations: rule, from, to. */
export function brief(violations: readonly BoundaryViolation[]): { rule: string; from: string; to: string }[] {
  return violations.map(({ rule, from, to }) => ({ rule, from, to }));
}
