import ts from 'typescript';
import type { ApplicationModule } from '../core/index.js';
import { forEachNode, possessive, propertyOf, stringLiteral, type CodeBase } from './code-base.js';
import type { Finding, ForeignTableUse, OwnedTable, SourceLocation } from './extraction-report.js';

/** A TypeORM entity (or view entity) class and the table it maps. */
export interface EntityClass extends SourceLocation {
  className: string;
  table: string;
  module: string;
  symbol: ts.Symbol;
}

const TABLE_DECORATORS = new Set(['Entity', 'ViewEntity']);
const SQL_WORDS = /\b(select|insert|update|delete|from|join|into|table|where)\b/i;

/** TypeORM's default table name for a class (DefaultNamingStrategy: snakeCase of the class name). */
export function defaultTableName(className: string): string {
  return className
    .replace(/([A-Z])([A-Z])([a-z])/g, '$1_$2$3')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * Every entity of every module: `@Entity('x')`, `@Entity({ name: 'x' })`, or TypeORM's default
 * name. (`@ChildEntity` classes live in their parent's table and add none.)
 */
export function findEntities(code: CodeBase): EntityClass[] {
  const entities: EntityClass[] = [];
  for (const { module, source } of code.allFiles()) {
    forEachNode(source, (node) => {
      if (!ts.isClassDeclaration(node) || !node.name) return;
      const decorator = code.decorator(node, TABLE_DECORATORS);
      const symbol = decorator && code.symbolAt(node.name);
      if (!decorator || !symbol) return;
      const first = decorator.args[0];
      const table = stringLiteral(first) ?? stringLiteral(propertyOf(first, 'name')) ?? defaultTableName(node.name.text);
      entities.push({ className: node.name.text, table, module: module.name, symbol, ...code.location(node) });
    });
  }
  return entities;
}

/**
 * The tables a module owns and who else touches them: another module declaring the same table,
 * another module importing one of its entity classes (forFeature, Repository<X>, InjectRepository),
 * and strings that name its tables in another module's code (raw SQL). Also the other way round:
 * entities of other modules its own code imports. Once extracted, its tables live in its own
 * database, out of everyone else's reach.
 */
export function analyzeTables(
  code: CodeBase,
  module: ApplicationModule,
  entities: readonly EntityClass[],
): { tables: OwnedTable[]; foreignTables: ForeignTableUse[]; findings: Finding[] } {
  const findings: Finding[] = [];
  const owned = entities.filter((e) => e.module === module.name);
  const tables: OwnedTable[] = owned.map((e) => ({ table: e.table, entity: e.className, file: e.file, line: e.line, sharedWith: [] }));
  const tableOf = new Map(owned.map((e, i) => [e.symbol, tables[i]]));
  const foreignTables: ForeignTableUse[] = [];

  for (const other of entities) {
    if (other.module === module.name) continue;
    for (const mine of tables) {
      if (mine.table.toLowerCase() !== other.table.toLowerCase()) continue;
      mine.sharedWith.push({ module: other.module, how: 'same-table', detail: other.className, file: other.file, line: other.line });
      findings.push({
        severity: 'blocker',
        kind: 'shared-table',
        module: module.name,
        file: mine.file,
        line: mine.line,
        message: `table ${mine.table} is mapped by ${possessive(module.name)} ${mine.entity} and by ${possessive(other.module)} ${other.className} (${other.file}:${other.line}): once ${module.name} has its own database, ${other.module} loses it`,
        fix: `give each module its own tables: rename one, or let ${other.module} read the data through a ${module.name} facade method`,
      });
    }
  }

  const foreignEntities = new Map(entities.filter((e) => e.module !== module.name).map((e) => [e.symbol, e]));
  for (const { module: owner, source } of code.allFiles()) {
    const mineFile = owner.name === module.name;
    const seen = new Set<string>();
    for (const statement of source.statements) {
      if (!ts.isImportDeclaration(statement) || !statement.importClause) continue;
      const clause = statement.importClause;
      const names = [
        ...(clause.name ? [clause.name] : []),
        ...(clause.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements.map((e) => e.name) : []),
      ];
      for (const name of names) {
        const symbol = code.symbolAt(name);
        if (!symbol) continue;
        if (!mineFile) {
          const table = tableOf.get(symbol);
          if (!table || seen.has(table.entity)) continue;
          seen.add(table.entity);
          const at = code.location(statement);
          table.sharedWith.push({ module: owner.name, how: 'entity-reference', detail: table.entity, ...at });
          findings.push({
            severity: 'blocker',
            kind: 'foreign-entity',
            module: owner.name,
            ...at,
            message: `${owner.name} uses ${possessive(module.name)} entity ${table.entity} (table ${table.table}): after extraction that table is in ${possessive(module.name)} own database`,
            fix: `let ${owner.name} go through a ${module.name} facade method that returns plain data, or subscribe to ${possessive(module.name)} events and keep its own copy`,
          });
        } else {
          const entity = foreignEntities.get(symbol);
          if (!entity || seen.has(entity.className)) continue;
          seen.add(entity.className);
          const at = code.location(statement);
          foreignTables.push({ module: entity.module, entity: entity.className, table: entity.table, ...at });
          findings.push({
            severity: 'blocker',
            kind: 'foreign-entity',
            module: module.name,
            ...at,
            message: `${module.name} uses ${possessive(entity.module)} entity ${entity.className} (table ${entity.table}): that table stays in the monolith's database, out of the extracted service's reach`,
            fix: `call a ${entity.module} facade method that returns plain data instead`,
          });
        }
      }
    }
  }

  findings.push(...sqlMentions(code, module, owned, entities));
  return { tables, foreignTables, findings };
}

/**
 * Strings that name another module's table where it looks like SQL (or is just the name, as in
 * getRepository('x')): raw queries that will stop working once the tables are in two databases.
 * With `owned` empty, only `module`'s own files are read (its strings naming the others' tables).
 */
export function sqlMentions(code: CodeBase, module: ApplicationModule, owned: readonly EntityClass[], entities: readonly EntityClass[]): Finding[] {
  const findings: Finding[] = [];
  const patterns = (list: readonly EntityClass[]) => list.map((e) => ({ entity: e, pattern: new RegExp(`(^|[^\\w$])${escape(e.table)}($|[^\\w$])`, 'i') }));
  const mine = patterns(owned);
  const theirs = patterns(entities.filter((e) => e.module !== module.name));
  for (const { module: owner, source } of code.allFiles()) {
    const candidates = owner.name === module.name ? theirs : mine;
    if (candidates.length === 0) continue;
    const reported = new Set<string>();
    forEachNode(source, (node) => {
      if (!ts.isStringLiteral(node) && !ts.isNoSubstitutionTemplateLiteral(node) && !ts.isTemplateHead(node) && !ts.isTemplateMiddle(node) && !ts.isTemplateTail(node)) return;
      if (insideDecoratorOrImport(node)) return;
      const text = node.text;
      for (const { entity, pattern } of candidates) {
        if (reported.has(entity.table) || !pattern.test(text)) continue;
        if (text.trim().toLowerCase() !== entity.table.toLowerCase() && !SQL_WORDS.test(text)) continue;
        reported.add(entity.table);
        const outward = owner.name === module.name;
        findings.push({
          severity: 'warning',
          kind: 'table-in-sql',
          module: owner.name,
          ...code.location(node),
          message: outward
            ? `${module.name} names ${possessive(entity.module)} table ${entity.table} in a string (raw SQL?): it stays in the monolith's database`
            : `${owner.name} names ${possessive(module.name)} table ${entity.table} in a string (raw SQL?): after extraction it is in ${possessive(module.name)} own database`,
          fix: outward ? `call a ${entity.module} facade method instead` : `call a ${module.name} facade method instead`,
        });
      }
    });
  }
  return findings;
}

function insideDecoratorOrImport(node: ts.Node): boolean {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (ts.isDecorator(current) || ts.isImportDeclaration(current) || ts.isExportDeclaration(current)) return true;
    if (ts.isCallExpression(current) && current.expression.kind === ts.SyntaxKind.ImportKeyword) return true;
    if (ts.isSourceFile(current)) return false;
  }
  return false;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
