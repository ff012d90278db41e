import type { ContractEntry, FacadeSection, ModuleContract } from './module-contract.js';

/**
 * What changed between two versions of a module's contract, member by member, each change
 * classified: `breaking` when a caller, publisher or listener built against `before` may fail
 * against `after` (removed or renamed member, narrowed input, widened or changed output, changed
 * event field, removed route), `compatible` otherwise (added optional input, added
 * method/event/route/listener/export, added result property).
 *
 * Pure and free of TypeScript: it works on the one-line texts the contract holds (the types there
 * are already expanded to their shapes), so the runtime can use it on contracts read from
 * module.api.md files.
 */
export interface ContractChange {
  module: string;
  section: ContractSection;
  /** The member that changed: `BillingFacade.charge`, `OrderPlaced@1`, `GET /orders/:id`, a listener id, an export's name. */
  member: string;
  kind: 'breaking' | 'compatible';
  /** One line for people: `BillingFacade.charge(input.amount): number -> string`, `added method BillingFacade.refund`. */
  what: string;
}

export type ContractSection = 'exports' | 'facades' | 'publishes' | 'listens' | 'routes';

/** Every change from `before` to `after`, sorted by section, member, then text; [] when they are equal. */
export function compareContracts(before: ModuleContract, after: ModuleContract): ContractChange[] {
  const module = after.module || before.module;
  const changes: ContractChange[] = [];
  const push = (section: ContractSection, member: string, kind: Kind, what: string): void => {
    changes.push({ module, section, member, kind, what });
  };

  // Facades: a removed facade is one breaking change, an added one compatible; methods member by member.
  const beforeFacades = new Map(before.facades.map((f) => [f.name, f]));
  const afterFacades = new Map(after.facades.map((f) => [f.name, f]));
  for (const [name, facade] of beforeFacades) {
    const next = afterFacades.get(name);
    if (!next) push('facades', name, 'breaking', `removed facade ${name}`);
    else compareFacade(facade, next, (member, kind, what) => push('facades', member, kind, what));
  }
  for (const name of afterFacades.keys()) {
    if (!beforeFacades.has(name)) push('facades', name, 'compatible', `added facade ${name}`);
  }

  compareSection(before.exports, after.exports, (key, was, now) => {
    if (was === undefined) return [['compatible', `added export ${now}`]];
    if (now === undefined) return [['breaking', `removed export ${was}`]];
    return compareExport(key, was, now);
  }).forEach(([member, kind, what]) => push('exports', member, kind, what));

  compareSection(before.publishes, after.publishes, (key, was, now) => {
    if (was === undefined) return [['compatible', `added event ${key}`]];
    if (now === undefined) return [['breaking', `removed event ${key}`]];
    return compareEvent(key, was, now);
  }).forEach(([member, kind, what]) => push('publishes', member, kind, what));

  compareSection(before.listens, after.listens, (key, was, now) => {
    if (was === undefined) return [['compatible', `added listener ${now}`]];
    if (now === undefined) return [['breaking', `removed listener ${was}`]];
    return [['breaking', `listener ${key}: ${afterArrow(was)} -> ${afterArrow(now)}`]];
  }).forEach(([member, kind, what]) => push('listens', member, kind, what));

  compareSection(before.routes, after.routes, (key, was, now) => {
    if (was === undefined) return [['compatible', `added route ${now}`]];
    if (now === undefined) return [['breaking', `removed route ${key}`]];
    return compareRoute(key, was, now);
  }).forEach(([member, kind, what]) => push('routes', member, kind, what));

  const order: ContractSection[] = ['facades', 'exports', 'publishes', 'listens', 'routes'];
  return changes.sort(
    (a, b) => order.indexOf(a.section) - order.indexOf(b.section) || cmp(a.member, b.member) || cmp(a.what, b.what),
  );
}

/** True when at least one change is breaking. */
export function hasBreakingChange(changes: readonly ContractChange[]): boolean {
  return changes.some((c) => c.kind === 'breaking');
}

