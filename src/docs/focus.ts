import type { DocsEdge, DocsModel } from './docs-model.js';

/** `--focus NAME` names no module of the app: a usage error that lists the modules there are. */
export class UnknownDocsModuleError extends Error {
  constructor(
    readonly module: string,
    readonly known: readonly string[],
  ) {
    super(`unknown module '${module}' (${known.length === 0 ? 'the app has no modules' : `known modules: ${known.join(', ')}`})`);
    this.name = 'UnknownDocsModuleError';
  }
}

/** The modules `--focus` names: one, or several separated by commas. */
export function focusNames(focus: string): string[] {
  return focus.split(',').map((n) => n.trim()).filter((n) => n.length > 0);
}

/**
 * The neighbourhood of the focused modules (`focus`: one name or several, comma-separated): them,
 * the modules one edge away (either direction, any kind) and the edges among those.
 */
export function focusModel(model: DocsModel, focus: string): DocsModel {
  const names = focusNames(focus);
  for (const name of names.length > 0 ? names : [focus]) {
    if (!model.modules.some((m) => m.name === name)) throw new UnknownDocsModuleError(name, model.modules.map((m) => m.name));
  }
  const kept = new Set(names);
  for (const e of model.edges) {
    if (names.includes(e.from)) kept.add(e.to);
    if (names.includes(e.to)) kept.add(e.from);
  }
  return {
    version: model.version,
    modules: model.modules.filter((m) => kept.has(m.name)),
    edges: model.edges.filter((e) => kept.has(e.from) && kept.has(e.to)),
  };
}

/** How an edge is drawn, the same in every renderer. */
export interface EdgeLook {
  color: string;
  dashed: boolean;
  dotted: boolean;
  /** A short label, or '' (event names on an event edge, the status otherwise). */
  label: string;
}

export const COLORS = {
  ok: '#555555',
  violation: '#d32f2f',
  debt: '#f57c00',
  undeclared: '#7b1fa2',
  unused: '#9e9e9e',
  event: '#1976d2',
} as const;

/**
 * Declared dependency: solid grey; event flow: dotted blue with its events; open violation:
 * red; baselined debt: orange dashed; undeclared use: purple; declared but unused: light grey dashed.
 */
export function edgeLook(e: DocsEdge): EdgeLook {
  const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;
  const base: EdgeLook = { color: COLORS.ok, dashed: false, dotted: e.kind === 'event', label: e.kind === 'event' ? e.events.join(', ') : '' };
  if (e.kind === 'event') base.color = COLORS.event;
  switch (e.status) {
    case 'violation':
      return { ...base, color: COLORS.violation, label: base.label || count(e.violations.length, 'violation') };
    case 'debt':
      return { ...base, color: COLORS.debt, dashed: !base.dotted, label: base.label || `debt: ${count(e.debt.length, 'violation')}` };
    case 'undeclared':
      return { ...base, color: COLORS.undeclared, label: base.label ? `${base.label} (undeclared)` : 'undeclared' };
    case 'unused':
      return { ...base, color: COLORS.unused, dashed: true, label: 'unused' };
    default:
      return base;
  }
}
