import type { ExtractedDependency } from '../extract/extracted.js';

const TEST_FILE = /(^|\/)(__tests__|__mocks__)\/|\.(spec|test|e2e-spec|e2e)\.[cm]?[jt]sx?$/;

/** Test files obey the same boundaries, but do not make module-level cycles (nothing ships them). */
export function isTestFile(path: string): boolean {
  return TEST_FILE.test(path);
}

/** How a dependency was written, for messages: "a type-only import", "dynamic import()", ... */
export function describeImport(d: ExtractedDependency): string {
  if (d.exoticRequire) return `${d.exoticRequire}()`;
  if (d.kinds.includes('type-only')) return 'a type-only import';
  if (d.kinds.includes('dynamic-import')) return 'a dynamic import()';
  if (d.kinds.includes('import-equals')) return 'import = require()';
  if (d.kinds.includes('require')) return 'require()';
  if (d.kinds.includes('export')) return 'a re-export (export ... from)';
  if (d.kinds.some((k) => k.startsWith('aliased'))) return 'a path-alias import';
  return 'an import';
}

/** The package importing itself by name (`nest-modulith` in this repository): an npm-package import, never coupling. */
export function isSelfReference(specifier: string, packageName: string | undefined): boolean {
  return packageName !== undefined && (specifier === packageName || specifier.startsWith(`${packageName}/`));
}
