// Reporters: public API of the `report` module. Each is a pure function from a result to text.
import { githubReport } from './github.js';
import { jsonReport } from './json.js';
import { prettyReport } from './pretty.js';
import type { Reporter } from './report-input.js';
import { sarifReport } from './sarif.js';

export type { Reporter, ReportInput, RuleInfo, StaleEntry } from './report-input.js';
export { prettyReport, jsonReport, githubReport, sarifReport };

/** The formats `modulith check --format` accepts, by name. Add a reporter here to add a format. */
export const REPORTERS: Readonly<Record<string, Reporter>> = {
  pretty: prettyReport,
  json: jsonReport,
  github: githubReport,
  sarif: sarifReport,
};

export function getReporter(format: string): Reporter | undefined {
  return Object.hasOwn(REPORTERS, format) ? REPORTERS[format] : undefined;
}