type Kind = ContractChange['kind'];
type Found = [Kind, string];

function compareFacade(before: FacadeSection, after: FacadeSection, push: (member: string, kind: Kind, what: string) => void): void {
  const facade = after.name;
  compareSection(before.methods, after.methods, (key, was, now) => {
    if (was === undefined) return [['compatible', `added method ${facade}.${key}`]];
    if (now === undefined) return [['breaking', `removed method ${facade}.${key}`]];
    return compareSignature(`${facade}.${key}`, was, now);
  }).forEach(([member, kind, what]) => push(`${facade}.${member}`, kind, what));
}

/**
 * Pairs entries by key (several entries with one key, e.g. overloads, are joined into one text)
 * and asks `diff` about each pair that differs; returns [member key, kind, what].
 */
function compareSection(
  before: readonly ContractEntry[],
  after: readonly ContractEntry[],
  diff: (key: string, was: string | undefined, now: string | undefined) => Found[],
): [string, Kind, string][] {
  const group = (entries: readonly ContractEntry[]): Map<string, string> => {
    const byKey = new Map<string, string[]>();
    for (const entry of entries) {
      const list = byKey.get(entry.key) ?? [];
      list.push(normalize(entry.text));
      byKey.set(entry.key, list);
    }
    return new Map([...byKey].map(([key, texts]) => [key, texts.sort().join(' ; ')]));
  };
  const was = group(before);
  const now = group(after);
  const found: [string, Kind, string][] = [];
  for (const key of new Set([...was.keys(), ...now.keys()])) {
    const a = was.get(key);
    const b = now.get(key);
    if (a === b) continue;
    for (const [kind, what] of diff(key, a, b)) found.push([key, kind, what]);
  }
  return found;
}

function afterArrow(text: string): string {
  const at = text.indexOf('<-');
  return at < 0 ? text : text.slice(at + 2).trim();
}

// ---------------------------------------------------------------------------------------------
// Signatures: `name<T>(a: A, b?: B): Result`

interface Param {
  name: string;
  optional: boolean;
  rest: boolean;
  type: string;
}

interface Signature {
  name: string;
  typeParams: string;
  params: Param[];
  result: string;
}

export function parseSignature(text: string): Signature | undefined {
  const line = normalize(text);
  let i = 0;
  while (i < line.length && /[\w$]/.test(line[i])) i++;
  const name = line.slice(0, i);
  let typeParams = '';
  if (line[i] === '<') {
    const end = matching(line, i);
    if (end < 0) return undefined;
    typeParams = line.slice(i, end + 1);
    i = end + 1;
  }
  if (line[i] === '?') i++;
  if (line[i] !== '(') return undefined;
  const close = matching(line, i);
  if (close < 0) return undefined;
  const inner = line.slice(i + 1, close).trim();
  const rest = line.slice(close + 1).trim();
  const result = rest.startsWith(':') ? rest.slice(1).trim() : rest.startsWith('=>') ? rest.slice(2).trim() : rest === '' ? 'void' : '';
  if (result === '') return undefined;
  const params: Param[] = [];
  for (const part of inner === '' ? [] : splitTop(inner, ',')) {
    const param = parseParam(part);
    if (!param) return undefined;
    params.push(param);
  }
  return { name, typeParams, params, result };
}

function parseParam(text: string): Param | undefined {
  let part = text.trim();
  const rest = part.startsWith('...');
  if (rest) part = part.slice(3);
  const colon = indexTop(part, ':');
  if (colon < 0) return { name: part.replace(/\?$/, ''), optional: part.endsWith('?') || rest, rest, type: 'any' };
  let name = part.slice(0, colon).trim();
  const optional = name.endsWith('?') || rest;
  name = name.replace(/\?$/, '');
  return { name, optional, rest, type: part.slice(colon + 1).trim() };
}

