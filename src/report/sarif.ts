import { pathToFileURL } from 'node:url';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import { describeStale, STALE_RULE, type ReportInput } from './report-input.js';

const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/**
 * SARIF 2.1.0, for GitHub code scanning and IDE viewers. Paths stay project-relative under the
 * %SRCROOT% base; each result carries a line-independent fingerprint so code scanning tracks it
 * across commits the way the baseline does.
 */
export function sarifReport(input: ReportInput): string {
  const rules = [...input.rules, ...(input.stale.length ? [STALE_RULE] : [])];
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const descriptors: ReportingDescriptor[] = rules.map((r) => ({
    id: r.id,
    shortDescription: { text: r.summary },
    fullDescription: { text: r.why },
    defaultConfiguration: { level: r.severity === 'error' ? 'error' : 'warning' },
  }));

  const results: Result[] = input.violations.map((v) => ({
    ruleId: v.rule,
    ...(index.has(v.rule) ? { ruleIndex: index.get(v.rule) } : {}),
    level: v.severity === 'error' ? 'error' : 'warning',
    message: { text: `${v.message}. Fix: ${v.fix}` },
    locations: [location(v.from, v.line)],
    partialFingerprints: { modulithKey: v.cycle ? `${v.rule}|${v.cycle.join('>')}` : `${v.rule}|${v.from}|${v.to}` },
    ...(v.changes ? { properties: { changes: v.changes } } : {}),
  }));
  for (const entry of input.stale) {
    results.push({
      ruleId: STALE_RULE.id,
      ruleIndex: index.get(STALE_RULE.id),
      level: 'error',
      message: { text: describeStale(entry) },
      locations: [location(input.baselineFile ?? 'modulith-baseline.json', undefined)],
    });
  }

  const log: Log = {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'nest-modulith', informationUri: 'https://www.npmjs.com/package/nest-modulith', rules: descriptors } },
        ...(input.rootDir ? { originalUriBaseIds: { '%SRCROOT%': { uri: `${pathToFileURL(input.rootDir).href.replace(/\/?$/, '/')}` } } } : {}),
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function location(path: string, line: number | undefined): NonNullable<Result['locations']>[number] {
  return {
    physicalLocation: {
      artifactLocation: { uri: path.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' },
      ...(line ? { region: { startLine: line } } : {}),
    },
  };
}
