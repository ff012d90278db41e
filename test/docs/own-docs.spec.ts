// @modulith-covers docs
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runCli } from '../cli/support/run-cli.js';

const ROOT = resolve(import.meta.dirname, '../..');

describe('this repository', () => {
  it('has fresh module docs in docs/modules (else: npm run build && node bin/modulith.js docs, and commit them)', async () => {
    const run = await runCli(['docs', '--check'], ROOT);
    expect(run.stdout).toMatch(/^modulith docs --check: \d+ files in docs\/modules up to date\n$/);
    expect(run.code).toBe(0);
  }, 180_000);

  it("shows the reference app's current module graph in README.md (else: paste modulith graph --focus ... between its markers)", async () => {
    const run = await runCli(['graph', '--focus', 'kernel,media-events,billing,accounts,notifications,media'], ROOT);
    expect(run.code).toBe(0);
    const readme = readFileSync(resolve(ROOT, 'README.md'), 'utf8');
    const shown = /<!-- modulith graph \(reference app\) -->\n```mermaid\n([\s\S]*?)```\n<!-- \/modulith graph -->/.exec(readme)?.[1];
    expect(shown).toBe(run.stdout);
  }, 180_000);

  it("draws media's job events from media, the module publishing them, not from media-events, the shared module declaring them", async () => {
    const run = await runCli(['graph', '--format', 'json', '--focus', 'media'], ROOT);
    expect(run.code).toBe(0);
    const graph = JSON.parse(run.stdout) as { edges: Array<{ id: string; events: string[] }> };
    const events = graph.edges.filter((e) => e.id.startsWith('event:')).map((e) => `${e.id} ${e.events.join(',')}`);
    expect(events).toEqual(['event:media->billing media.job.failed@1', 'event:media->notifications media.job.completed@1,media.job.failed@1']);
  }, 180_000);
});