/** Changes between two signatures of one member (a facade method or an exported function). */
function compareSignature(member: string, was: string, now: string): Found[] {
  const a = parseSignature(was);
  const b = parseSignature(now);
  if (!a || !b || was.includes(' ; ') || now.includes(' ; ')) return [['breaking', `${member}: ${was} -> ${now}`]];
  const found: Found[] = [];
  if (a.typeParams !== b.typeParams) found.push(['breaking', `${member}${a.typeParams || '<>'} -> ${b.typeParams || '<>'}`]);
  const shared = Math.min(a.params.length, b.params.length);
  for (let i = 0; i < shared; i++) {
    const p = a.params[i];
    const q = b.params[i];
    const label = q.name;
    if (p.name !== q.name) found.push(['compatible', `${member}(${p.name}): renamed parameter ${p.name} -> ${q.name}`]);
    if (p.rest !== q.rest) found.push(['breaking', `${member}(${label}): ${paramText(p)} -> ${paramText(q)}`]);
    else if (p.optional && !q.optional) found.push(['breaking', `${member}(${label}): optional -> required`]);
    else if (!p.optional && q.optional) found.push(['compatible', `${member}(${label}): required -> optional`]);
    for (const change of compareTypes(p.type, q.type, 'in', label)) found.push([change.kind, change.whole ? `${member}(${change.what}` : `${member}(${change.path}): ${change.what}`]);
  }
  for (const q of b.params.slice(shared)) {
    found.push(
      q.optional
        ? ['compatible', `${member}(${q.name}): added optional parameter ${paramText(q)}`]
        : ['breaking', `${member}(${q.name}): added required parameter ${paramText(q)}`],
    );
  }
  for (const p of a.params.slice(shared)) found.push(['breaking', `${member}(${p.name}): removed parameter ${paramText(p)}`]);
  for (const change of compareTypes(a.result, b.result, 'out', '')) {
    found.push([change.kind, change.whole ? `${member}(): result.${change.what}` : `${member}(): ${change.path ? `result.${change.path}` : 'result'}: ${change.what}`]);
  }
  if (found.length === 0) found.push(['breaking', `${member}: ${was} -> ${now}`]);
  return found;
}

function paramText(p: Param): string {
  return `${p.rest ? '...' : ''}${p.name}${p.optional && !p.rest ? '?' : ''}: ${p.type}`;
}

// ---------------------------------------------------------------------------------------------
// Events: `name@version { field: type; ... }`; routes: `VERB /path params: {..} query: {..} body: {..} -> Response`

function compareEvent(key: string, was: string, now: string): Found[] {
  const payload = (text: string): string => {
    const line = normalize(text);
    const space = line.indexOf(' ');
    return space < 0 ? '{}' : line.slice(space + 1).trim() || '{}';
  };
  const found = compareTypes(payload(was), payload(now), 'both', '').map(
    (change): Found => [change.kind, describeAt(key, change)],
  );
  return found.length ? found : [['breaking', `${key}: ${was} -> ${now}`]];
}

const ROUTE_PARTS = ['params', 'query', 'body'] as const;

/** The parts of a route line: `params`, `query`, `body` (inputs) and `response` (after ` -> `). */
export function parseRoute(text: string): Record<string, string> {
  const line = normalize(text);
  const parts: Record<string, string> = {};
  const tokens = line.split(' ');
  const head = tokens.slice(0, 2).join(' ');
  let rest = line.slice(head.length).trim();
  const arrow = indexTop(rest, ' -> ') >= 0 ? indexTop(rest, ' -> ') : rest.startsWith('-> ') ? 0 : -1;
  if (arrow >= 0) {
    parts.response = rest.slice(arrow).replace(/^\s*->\s*/, '').trim();
    rest = rest.slice(0, arrow).trim();
  }
  // Labels at depth 0: `params: `, `query: `, `body: `.
  let label: string | undefined;
  let start = 0;
  const flush = (end: number): void => {
    if (label) parts[label] = rest.slice(start, end).trim();
  };
  for (let i = 0; i < rest.length; ) {
    const match = ROUTE_PARTS.find((p) => rest.startsWith(`${p}: `, i) && (i === 0 || rest[i - 1] === ' ') && depthAt(rest, i) === 0);
    if (match) {
      flush(i);
      label = match;
      i += match.length + 2;
      start = i;
    } else i++;
  }
  flush(rest.length);
  return parts;
}

