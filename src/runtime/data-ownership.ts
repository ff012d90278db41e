import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { walkFiles, type ApplicationModule, type ApplicationModules } from '../core/index.js';
import type { LiveModule } from './live-module.js';
import type { BootViolation } from './verify-live-modules.js';

/** How the check reads module folders: the files under a folder (absolute paths) and a file's text. */
export interface SourceReader {
  files(dir: string): string[];
  read(file: string): string;
}

/** A module's own code: sources and compiled files, neither declarations, tests nor node_modules. */
const CODE_FILE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const SKIPPED_FILE = /\.d\.(ts|mts|cts)$|\.(spec|test|e2e-spec)\.[cm]?[jt]sx?$|\.map$/;

/** The file system, read once per folder and file. */
export function fileSystemReader(): SourceReader {
  const texts = new Map<string, string>();
  return {
    files(dir) {
      return walkFiles(dir, { skipDir: (name) => name === 'node_modules', file: (name) => CODE_FILE.test(name) && !SKIPPED_FILE.test(name) }).map((path) => join(dir, path));
    },
    read(file) {
      let text = texts.get(file);
      if (text === undefined) {
        try {
          text = readFileSync(file, 'utf8');
        } catch {
          text = '';
        }
        texts.set(file, text);
      }
      return text;
    },
  };
}

/**
 * The entity classes (by name) a live module registers with TypeOrmModule.forFeature([...]).
 *
 * forFeature returns a dynamic TypeOrmModule whose providers are repository factories under
 * getRepositoryToken(Entity). In the container only the token survives: Nest keeps a factory
 * provider's token, factory and `inject` (the entity itself sits in the factory's closure, and
 * the provider's extra `targetEntitySchema` is dropped). The token is what @nestjs/typeorm
 * documents publicly: `<data source prefix><EntityName>Repository`, the prefix being `<name>_`
 * for a named data source, whose token (`<name>DataSource`, the factory's only `inject`) tells it.
 * Reading that needs no import of @nestjs/typeorm (an optional peer) and works with any copy of
 * it. A custom repository class (a function token) registers no entity and is skipped.
 */
export function registeredEntities(imports: Iterable<unknown>): string[] {
  const entities = new Set<string>();
  for (const imported of imports) {
    const module = imported as { metatype?: { name?: string }; providers?: Map<unknown, { inject?: unknown[] | null }> } | undefined;
    if (module?.metatype?.name !== 'TypeOrmModule' || !module.providers) continue;
    for (const [token, wrapper] of module.providers) {
      if (typeof token !== 'string' || !token.endsWith('Repository')) continue;
      const dataSource = wrapper?.inject?.[0];
      const prefix = typeof dataSource === 'string' && dataSource.endsWith('DataSource') ? `${dataSource.slice(0, -'DataSource'.length)}_` : '';
      if (!token.startsWith(prefix)) continue;
      const name = token.slice(prefix.length, -'Repository'.length);
      if (/^[A-Za-z_$][\w$]*$/.test(name)) entities.add(name);
    }
  }
  return [...entities].sort();
}

/**
 * Each feature module owns its tables: one that registers another (non-shared) module's entity
 * with TypeOrmModule.forFeature could read and write that module's data behind its facade.
 * At runtime a class's file is unknown, so an entity belongs to the module whose folder holds a
 * file declaring `class <Name>` (source or compiled): the module's own folder is searched first,
 * then the shared modules', then the others'. An entity no module folder declares (a library's,
 * the app shell's) and a shared module's entity are allowed. Folders are read only when needed,
 * each once. Pure apart from the reader.
 */
export function verifyDataOwnership(model: ApplicationModules, live: readonly LiveModule[], reader: SourceReader = fileSystemReader()): BootViolation[] {
  const files = new Map<string, string[]>();
  const filesOf = (module: ApplicationModule): string[] => {
    let found = files.get(module.name);
    if (!found) files.set(module.name, (found = reader.files(join(model.rootDir, module.dir))));
    return found;
  };
  const declaring = (module: ApplicationModule, className: string): string | undefined => {
    const declaration = new RegExp(`\\bclass\\s+${className.replace(/\$/g, '\\$')}(?![\\w$])`);
    return filesOf(module).find((file) => declaration.test(reader.read(file)));
  };
  const others = (name: string): ApplicationModule[] => [
    ...model.modules.filter((m) => m.name !== name && m.shared),
    ...model.modules.filter((m) => m.name !== name && !m.shared),
  ];

  const violations: BootViolation[] = [];
  const seen = new Set<string>();
  for (const module of live) {
    const declared = model.get(module.name);
    if (!declared || !module.entities?.length) continue;
    for (const entity of module.entities) {
      if (seen.has(`${module.name}:${entity}`)) continue;
      seen.add(`${module.name}:${entity}`);
      if (declaring(declared, entity)) continue;
      for (const other of others(module.name)) {
        const file = declaring(other, entity);
        if (!file) continue;
        if (!other.shared) {
          const where = relative(model.rootDir, file).split(sep).join('/');
          violations.push({
            module: module.name,
            rule: 'foreign-entity',
            message: `${module.className} registers ${entity} with TypeOrmModule.forFeature, but ${entity} belongs to module '${other.name}' (${where}): each module owns its tables`,
            fix: `call a ${other.name} facade method instead of using its repository, or move ${entity} into ${declared.dir} if '${module.name}' should own that table`,
          });
        }
        break;
      }
    }
  }
  return violations;
}
