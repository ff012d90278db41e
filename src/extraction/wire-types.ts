import ts from 'typescript';
import { isPublicInstanceMember, nameText, possessive, type CodeBase } from './code-base.js';
import type { WireIssue } from './extraction-report.js';
import { bindTypeParameters, type Subst } from './type-bindings.js';

/**
 * The wire codec's rules (src/remote: JSON of null, booleans, finite numbers, strings, arrays and
 * plain objects; undefined properties dropped) applied to types as written, so a contract that
 * cannot travel is found before anything runs. Types are walked through the project's own
 * interfaces, aliases (generic ones with their arguments), classes and enums; lib and npm types
 * are judged by name, because the analysis program loads neither (see CodeBase).
 */
export class WireTypes {
  constructor(private readonly code: CodeBase) {}

  /** Issues of one value's type; `path` names the value (`input`, `result`). */
  check(node: ts.TypeNode | undefined, path: string): WireIssue[] {
    const issues: WireIssue[] = [];
    if (!node) {
      issues.push(warning(path, '(none)', 'has no type annotation, so it cannot be verified', 'write its type: plain data (interfaces of strings, numbers, booleans, arrays)'));
      return issues;
    }
    this.walk(node, { path, subst: new Map(), stack: new Set(), depth: 0, issues });
    const seen = new Set<string>();
    return issues.filter((issue) => {
      const key = `${issue.path}\0${issue.reason}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  private walk(node: ts.TypeNode, frame: Frame): void {
    if (frame.depth > 24) return;
    const next = (child: ts.TypeNode, path = frame.path, keys?: KeyFilter): void =>
      this.walk(child, { ...frame, path, keys, depth: frame.depth + 1 });
    const issue = (severity: WireIssue['severity'], reason: string, fix: string): void => {
      frame.issues.push({ severity, path: frame.path, type: typeText(node), reason, fix });
    };

    switch (node.kind) {
      case ts.SyntaxKind.StringKeyword:
      case ts.SyntaxKind.NumberKeyword:
      case ts.SyntaxKind.BooleanKeyword:
      case ts.SyntaxKind.NullKeyword:
      case ts.SyntaxKind.UndefinedKeyword:
      case ts.SyntaxKind.VoidKeyword:
      case ts.SyntaxKind.NeverKeyword:
        return;
      case ts.SyntaxKind.AnyKeyword:
      case ts.SyntaxKind.UnknownKeyword:
        return issue('warning', `is ${node.kind === ts.SyntaxKind.AnyKeyword ? 'any' : 'unknown'}, so it cannot be verified`, 'give it a plain-data type');
      case ts.SyntaxKind.ObjectKeyword:
        return issue('warning', 'is `object`, so it cannot be verified', 'give it an interface of plain data');
      case ts.SyntaxKind.BigIntKeyword:
        return issue('blocker', 'is a bigint, which has no JSON form', 'send it as a string');
      case ts.SyntaxKind.SymbolKeyword:
        return issue('blocker', 'is a symbol, which cannot be serialized', 'use a string');
    }
    if (ts.isLiteralTypeNode(node)) {
      if (ts.isBigIntLiteral(node.literal)) issue('blocker', 'is a bigint, which has no JSON form', 'send it as a string');
      return;
    }
    if (ts.isTemplateLiteralTypeNode(node) || ts.isTypePredicateNode(node)) return;
    if (ts.isParenthesizedTypeNode(node)) return next(node.type, frame.path, frame.keys);
    if (ts.isTypeOperatorNode(node)) {
      if (node.operator === ts.SyntaxKind.KeyOfKeyword) return; // property names: strings
      if (node.operator === ts.SyntaxKind.UniqueKeyword) return issue('blocker', 'is a symbol, which cannot be serialized', 'use a string');
      return next(node.type, frame.path, frame.keys); // readonly T[]
    }
    if (ts.isArrayTypeNode(node)) return this.element(node.elementType, frame);
    if (ts.isTupleTypeNode(node)) {
      node.elements.forEach((element, index) => {
        const optional = ts.isOptionalTypeNode(element) || (ts.isNamedTupleMember(element) && element.questionToken !== undefined);
        const rest = ts.isRestTypeNode(element) || (ts.isNamedTupleMember(element) && element.dotDotDotToken !== undefined);
        if (optional) frame.issues.push(undefinedElement(`${frame.path}[${index}]`, typeText(element)));
        const inner = ts.isNamedTupleMember(element) ? element.type : ts.isOptionalTypeNode(element) || ts.isRestTypeNode(element) ? element.type : element;
        if (rest) this.walk(inner, { ...frame, path: `${frame.path}[${index}...]`, keys: undefined, depth: frame.depth + 1 });
        else this.element(inner, { ...frame, path: `${frame.path}[${index}]` }, false);
      });
      return;
    }
    if (ts.isUnionTypeNode(node) || ts.isIntersectionTypeNode(node)) {
      for (const member of node.types) next(member, frame.path, frame.keys);
      return;
    }
    if (ts.isFunctionTypeNode(node) || ts.isConstructorTypeNode(node)) {
      return issue('blocker', 'is a function, which cannot be serialized', 'return data, not behaviour');
    }
    if (ts.isTypeLiteralNode(node)) return this.members(node.members, frame);
    if (ts.isMappedTypeNode(node)) {
      if (node.type) next(node.type, `${frame.path}[key]`);
      return;
    }
    if (ts.isTypeReferenceNode(node)) return this.reference(node.typeName, node.typeArguments, node, frame);
    if (ts.isExpressionWithTypeArguments(node)) return this.reference(node.expression, node.typeArguments, node, frame);
    if (ts.isIndexedAccessTypeNode(node)) {
      const property = this.indexedProperty(node);
      if (property) return next(property, frame.path);
    }
    issue('warning', 'is a computed type, so it cannot be verified', 'spell the plain-data type out (an interface or a union of literals)');
  }

  /** An array element: undefined elements become null in JSON, then the element's own rules. */
  private element(node: ts.TypeNode, frame: Frame, arrayNotation = true): void {
    if (admitsUndefined(node)) frame.issues.push(undefinedElement(`${frame.path}${arrayNotation ? '[]' : ''}`, typeText(node)));
    this.walk(node, { ...frame, path: arrayNotation ? `${frame.path}[]` : frame.path, keys: undefined, depth: frame.depth + 1 });
  }

  private members(members: readonly (ts.TypeElement | ts.ClassElement)[], frame: Frame): void {
    for (const member of members) {
      const name = nameText(member.name as ts.PropertyName | undefined);
      if (name !== undefined && frame.keys && frame.keys.names.has(name) !== (frame.keys.mode === 'pick')) continue;
      const path = `${frame.path}.${name ?? '?'}`;
      const at = { ...frame, path, keys: undefined, depth: frame.depth + 1 };
      if (ts.isPropertySignature(member) || ts.isPropertyDeclaration(member)) {
        if (member.type) this.walk(member.type, at);
        else if (!ts.isPropertyDeclaration(member) || !member.initializer || !this.initializer(member.initializer, path, frame)) {
          frame.issues.push(warning(path, '(none)', 'has no type annotation, so it cannot be verified', 'write its type'));
        }
      } else if (ts.isMethodSignature(member) || ts.isMethodDeclaration(member)) {
        frame.issues.push({ severity: 'blocker', path, type: typeText(member), reason: 'is a method, which does not survive JSON', fix: 'send data only; keep behaviour on the receiving side' });
      } else if (ts.isGetAccessorDeclaration(member)) {
        if (member.type) this.walk(member.type, at);
      } else if (ts.isIndexSignatureDeclaration(member)) {
        this.walk(member.type, { ...at, path: `${frame.path}[key]` });
      } else if (ts.isCallSignatureDeclaration(member) || ts.isConstructSignatureDeclaration(member)) {
        frame.issues.push({ severity: 'blocker', path: frame.path, type: typeText(member), reason: 'is callable, which cannot be serialized', fix: 'return data, not behaviour' });
      }
    }
  }

  /**
   * A class property without a type, judged by its initializer: literals are plain data, `new X()`
   * is judged like the type X. False when the initializer says nothing certain.
   */
  private initializer(node: ts.Expression, path: string, frame: Frame): boolean {
    if (ts.isStringLiteralLike(node) || ts.isNumericLiteral(node) || ts.isTemplateExpression(node)) return true;
    if (node.kind === ts.SyntaxKind.TrueKeyword || node.kind === ts.SyntaxKind.FalseKeyword || node.kind === ts.SyntaxKind.NullKeyword) return true;
    if (ts.isPrefixUnaryExpression(node) && ts.isNumericLiteral(node.operand)) return true;
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && !this.code.symbolAt(node.expression)) {
      const rule = KNOWN_TYPES.get(node.expression.text);
      if (rule === undefined) return false;
      if (rule !== 'ok') frame.issues.push({ severity: rule.severity, path, type: node.expression.text, reason: rule.reason, fix: rule.fix });
      return true;
    }
    return false;
  }

  private reference(name: ts.EntityName | ts.Expression, args: ts.NodeArray<ts.TypeNode> | undefined, node: ts.TypeNode, frame: Frame): void {
    const text = ts.isQualifiedName(name) ? name.right.text : ts.isPropertyAccessExpression(name) ? name.name.text : ts.isIdentifier(name) ? name.text : typeText(node);
    const raw = this.code.checker.getSymbolAtLocation(ts.isQualifiedName(name) ? name.right : name);
    const issue = (severity: WireIssue['severity'], reason: string, fix: string): void => {
      frame.issues.push({ severity, path: frame.path, type: typeText(node), reason, fix });
    };
    const deeper = { ...frame, depth: frame.depth + 1 };

    if (raw && raw.flags & ts.SymbolFlags.TypeParameter) {
      const bound = frame.subst.get(raw);
      if (bound) return this.walk(bound.node, { ...deeper, subst: bound.subst });
      return issue('warning', `is the type parameter ${text}, so it cannot be verified`, 'use a concrete plain-data type in the facade');
    }

    const symbol = this.code.resolve(raw);
    const declarations = symbol?.declarations?.filter((d) => this.code.isProjectFile(d.getSourceFile())) ?? [];
    if (symbol && declarations.length > 0) {
      if (frame.stack.has(symbol)) return; // a recursive type: checked where it started
      const stack = new Set(frame.stack).add(symbol);
      const inner = { ...deeper, stack };
      if (declarations.some((d) => ts.isEnumDeclaration(d) || ts.isEnumMember(d))) return;
      const alias = declarations.find(ts.isTypeAliasDeclaration);
      if (alias) return this.walk(alias.type, { ...inner, subst: bindTypeParameters(this.code.checker, alias.typeParameters, args, frame.subst) });
      const interfaces = declarations.filter(ts.isInterfaceDeclaration);
      if (interfaces.length > 0) {
        for (const declaration of interfaces) {
          const subst = bindTypeParameters(this.code.checker, declaration.typeParameters, args, frame.subst);
          this.members(declaration.members, { ...inner, subst });
          for (const clause of declaration.heritageClauses ?? []) {
            for (const base of clause.types) this.walk(base, { ...inner, subst });
          }
        }
        return;
      }
      const cls = declarations.find(ts.isClassDeclaration);
      if (cls) return this.classInstance(cls, text, node, { ...inner, subst: bindTypeParameters(this.code.checker, cls.typeParameters, args, frame.subst) });
      return issue('warning', `refers to ${text}, which is not a type of plain data`, 'use an interface of plain data');
    }

    // Not declared in the project: a lib global (Date, Map, Promise...) or an npm package's type.
    const origin = importOrigin(raw);
    const known = origin?.name ?? text;
    if (known === 'Promise' || known === 'PromiseLike') {
      return issue('blocker', 'is a Promise inside a value, which cannot be sent', 'await it on the serving side and send its result');
    }
    if (known === 'Array' || known === 'ReadonlyArray') {
      if (args?.[0]) return this.element(args[0], deeper);
      return issue('warning', 'is an array of unknown elements, so it cannot be verified', 'write the element type');
    }
    if (known === 'Record') {
      if (args?.[1]) return this.walk(args[1], { ...deeper, path: `${frame.path}[key]`, keys: undefined });
      return;
    }
    if (PASS_THROUGH.has(known)) {
      if (args?.[0]) return this.walk(args[0], { ...deeper, keys: frame.keys });
      return;
    }
    if (known === 'Pick' || known === 'Omit') {
      if (args?.[0]) return this.walk(args[0], { ...deeper, keys: keyFilter(known, args[1]) });
      return;
    }
    const rule = KNOWN_TYPES.get(known) ?? (origin === undefined && /Error$/.test(known) ? BEHAVIOUR(known) : undefined);
    if (rule === 'ok') return;
    if (rule) return issue(rule.severity, rule.reason, rule.fix);
    issue(
      'warning',
      `is ${known}${origin ? ` from '${origin.module}'` : ''}, declared outside the project, so it cannot be verified`,
      'use a plain-data type declared in the project',
    );
  }

  /** A project class as a value: entities and classes with behaviour are refused; data classes arrive as plain objects. */
  private classInstance(cls: ts.ClassDeclaration, text: string, node: ts.TypeNode, frame: Frame): void {
    const issue = (severity: WireIssue['severity'], reason: string, fix: string): void => {
      frame.issues.push({ severity, path: frame.path, type: typeText(node), reason, fix });
    };
    if (this.code.decorator(cls, ENTITY_DECORATORS)) {
      return issue('blocker', `is the TypeORM entity ${text}, which must not leave its module`, `send a plain interface (a view of ${text}) instead`);
    }
    const chain = this.code.classChain(cls);
    const behaviour = chain.flatMap((c) =>
      c.members.filter((m) => (ts.isMethodDeclaration(m) || ts.isGetAccessorDeclaration(m) || ts.isSetAccessorDeclaration(m)) && isPublicInstanceMember(m)),
    );
    const foreignBase = chain.flatMap((c) => c.heritageClauses ?? []).filter((h) => h.token === ts.SyntaxKind.ExtendsKeyword).flatMap((h) => h.types).find((t) => !this.code.classOf(this.code.symbolAt(t.expression)));
    if (behaviour.length > 0 || foreignBase) {
      const reason =
        behaviour.length > 0
          ? `is an instance of ${text}, whose methods (${[...new Set(behaviour.map((m) => nameText(m.name) ?? '?'))].join(', ')}) do not survive JSON`
          : `is an instance of ${text}, a subclass of ${typeText(foreignBase!.expression)}, which loses its class and methods on the wire`;
      return issue('blocker', reason, `send a plain interface of ${possessive(text)} data; rebuild the instance on the receiving side if needed`);
    }
    issue('warning', `is the class ${text}: it arrives as a plain object, not an instance (instanceof ${text} fails)`, `type it with an interface`);
    for (const c of chain) {
      this.members(c.members.filter((m) => ts.isPropertyDeclaration(m) && isPublicInstanceMember(m)), frame);
      const constructor = c.members.find(ts.isConstructorDeclaration);
      for (const parameter of constructor?.parameters ?? []) {
        const modifiers = ts.getModifiers(parameter) ?? [];
        const visible = modifiers.some((m) => m.kind === ts.SyntaxKind.PublicKeyword || m.kind === ts.SyntaxKind.ReadonlyKeyword) &&
          !modifiers.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword);
        if (visible && parameter.type) this.walk(parameter.type, { ...frame, path: `${frame.path}.${nameText(parameter.name) ?? '?'}`, keys: undefined, depth: frame.depth + 1 });
      }
    }
  }


  /** `View['status']`: the property's type node, when the object is a project interface, alias or literal. */
  private indexedProperty(node: ts.IndexedAccessTypeNode): ts.TypeNode | undefined {
    const key = ts.isLiteralTypeNode(node.indexType) && ts.isStringLiteral(node.indexType.literal) ? node.indexType.literal.text : undefined;
    if (key === undefined) return undefined;
    let object: ts.TypeNode | undefined = node.objectType;
    for (let guard = 0; object && guard < 8; guard++) {
      if (ts.isTypeLiteralNode(object)) return memberType(object.members, key);
      if (!ts.isTypeReferenceNode(object)) return undefined;
      const declarations: ts.Declaration[] = this.code.symbolAt(object.typeName)?.declarations ?? [];
      const alias = declarations.find(ts.isTypeAliasDeclaration);
      if (alias) {
        object = alias.type;
        continue;
      }
      for (const declaration of declarations.filter(ts.isInterfaceDeclaration)) {
        const found = memberType(declaration.members, key);
        if (found) return found;
      }
      return undefined;
    }
    return undefined;
  }
}

/** Pick<T, K> / Omit<T, K>: which properties of the next object type count. */
interface KeyFilter {
  mode: 'pick' | 'omit';
  names: ReadonlySet<string>;
}
interface Frame {
  path: string;
  subst: Subst;
  /** Declarations being walked (recursive types stop here). */
  stack: ReadonlySet<ts.Symbol>;
  depth: number;
  keys?: KeyFilter;
  issues: WireIssue[];
}

const ENTITY_DECORATORS = new Set(['Entity', 'ViewEntity', 'ChildEntity']);
/** Utility types whose value is their first argument's (as far as the wire is concerned). */
const PASS_THROUGH = new Set(['Partial', 'Required', 'Readonly', 'NonNullable', 'Awaited', 'Exclude', 'Extract']);

type Rule = 'ok' | { severity: WireIssue['severity']; reason: string; fix: string };
const BEHAVIOUR = (name: string): Rule => ({
  severity: 'blocker',
  reason: `is an instance of ${name}, which loses its class and methods on the wire`,
  fix: 'send a plain object with the data the caller needs',
});
const BINARY: Rule = { severity: 'blocker', reason: 'is binary data, which does not survive JSON', fix: 'send a base64 string' };
const COLLECTION = (name: string): Rule => ({ severity: 'blocker', reason: `is a ${name}, which becomes {} on the wire`, fix: 'send an array or a plain object' });
const FUNCTION: Rule = { severity: 'blocker', reason: 'is a function, which cannot be serialized', fix: 'return data, not behaviour' };

/** Lib and well-known npm types, by name. */
const KNOWN_TYPES = new Map<string, Rule>([
  ['String', 'ok'],
  ['Number', 'ok'],
  ['Boolean', 'ok'],
  ['Date', { severity: 'blocker', reason: 'is a Date, which becomes a string on the wire', fix: 'send an ISO 8601 string (date.toISOString())' }],
  ...['Map', 'Set', 'WeakMap', 'WeakSet', 'ReadonlyMap', 'ReadonlySet'].map((n): [string, Rule] => [n, COLLECTION(n)]),
  ...[
    'Buffer', 'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Blob', 'File',
    'Uint8Array', 'Uint8ClampedArray', 'Int8Array', 'Uint16Array', 'Int16Array', 'Uint32Array', 'Int32Array',
    'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
  ].map((n): [string, Rule] => [n, BINARY]),
  ...['Function', 'CallableFunction', 'NewableFunction'].map((n): [string, Rule] => [n, FUNCTION]),
  ...[
    'RegExp', 'Error', 'AbortSignal', 'AbortController', 'URL', 'URLSearchParams', 'Headers', 'Request', 'Response', 'FormData',
    'EventEmitter', 'Stream', 'Readable', 'Writable', 'Duplex', 'ReadableStream', 'WritableStream', 'Observable', 'Subject', 'WeakRef',
    'Repository', 'EntityManager', 'DataSource', 'QueryRunner',
  ].map((n): [string, Rule] => [n, BEHAVIOUR(n)]),
  ['Object', { severity: 'warning', reason: 'is `Object`, so it cannot be verified', fix: 'give it an interface of plain data' }],
]);

function warning(path: string, type: string, reason: string, fix: string): WireIssue {
  return { severity: 'warning', path, type, reason, fix };
}

function undefinedElement(path: string, type: string): WireIssue {
  return { severity: 'blocker', path, type, reason: 'may hold undefined elements, which the codec refuses (JSON would turn them into null)', fix: 'use null for a missing element' };
}

function admitsUndefined(node: ts.TypeNode): boolean {
  if (ts.isParenthesizedTypeNode(node)) return admitsUndefined(node.type);
  if (node.kind === ts.SyntaxKind.UndefinedKeyword || node.kind === ts.SyntaxKind.VoidKeyword) return true;
  return ts.isUnionTypeNode(node) && node.types.some(admitsUndefined);
}

function keyFilter(kind: 'Pick' | 'Omit', keys: ts.TypeNode | undefined): KeyFilter | undefined {
  const names = new Set<string>();
  const collect = (node: ts.TypeNode): boolean => {
    if (ts.isParenthesizedTypeNode(node)) return collect(node.type);
    if (ts.isUnionTypeNode(node)) return node.types.every(collect);
    if (ts.isLiteralTypeNode(node) && ts.isStringLiteral(node.literal)) {
      names.add(node.literal.text);
      return true;
    }
    return false;
  };
  // Keys that are not literals: Omit filters nothing (over-reports, never hides), Pick likewise.
  if (!keys || !collect(keys)) return undefined;
  return { mode: kind === 'Pick' ? 'pick' : 'omit', names };
}

function memberType(members: readonly ts.TypeElement[], key: string): ts.TypeNode | undefined {
  for (const member of members) if (ts.isPropertySignature(member) && nameText(member.name) === key) return member.type;
  return undefined;
}

/** For an unresolved import, the package and the name imported from it; undefined for a global. */
function importOrigin(symbol: ts.Symbol | undefined): { module: string; name: string } | undefined {
  const declaration = symbol?.declarations?.[0];
  if (!declaration) return undefined;
  if (ts.isImportSpecifier(declaration)) {
    const specifier = declaration.parent.parent.parent.moduleSpecifier;
    return ts.isStringLiteral(specifier) ? { module: specifier.text, name: (declaration.propertyName ?? declaration.name).text } : undefined;
  }
  if (ts.isImportClause(declaration) && ts.isStringLiteral(declaration.parent.moduleSpecifier)) {
    return { module: declaration.parent.moduleSpecifier.text, name: 'default' };
  }
  return undefined;
}

function typeText(node: ts.Node): string {
  const text = node.getText(node.getSourceFile()).replace(/\s+/g, ' ');
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