function compareRoute(key: string, was: string, now: string): Found[] {
  const a = parseRoute(was);
  const b = parseRoute(now);
  const found: Found[] = [];
  for (const part of [...ROUTE_PARTS, 'response'] as const) {
    const x = a[part];
    const y = b[part];
    if (x === y) continue;
    const variance: Variance = part === 'response' ? 'out' : 'in';
    if (x === undefined) {
      found.push([part === 'response' ? 'compatible' : optionalOnly(y!) ? 'compatible' : 'breaking', `${key} ${part}: added ${y}`]);
      continue;
    }
    if (y === undefined) {
      found.push([part === 'response' ? 'breaking' : 'compatible', `${key} ${part}: removed ${x}`]);
      continue;
    }
    for (const change of compareTypes(x, y, variance, '')) found.push([change.kind, change.whole ? `${key} ${part}.${change.what}` : `${key} ${part}${change.path ? `.${change.path}` : ''}: ${change.what}`]);
  }
  return found.length ? found : [['breaking', `${key}: ${was} -> ${now}`]];
}

function optionalOnly(shape: string): boolean {
  const type = parseType(shape);
  return type.kind === 'object' && type.props.every((p) => p.optional);
}

// ---------------------------------------------------------------------------------------------
// Exports: `class X ...`, `function f(...)...`, `interface I { ... }`, `type T = ...`, `const c: T`, `enum E { ... }`

function compareExport(key: string, was: string, now: string): Found[] {
  const a = splitDeclaration(was);
  const b = splitDeclaration(now);
  if (a && b && a.keyword === b.keyword && a.keyword !== 'function' && a.heritage !== b.heritage) {
    return [['breaking', `${key}: ${a.heritage || '(none)'} -> ${b.heritage || '(none)'}`]];
  }
  if (a && b && a.keyword === b.keyword) {
    if (a.keyword === 'function') return compareSignature(key, a.body, b.body);
    if (a.keyword === 'interface' || a.keyword === 'type' || a.keyword === 'const' || a.keyword === 'let' || a.keyword === 'var') {
      const found = compareTypes(a.body, b.body, 'both', '').map(
        (change): Found => [change.kind, describeAt(key, change)],
      );
      if (found.length) return found;
    }
    if (a.keyword === 'class') {
      const found = compareTypes(a.body, b.body, 'class', '').map(
        (change): Found => [change.kind, describeAt(key, change)],
      );
      if (found.length) return found;
    }
  }
  return [['breaking', `export ${key}: ${was} -> ${now}`]];
}

/** `interface Name<T> { ... }` -> { keyword: 'interface', body: '{ ... }' }, `function f(...)` -> body `f(...)...`. */
function splitDeclaration(text: string): { keyword: string; body: string; heritage?: string } | undefined {
  const line = normalize(text).replace(/^(export\s+)?(declare\s+)?(default\s+)?/, '');
  const m = /^(abstract\s+class|class|interface|type|function|const|let|var|enum|namespace)\s+([\w$]+)/.exec(line);
  if (!m) return undefined;
  const keyword = m[1].replace(/^abstract\s+/, '');
  let rest = line.slice(m[0].length).trim();
  if (keyword === 'function') return { keyword, body: `${m[2]}${rest}` };
  let typeParams = '';
  if (rest.startsWith('<')) {
    const end = matching(rest, 0);
    typeParams = rest.slice(0, end + 1);
    rest = rest.slice(end + 1).trim();
  }
  if (keyword === 'type') rest = rest.replace(/^=\s*/, '');
  else if (keyword === 'const' || keyword === 'let' || keyword === 'var') rest = rest.replace(/^:\s*/, '');
  else if (keyword === 'interface' || keyword === 'class') {
    // `extends X implements Y { ... }`: the heritage must stay; the body compares structurally.
    const brace = indexTop(rest, '{');
    const heritage = brace < 0 ? rest : rest.slice(0, brace).trim();
    rest = brace < 0 ? '{}' : rest.slice(brace);
    return { keyword, body: rest, heritage: `${typeParams}${heritage}` };
  }
  return { keyword, body: rest, heritage: typeParams };
}

