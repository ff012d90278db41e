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
  if (isBaseUrlImport(d)) return 'a baseUrl import';
  if (d.kinds.some((k) => k.startsWith('aliased'))) return 'a path-alias import';
  return 'an import';
}

/**
 * Resolved through baseUrl (`src/team/team.service` with "baseUrl": "./"). dependency-cruiser says
 * so only for files without a dot in their name; a NestJS `team.service` it calls undetermined
 * (resolved, not relative, not an alias, not in node_modules: baseUrl is what is left).
 */
export function isBaseUrlImport(d: Pick<ExtractedDependency, 'kinds' | 'couldNotResolve'>): boolean {
  return !d.couldNotResolve && (d.kinds.includes('aliased-tsconfig-base-url') || d.kinds.includes('undetermined'));
}

/** The package importing itself by name (`nest-modulith` in this repository). Unresolved, it is an npm matter; resolved, it is judged like any import. */
export function isSelfReference(specifier: string, packageName: string | undefined): boolean {
  return packageName !== undefined && (specifier === packageName || specifier.startsWith(`${packageName}/`));
}

/**
 * How a file writes its own relative imports: true with `.js` extensions (ESM under NodeNext),
 * false without, undefined when it has none to tell (then the project's majority decides).
 */
export function writesJsExtensions(dependencies: readonly Pick<ExtractedDependency, 'specifier'>[]): boolean | undefined {
  const relative = dependencies.map((d) => d.specifier).filter((s) => s.startsWith('./') || s.startsWith('../'));
  if (relative.some((s) => /\.[cm]?js$/.test(s))) return true;
  // `./users.service` is extensionless too: only a real file extension counts.
  if (relative.some((s) => !/\.([cm]?[jt]sx?|json|node|css|scss|html|svg|graphql|gql|txt|md)$/i.test(s))) return false;
  return undefined;
}
