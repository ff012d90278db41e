import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type ts from 'typescript';
import type { CheckPlugin, RuleDescription } from '../boundaries/index.js';
import { compareByLocation, readJsonCache, writeCacheFile, type ApplicationModule, type ApplicationModules, type Violation } from '../core/index.js';
import type { CodeBase, EntityClass } from '../extraction/index.js';

/** The rule data ownership adds to the check. */
export const FOREIGN_TABLE_RULES: RuleDescription[] = [
  {
    id: 'foreign-table',
    severity: 'error',
    summary: "a module names another module's table (SQL, query builder) or uses its TypeORM entity for data access",
    why: 'a module owns its data: others read and change it through its facade, so it can change its schema (or move to its own database) without breaking them',
  },
];

/** Bump when the record's shape or the analysis' meaning changes. */
const VERSION = 1;
const CACHE_FILE = 'foreign-table.json';
/** Files that may declare (or re-export what declares) an entity: only these decide who owns which table. */
const ENTITY_HINT = /entity|typeorm/i;
const SOURCE_FILE = /\.(ts|tsx|mts|cts)$/;
const DECLARATION_FILE = /\.d\.(ts|mts|cts)$/;

/** Generic types whose type argument is the entity a repository reads and writes. */
const REPOSITORY_TYPES = new Set(['Repository', 'TreeRepository', 'MongoRepository', 'EntityRepository']);
/** Calls whose (first) argument is the entity they read or write: Nest, DataSource, EntityManager, query builder. */
const DATA_CALLS = new Set([
  'forFeature',
  'InjectRepository',
  'getRepository',
  'getTreeRepository',
  'getMongoRepository',
  'withRepository',
  'createQueryBuilder',
  'from',
  'into',
  'update',
  'delete',
  'innerJoin',
  'leftJoin',
  'innerJoinAndSelect',
  'leftJoinAndSelect',
  'innerJoinAndMapOne',
  'leftJoinAndMapOne',
  'innerJoinAndMapMany',
  'leftJoinAndMapMany',
  'find',
  'findBy',
  'findOne',
  'findOneBy',
  'findOneOrFail',
  'findOneByOrFail',
  'findAndCount',
  'findAndCountBy',
  'count',
  'countBy',
  'exists',
  'existsBy',
  'sum',
  'average',
  'minimum',
  'maximum',
  'save',
  'insert',
  'upsert',
  'remove',
  'softDelete',
  'softRemove',
  'restore',
  'recover',
  'increment',
  'decrement',
  'clear',
  'create',
  'merge',
  'preload',
]);

/**
 * What the analysis found, per module, and the fingerprints of the files it read: kept on disk
 * so a check where no module file changed returns it without reading a file or loading
 * TypeScript; a change re-analyses only the modules whose files changed (all of them when a file
 * that may declare an entity changed, since that can move a table to another owner).
 */
interface ForeignTableIndex {
  version: number;
  /** The module model and the tsconfig option: any change re-analyses everything. */
  key: string;
  /** Every module source file read (project-relative) and its content hash. */
  files: Record<string, string>;
  /** The files that may declare an entity (see ENTITY_HINT). */
  entityFiles: string[];
  modules: Record<string, Violation[]>;
}

type Context = Parameters<CheckPlugin['run']>[1];

/**
 * Data ownership as a check plugin (rule foreign-table): a module's code that names another
 * module's tables in SQL strings or query-builder calls, or uses another module's TypeORM entity
 * class for data access (forFeature, Repository<X>, @InjectRepository(X), getRepository(X),
 * createQueryBuilder(X), manager.find(X), ...). Shared modules' tables are everyone's; the app
 * shell is not checked. A module's tests are checked like its code: a spec that sets up another
 * module's rows couples to its schema just as a deep import would, and every other rule reports
 * test files too. The entities and table names come from the extraction analysis
 * (findEntities, sqlMentions), which `modulith extract` reports as warnings.
 *
 * `onAnalyzed` is told which modules a run re-analysed (none when the cache answered) and whether
 * it loaded TypeScript for that.
 */
