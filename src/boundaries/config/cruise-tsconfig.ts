import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { CheckConfigError } from './check-config-error.js';
import { discoverTsConfig } from './discover-tsconfig.js';

/** The tsconfig as dependency-cruiser must get it for imports to resolve the way TypeScript resolves them. */
export interface CruiseTsConfig {
  /** What dependency-cruiser's resolver (tsconfig-paths) reads baseUrl and `paths` from. */
  fileName: string;
  /** TypeScript's parsed config (a ParsedCommandLine): transpile options, and baseUrl/paths for classifying imports. */
  parsed: unknown;
}

// TypeScript's "no inputs" diagnostics: the check lists its own files, so a config that compiles
// none (a solution-style one, or one whose include matches nothing here) is no error.
const NO_INPUTS = new Set([18002, 18003]);

/**
 * Reads `tsConfig` (project-relative; a solution-style config stands for the app config it
 * references) for dependency-cruiser. Its resolver reads `paths` from the file it is given and
 * resolves them against baseUrl or, without one, against the current directory: wrong for paths
 * inherited through `extends` from a config in another folder (an Nx app's
 * `../../tsconfig.base.json`) and for any run from elsewhere. So when the config has paths or a
 * baseUrl, the resolver gets a small generated config holding them with an absolute baseUrl (in
 * the temp folder, named by its content), which resolves exactly as TypeScript would.
 */
export async function cruiseTsConfig(rootDir: string, tsConfig: string): Promise<CruiseTsConfig> {
  const found = discoverTsConfig(rootDir, tsConfig)!;
  const file = resolve(rootDir, found.compilerConfig);
  const { default: ts } = await import('typescript');
  const invalid = (diagnostic: import('typescript').Diagnostic): CheckConfigError =>
    new CheckConfigError([
      { file: found.compilerConfig, message: `is not a valid tsconfig: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`, fix: 'repair it so that `tsc -p` accepts it' },
    ]);
  const read = ts.readConfigFile(file, ts.sys.readFile);
  if (read.error) throw invalid(read.error);
  // A host that lists no files: only the options matter, and walking every `include` costs seconds in a big repository.
  const host: import('typescript').ParseConfigHost = { ...ts.sys, useCaseSensitiveFileNames: ts.sys.useCaseSensitiveFileNames, readDirectory: () => [] };
  const parsed = ts.parseJsonConfigFileContent(read.config, host, dirname(file), undefined, file);
  const fatal = parsed.errors.find((d) => d.category === ts.DiagnosticCategory.Error && !NO_INPUTS.has(d.code));
  if (fatal) throw invalid(fatal);
  parsed.errors = [];

  const { compiler } = found;
  const base = compiler.baseUrl ?? compiler.pathsBase;
  if (base === undefined) return { fileName: file, parsed };
  parsed.options.baseUrl = base;
  if (compiler.paths) parsed.options.paths = compiler.paths;
  return { fileName: writeResolverConfig({ compilerOptions: { baseUrl: base, paths: compiler.paths ?? {} } }), parsed };
}

/**
 * Writes the generated resolver config, once per content, into a temp folder of this user (another
 * user's folder would not be writable; a file that is there with other content is not trusted).
 * Where that fails, into a fresh private temp folder.
 */
function writeResolverConfig(config: object): string {
  const text = `${JSON.stringify(config, null, 2)}\n`;
  const name = `${createHash('sha256').update(text).digest('hex').slice(0, 20)}.json`;
  const user = process.getuid?.() ?? userInfo().username;
  const shared = join(tmpdir(), `nest-modulith-${user}`, name);
  try {
    if (existsSync(shared) && readFileSync(shared, 'utf8') === text) return shared;
    mkdirSync(dirname(shared), { recursive: true, mode: 0o700 });
    const temporary = `${shared}.${process.pid}.tmp`;
    writeFileSync(temporary, text);
    renameSync(temporary, shared); // atomic: a concurrent check reads the whole file or none
    return shared;
  } catch {
    const own = join(mkdtempSync(join(tmpdir(), 'nest-modulith-')), name);
    writeFileSync(own, text);
    return own;
  }
}