// ---------------------------------------------------------------------------------------------
// Types, compared on their text. `in`: a value callers give (adding an optional property or a
// union member widens it: compatible); `out`: a value callers get (adding a property is compatible,
// adding a union member widens it: breaking); `both`: an event payload or a declared type (only an
// added optional property is compatible); `class`: an exported class's public members.

type Variance = 'in' | 'out' | 'both' | 'class';

interface TypeChange {
  kind: Kind;
  path: string;
  what: string;
  /** `what` names its member itself (a method of an object type: `cb(x): string -> number`). */
  whole?: boolean;
}

/** `Owner.path: what`, or `Owner.what` for a change that names its member. */
function describeAt(owner: string, change: TypeChange): string {
  if (change.whole) return `${owner}.${change.what}`;
  return `${owner}${change.path ? `.${change.path}` : ''}: ${change.what}`;
}

type TypeNode =
  | { kind: 'object'; props: Prop[]; text: string }
  | { kind: 'union'; members: TypeNode[]; text: string }
  | { kind: 'array'; element: TypeNode; text: string }
  | { kind: 'generic'; name: string; args: TypeNode[]; text: string }
  | { kind: 'atom'; text: string };

interface Prop {
  name: string;
  optional: boolean;
  readonly: boolean;
  type: string;
  /** A method signature `m(x: T): U` inside an object type. */
  method: boolean;
}

export function compareTypes(before: string, after: string, variance: Variance, path: string): TypeChange[] {
  return diffTypes(parseType(before), parseType(after), variance, path);
}

function diffTypes(a: TypeNode, b: TypeNode, variance: Variance, path: string): TypeChange[] {
  if (a.text === b.text) return [];
  if (a.kind === 'object' && b.kind === 'object') return diffObjects(a.props, b.props, variance, path);
  if (a.kind === 'array' && b.kind === 'array') return diffTypes(a.element, b.element, variance, path ? `${path}[]` : '[]');
  if (a.kind === 'generic' && b.kind === 'generic' && a.name === b.name && a.args.length === b.args.length) {
    return a.args.flatMap((arg, i) => diffTypes(arg, b.args[i], variance, path));
  }
  if (a.kind === 'union' || b.kind === 'union') {
    const union = diffUnions(members(a), members(b), variance, path);
    if (union) return union;
  }
  return [{ kind: 'breaking', path, what: `${a.text} -> ${b.text}` }];
}

function members(node: TypeNode): TypeNode[] {
  return node.kind === 'union' ? node.members : [node];
}

function diffUnions(a: TypeNode[], b: TypeNode[], variance: Variance, path: string): TypeChange[] | undefined {
  const was = new Set(a.map((m) => m.text));
  const now = new Set(b.map((m) => m.text));
  const removed = a.filter((m) => !now.has(m.text));
  const added = b.filter((m) => !was.has(m.text));
  if (removed.length === 1 && added.length === 1) {
    // One member changed (e.g. `{ ... } | null`): compare it in place.
    return diffTypes(removed[0], added[0], variance, path);
  }
  const changes: TypeChange[] = [];
  const text = (list: TypeNode[]): string => list.map((m) => m.text).join(' | ');
  if (added.length) {
    changes.push({ kind: variance === 'in' ? 'compatible' : 'breaking', path, what: `widened: added ${text(added)}` });
  }
  if (removed.length) {
    changes.push({ kind: variance === 'out' ? 'compatible' : 'breaking', path, what: `narrowed: removed ${text(removed)}` });
  }
  return changes.length ? changes : undefined;
}

