/** What a changed file outside every module is: documentation (affects nothing), a test or test helper (affects no module), or app-shell code and configuration (affects every module). */
export type ShellKind = 'docs' | 'test' | 'code';

const DOCS = /\.(md|mdx|markdown|txt|rst|adoc|png|jpe?g|gif|svg|webp|ico|bmp|avif|pdf)$/i;
const DOC_FILES = /(^|\/)(LICEN[CS]E|NOTICE|AUTHORS|CODEOWNERS|CHANGELOG)(\.[^/]*)?$/i;
const DOC_FOLDERS = /^(docs?|documentation)\//i;
/** The test files `modulith test` knows: *.spec.* and *.test.* in TypeScript or JavaScript. */
export const TEST_FILE = /\.(spec|test)\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
/** Folders outside modules that hold tests and their helpers. */
const TEST_FOLDERS = /(^|\/)(test|tests|__tests__|e2e|spec)\//;

/**
 * Classifies a changed file that belongs to no module. Docs: Markdown and text, images, docs/,
 * LICENSE/CODEOWNERS/CHANGELOG. Test: a test file, or any file under a test/, tests/,
 * __tests__/, e2e/ or spec/ folder (helpers, fixtures). Everything else (app/*.ts, package.json,
 * tsconfig*.json, jest/vitest config, .env files, lock files...) is code or configuration.
 */
export function shellKind(path: string): ShellKind {
  if (TEST_FILE.test(path) || TEST_FOLDERS.test(path)) return 'test';
  if (DOC_FOLDERS.test(path) || DOCS.test(path) || DOC_FILES.test(path)) return 'docs';
  return 'code';
}
