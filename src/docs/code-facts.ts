import type { ApplicationModules } from '../core/index.js';

/** What only the TypeScript compiler can tell about the modules' code. */
export interface CodeFacts {
  /** Tables each module's entities map to, by module (sorted). */
  tables: Map<string, string[]>;
  /** Facade methods one module calls on another's: `caller` -> `module`, `Facade.method`. */
  calls: { caller: string; module: string; calls: string[] }[];
}

/**
 * The tables (the entities the foreign-table rule and `modulith extract` find) and the facade
 * calls (extract's remote-call analysis), from one program over every module's production code.
 * The extraction analyses and TypeScript load only here, on demand.
 */
export async function codeFacts(model: ApplicationModules, tsConfig: string | undefined): Promise<CodeFacts> {
  if (model.modules.length === 0) return { tables: new Map(), calls: [] };
  const extraction = await import('../extraction/index.js');
  const code = extraction.CodeBase.load(model, tsConfig ? { tsconfig: tsConfig } : {});
  const tables = new Map<string, string[]>();
  for (const entity of extraction.findEntities(code)) {
    const list = tables.get(entity.module) ?? [];
    if (!list.includes(entity.table)) list.push(entity.table);
    tables.set(entity.module, list);
  }
  for (const list of tables.values()) list.sort(byText);
  const facades = model.modules.flatMap((m) => extraction.findFacades(code, m).facades);
  const calls = extraction
    .findFacadeUses(code, facades)
    .filter((use) => use.methods.length > 0)
    .map((use) => ({ caller: use.caller, module: use.module, calls: use.methods.map((method) => `${use.facade}.${method}`) }));
  return { tables, calls };
}

/** Code-unit order, the same on every machine and locale (localeCompare is not). */
export function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