export function foreignTablePlugin(options: { cache?: boolean; onAnalyzed?: (run: { modules: string[]; typescript: boolean }) => void } = {}): CheckPlugin {
  let memory: { rootDir: string; index: ForeignTableIndex } | undefined;
  const run = async (model: ApplicationModules, context: Context): Promise<Violation[]> => {
    const cacheFile = options.cache !== false && context.cacheDir ? join(context.cacheDir, CACHE_FILE) : undefined;
    const key = modelKey(model, context.tsConfig);
    const filesByModule = new Map<string, string[]>(model.modules.map((m) => [m.name, []]));
    const hashes: Record<string, string> = {};
    for (const file of context.files) {
      if (!SOURCE_FILE.test(file.path) || DECLARATION_FILE.test(file.path)) continue;
      const module = model.moduleOf(file.path);
      if (!module) continue; // the app shell: not this rule's business
      filesByModule.get(module.name)!.push(file.path);
      hashes[file.path] = file.hash;
    }

    let index =
      memory?.rootDir === context.rootDir
        ? memory.index
        : cacheFile
          ? readJsonCache<ForeignTableIndex>(cacheFile, (i) => typeof i.modules === 'object' && typeof i.files === 'object' && Array.isArray(i.entityFiles))
          : undefined;
    if (index && (index.version !== VERSION || index.key !== key)) index = undefined;
    const changed = index ? changedFiles(index.files, hashes) : Object.keys(hashes);
    if (index && changed.length === 0) {
      options.onAnalyzed?.({ modules: [], typescript: false });
      memory = { rootDir: context.rootDir, index };
      return collect(index);
    }

    const texts = new Map<string, string>();
    const text = (path: string): string => {
      let content = texts.get(path);
      if (content === undefined) {
        try {
          content = readFileSync(resolve(context.rootDir, path), 'utf8');
        } catch {
          content = '';
        }
        texts.set(path, content);
      }
      return content;
    };
    // Which files may declare an entity: the unchanged ones are known from the last run.
    const before = new Set(index?.entityFiles ?? []);
    const entityFiles = Object.keys(hashes).filter((path) => (index && !changed.includes(path) ? before.has(path) : ENTITY_HINT.test(text(path))));
    const entryFiles = new Set(model.modules.map((m) => m.entry).filter((e): e is string => e !== undefined));
    const everything = !index || changed.some((path) => before.has(path) || entityFiles.includes(path) || entryFiles.has(path));
    const dirty = everything ? model.modules : model.modules.filter((m) => filesByModule.get(m.name)!.some((path) => changed.includes(path)));

    const next: ForeignTableIndex = { version: VERSION, key, files: hashes, entityFiles, modules: {} };
    for (const module of model.modules) if (!dirty.includes(module) && index?.modules[module.name]) next.modules[module.name] = index.modules[module.name];
    const missing = model.modules.filter((m) => !dirty.includes(m) && !next.modules[m.name]);
    const analyse = [...dirty, ...missing];

    if (entityFiles.length === 0) {
      // No module file mentions an entity or TypeORM: no module owns a table, TypeScript stays unloaded.
      for (const module of analyse) next.modules[module.name] = [];
    } else if (analyse.length > 0) {
      // Only the analysed modules' files, plus every file that may declare an entity, join the program.
      const analysed = new Set(analyse.map((m) => m.name));
      const files = new Map(
        model.modules.map((m) => [m.name, analysed.has(m.name) ? filesByModule.get(m.name)! : filesByModule.get(m.name)!.filter((p) => entityFiles.includes(p))]),
      );
      const [extraction, { default: tsApi }] = await Promise.all([import('../extraction/index.js'), import('typescript')]);
      const code = extraction.CodeBase.load(model, { ...(context.tsConfig ? { tsconfig: context.tsConfig } : {}), files });
      const entities = extraction.findEntities(code);
      for (const module of analyse) next.modules[module.name] = moduleViolations({ ...extraction, ts: tsApi }, code, model, module, entities);
    }
    options.onAnalyzed?.({ modules: analyse.map((m) => m.name).sort(), typescript: entityFiles.length > 0 && analyse.length > 0 });
    memory = { rootDir: context.rootDir, index: next };
    if (cacheFile) writeCacheFile(cacheFile, JSON.stringify(next));
    return collect(next);
  };
  return {
    name: 'data ownership',
    rules: FOREIGN_TABLE_RULES,
    run,
    async warmUp(model, context) {
      await run(model, context);
    },
  };
}

/** The tools loaded on demand: the extraction analyses and TypeScript itself. */
type Extraction = typeof import('../extraction/index.js') & { ts: typeof ts };