function diffObjects(a: Prop[], b: Prop[], variance: Variance, path: string): TypeChange[] {
  const changes: TypeChange[] = [];
  const at = (name: string): string => (path ? `${path}.${name}` : name);
  const was = groupProps(a);
  const now = groupProps(b);
  for (const [name, p] of was) {
    const q = now.get(name);
    if (!q) {
      // A removed input property: an object literal naming it no longer compiles.
      changes.push({ kind: 'breaking', path: at(name), what: `removed ${propText(p)}` });
      continue;
    }
    if (p.method || q.method) {
      if (p.type !== q.type) {
        const bare = name.replace(/^(?:static |get |set )+/, '');
        for (const [kind, what] of compareSignature(at(name), `${bare}${p.type}`, `${bare}${q.type}`)) changes.push({ kind, path: at(name), what, whole: true });
      }
      continue;
    }
    if (p.optional !== q.optional) {
      // Optional -> required: narrows an input, widens nothing in an output; required -> optional the opposite.
      const toRequired = p.optional && !q.optional;
      const compatible = variance === 'in' ? !toRequired : variance === 'out' ? toRequired : false;
      changes.push({ kind: compatible ? 'compatible' : 'breaking', path: at(name), what: toRequired ? 'optional -> required' : 'required -> optional' });
    }
    if (p.readonly !== q.readonly && variance !== 'out') {
      changes.push({ kind: q.readonly && variance !== 'in' ? 'breaking' : 'compatible', path: at(name), what: q.readonly ? 'became readonly' : 'no longer readonly' });
    }
    changes.push(...diffTypes(parseType(p.type), parseType(q.type), variance === 'class' ? 'both' : variance, at(name)));
  }
  for (const [name, q] of now) {
    if (was.has(name)) continue;
    const compatible = variance === 'out' || variance === 'class' || q.optional;
    changes.push({ kind: compatible ? 'compatible' : 'breaking', path: at(name), what: `added ${q.optional ? 'optional ' : ''}${propText(q)}` });
  }
  return changes;
}

function groupProps(props: Prop[]): Map<string, Prop> {
  const map = new Map<string, Prop>();
  for (const prop of props) {
    const seen = map.get(prop.name);
    // Overloaded method signatures: one entry with every signature.
    map.set(prop.name, seen ? { ...seen, type: `${seen.type} ; ${prop.type}` } : prop);
  }
  return map;
}

function propText(p: Prop): string {
  const [prefix, name] = /^((?:static |get |set )*)(.*)$/.exec(p.name)!.slice(1);
  return p.method ? `${p.name}${p.type}` : `${prefix}${p.readonly ? 'readonly ' : ''}${name}${p.optional ? '?' : ''}: ${p.type}`;
}

export function parseType(source: string): TypeNode {
  const text = stripParens(normalize(source).replace(/^\|\s*/, ''));
  const union = splitTop(text, '|');
  if (union.length > 1) return { kind: 'union', members: union.map(parseType), text: union.map((m) => parseType(m).text).join(' | ') };
  if (text.startsWith('{') && matching(text, 0) === text.length - 1) {
    const inner = text.slice(1, -1).trim();
    const props = (inner ? splitTop(inner, ';').flatMap((m) => splitTop(m, ',')) : []).map((m) => m.trim()).filter(Boolean).map(parseProp);
    const sorted = [...props].sort((x, y) => cmp(x.name, y.name));
    return { kind: 'object', props: sorted, text: `{ ${sorted.map(propText).join('; ')} }` };
  }
  if (text.endsWith('[]')) {
    const element = text.slice(0, -2).trim();
    if (isWhole(element)) {
      const node = parseType(element);
      return { kind: 'array', element: node, text: `${node.kind === 'union' ? `(${node.text})` : node.text}[]` };
    }
  }
  const generic = /^([\w$.]+)</.exec(text);
  if (generic && matching(text, generic[1].length) === text.length - 1) {
    const args = splitTop(text.slice(generic[1].length + 1, -1), ',').map(parseType);
    if (generic[1] === 'Array' && args.length === 1) return { kind: 'array', element: args[0], text: `${args[0].text}[]` };
    return { kind: 'generic', name: generic[1], args, text: `${generic[1]}<${args.map((x) => x.text).join(', ')}>` };
  }
  return { kind: 'atom', text };
}

