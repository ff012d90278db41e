// @modulith-covers extraction, cli
import { beforeAll, describe, expect, it } from '@jest/globals';
import { main } from '../../src/cli/index.js';
import type { ExtractionReport } from '../../src/extraction/index.js';

/**
 * The reference app's media module, as `modulith extract media --format json --no-write` sees it
 * in this repository: what the extraction of the module we built for it would carry over the
 * broker, and that nothing blocks it.
 */
describe('modulith extract media (this repository)', () => {
  let report: ExtractionReport;
  let code: number;
  let stderr = '';

  beforeAll(async () => {
    let stdout = '';
    code = await main(['extract', 'media', '--format', 'json', '--no-write', '--no-cache'], {
      cwd: process.cwd(),
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      stderrIsTTY: false,
    });
    report = JSON.parse(stdout) as ExtractionReport;
  });

  it('is ready: exit 0, no blockers', () => {
    expect(stderr).toBe('');
    expect(report.findings.filter((f) => f.severity === 'blocker')).toEqual([]);
    expect(code).toBe(0);
  });

  it('serves MediaFacade.getJob, async and wire-safe, listed by @Facade', () => {
    expect(report.facades.map((f) => ({ name: f.name, file: f.file, declared: f.declaredMethods, methods: f.methods.map((m) => [m.name, m.async, m.issues]) }))).toEqual([
      { name: 'MediaFacade', file: 'modules/media/media.facade.ts', declared: ['getJob'], methods: [['getJob', true, []]] },
    ]);
  });

  it("calls billing's facade remotely (charge; refunds go through media.job.failed) and owns the media_jobs table alone", () => {
    expect(report.remoteCalls.map((c) => `${c.caller} -> ${c.module}.${c.facade}: ${c.methods.join(', ')}`)).toEqual(['media -> billing.BillingFacade: charge']);
    expect(report.tables.map((t) => ({ table: t.table, entity: t.entity, sharedWith: t.sharedWith }))).toEqual([{ table: 'media_jobs', entity: 'MediaJob', sharedWith: [] }]);
    expect(report.foreignTables).toEqual([]);
  });

  it('publishes media.job.completed and media.job.failed (declared in media-events) to billing and notifications', () => {
    expect(report.events.publishes.map((e) => ({ name: e.name, version: e.version, declaredIn: e.declaredIn, consumers: e.consumers.map((c) => c.module).sort() }))).toEqual([
      { name: 'media.job.completed', version: 1, declaredIn: 'media-events', consumers: ['notifications'] },
      { name: 'media.job.failed', version: 1, declaredIn: 'media-events', consumers: ['billing', 'notifications'] },
    ]);
    expect(report.events.consumes).toEqual([]);
  });

  it('uses only what it declares (billing) and shared modules', () => {
    expect(report.dependencies).toMatchObject({ declared: ['billing'], undeclared: [], violations: [] });
    expect(report.dependencies.used).toContain('billing');
    expect(report.dependencies.shared).toEqual(expect.arrayContaining(['media-events']));
  });
});