/** One module's foreign-table violations: its strings naming other modules' tables, its data access through their entities. */
function moduleViolations(extraction: Extraction, code: CodeBase, model: ApplicationModules, module: ApplicationModule, entities: readonly EntityClass[]): Violation[] {
  const foreign = entities.filter((e) => e.module !== module.name && model.get(e.module)?.shared !== true);
  if (foreign.length === 0) return [];
  const violations: Violation[] = [];
  const seen = new Set<string>();
  const add = (entity: EntityClass, file: string, line: number, what: string): void => {
    const id = `${file}:${line}:${entity.table}`;
    if (seen.has(id)) return;
    seen.add(id);
    violations.push({
      rule: 'foreign-table',
      severity: 'error',
      from: file,
      to: entity.file,
      fromModule: module.name,
      toModule: entity.module,
      line,
      message: `${module.name} ${what} table ${entity.table}, which module ${entity.module} owns (entity ${entity.className}, ${entity.file}:${entity.line})`,
      fix: `call a ${entity.module} facade method instead, or move the query into ${entity.module}`,
    });
  };

  // Strings: raw SQL, query-builder table names, getRepository('table'). One pass per table the
  // module's text mentions at all (the others cannot be found in it).
  const sources = code.filesOf(module.name);
  const texts = sources.map((source) => source.text.toLowerCase());
  const byTable = new Map<string, EntityClass>();
  for (const entity of foreign) if (!byTable.has(entity.table.toLowerCase())) byTable.set(entity.table.toLowerCase(), entity);
  for (const [table, entity] of byTable) {
    if (!texts.some((text) => text.includes(table))) continue;
    for (const finding of extraction.sqlMentions(code, module, [], [entity])) {
      if (finding.module === module.name && finding.file && finding.line) add(entity, finding.file, finding.line, 'names (in a SQL or query-builder string) the');
    }
  }

  // Entity classes (or their names as strings) where TypeORM reads or writes their table: in the
  // files that name one (an import names the class, aliased or not).
  const bySymbol = new Map<ts.Symbol, EntityClass>(foreign.map((e) => [e.symbol, e]));
  const byClassName = new Map(foreign.map((e) => [e.className, e]));
  for (const source of sources) {
    const names = new Set([...byClassName.keys()].filter((name) => source.text.includes(name)));
    if (names.size === 0) continue;
    for (const statement of source.statements) {
      const bindings = extraction.ts.isImportDeclaration(statement) ? statement.importClause?.namedBindings : undefined;
      if (bindings && extraction.ts.isNamedImports(bindings)) for (const element of bindings.elements) if (element.propertyName && names.has(element.propertyName.text)) names.add(element.name.text);
    }
    extraction.forEachNode(source, (node) => {
      const use = dataAccess(extraction.ts, code, node, names, bySymbol, byClassName);
      if (use) add(use.entity, code.path(node), code.line(node), `uses ${use.entity.className} (${use.how}) to reach the`);
    });
  }
  return violations.sort(compareByLocation);
}

/**
 * The entity a node hands to TypeORM, and how: `Repository<X>`, `forFeature([X])`,
 * `getRepository(X)`, `find('X')`... The position is tested first (cheap), the symbol last.
 */
function dataAccess(
  ts: Extraction['ts'],
  code: CodeBase,
  node: ts.Node,
  /** The names (class names and import aliases) that may denote an entity in this file. */
  names: ReadonlySet<string>,
  bySymbol: ReadonlyMap<ts.Symbol, EntityClass>,
  byClassName: ReadonlyMap<string, EntityClass>,
): { entity: EntityClass; how: string } | undefined {
  const isName = ts.isIdentifier(node);
  if (!isName && !ts.isStringLiteral(node) && !ts.isNoSubstitutionTemplateLiteral(node)) return undefined;
  if (isName ? !names.has(node.text) : !byClassName.has(node.text)) return undefined;
  let how: string | undefined;
  // forFeature([A, B]) and the like: the array is the argument.
  const at: ts.Node = isName && ts.isArrayLiteralExpression(node.parent) ? node.parent : node;
  const parent = at.parent;
  if (ts.isCallExpression(parent) && parent.arguments.includes(at as ts.Expression)) {
    // A name as a string is an entity only as the first argument (getRepository('Account')).
    if (!isName && parent.arguments[0] !== at) return undefined;
    const name = code.calleeName(parent);
    if (name && DATA_CALLS.has(name)) how = ts.isDecorator(parent.parent) ? `@${name}()` : `${name}()`;
  } else if (isName && ts.isTypeReferenceNode(parent) && ts.isTypeReferenceNode(parent.parent) && parent.parent.typeArguments?.includes(parent)) {
    // Repository<X>: X is the type argument of a repository type.
    const typeName = parent.parent.typeName;
    const name = ts.isIdentifier(typeName) ? typeName.text : typeName.right.text;
    if (REPOSITORY_TYPES.has(name)) how = `${name}<>`;
  }
  if (!how) return undefined;
  let entity: EntityClass | undefined;
  if (isName) {
    const symbol = code.symbolAt(node);
    entity = symbol && bySymbol.get(symbol);
  } else {
    entity = byClassName.get(node.text);
  }
  if (!entity) return undefined;
  return { entity, how: how.replace('<>', `<${entity.className}>`) };
}

function collect(index: ForeignTableIndex): Violation[] {
  return Object.values(index.modules).flat().sort(compareByLocation);
}

function changedFiles(before: Record<string, string>, now: Record<string, string>): string[] {
  const changed = Object.keys(now).filter((path) => before[path] !== now[path]);
  for (const path of Object.keys(before)) if (!(path in now)) changed.push(path);
  return changed;
}

function modelKey(model: ApplicationModules, tsConfig: string | undefined): string {
  return createHash('sha1')
    .update(JSON.stringify({ version: VERSION, tsConfig, roots: model.roots, modules: model.modules.map((m) => [m.name, m.dir, m.entry, m.shared]) }))
    .digest('hex');
}