function parseProp(member: string): Prop {
  let text = member.trim();
  // Class members: `static readonly x: T`, `get x(): T`, `set x(v: T)`, `constructor(...)`.
  const isStatic = /^static\s/.test(text);
  if (isStatic) text = text.replace(/^static\s+/, '');
  const readonly = /^readonly\s/.test(text);
  if (readonly) text = text.replace(/^readonly\s+/, '');
  const accessor = /^(get|set)\s+(?=[\w$#"'[])/.exec(text)?.[1];
  if (accessor) text = text.replace(/^(get|set)\s+/, '');
  const head = /^(\[[^\]]*\]|"[^"]*"|'[^']*'|[\w$#]+)(\??)/.exec(text);
  if (!head) return { name: text, optional: false, readonly, type: text, method: false };
  const name = `${isStatic ? 'static ' : ''}${accessor ? `${accessor} ` : ''}${head[1]}`;
  const optional = head[2] === '?';
  const rest = text.slice(head[0].length).trim();
  if (rest.startsWith('(') || rest.startsWith('<')) return { name, optional, readonly, type: rest, method: true };
  return { name, optional, readonly, type: rest.startsWith(':') ? rest.slice(1).trim() : 'any', method: false };
}

// ---------------------------------------------------------------------------------------------
// Bracket-aware text helpers.

const OPEN: Record<string, string> = { '(': ')', '[': ']', '{': '}', '<': '>' };

function normalize(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Index of the bracket closing the one at `open`, or -1. Skips string literals and `=>`. */
function matching(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '`') {
      i = skipString(text, i);
      continue;
    }
    if (c === '>' && (text[i - 1] === '=' || text[i - 1] === '-')) continue;
    if (c in OPEN) depth++;
    else if (c === ')' || c === ']' || c === '}' || c === '>') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function skipString(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === quote) return i;
  }
  return text.length;
}

function depthAt(text: string, index: number): number {
  let depth = 0;
  for (let i = 0; i < index; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '`') {
      i = skipString(text, i);
      continue;
    }
    if (c === '>' && (text[i - 1] === '=' || text[i - 1] === '-')) continue;
    if (c in OPEN) depth++;
    else if (c === ')' || c === ']' || c === '}' || c === '>') depth--;
  }
  return depth;
}

/** Splits at every depth-0 occurrence of `sep`. */
function splitTop(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '`') {
      i = skipString(text, i);
      continue;
    }
    if (c === '>' && (text[i - 1] === '=' || text[i - 1] === '-')) continue;
    if (c in OPEN) depth++;
    else if (c === ')' || c === ']' || c === '}' || c === '>') depth--;
    else if (depth === 0 && text.startsWith(sep, i)) {
      parts.push(text.slice(start, i).trim());
      start = i + sep.length;
      i += sep.length - 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts.filter((p, i) => p !== '' || i > 0);
}

function indexTop(text: string, needle: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '`') {
      i = skipString(text, i);
      continue;
    }
    if (depth === 0 && text.startsWith(needle, i)) return i;
    if (c === '>' && (text[i - 1] === '=' || text[i - 1] === '-')) continue;
    if (c in OPEN) depth++;
    else if (c === ')' || c === ']' || c === '}' || c === '>') depth--;
  }
  return -1;
}

function isWhole(text: string): boolean {
  return depthAt(text, text.length) === 0 && (splitTop(text, '|').length === 1 || (text.startsWith('(') && matching(text, 0) === text.length - 1));
}

function stripParens(text: string): string {
  let t = text.trim();
  while (t.startsWith('(') && matching(t, 0) === t.length - 1 && !/^\(.*\)\s*=>/.test(t)) t = t.slice(1, -1).trim();
  return t;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
