import ts from 'typescript';
import { bindTypeParameters, hasModifier, isPublicInstanceMember, nameText, type CodeBase, type Subst } from '../extraction/index.js';
import { References } from './references.js';

/**
 * Prints types as one deterministic line, with the project's own interfaces, aliases, data classes
 * and enums expanded to their shapes (`{ accountId: string; amount: number }`), so a change in a
 * DTO file shows up in every contract line that uses it. Properties and union members are sorted,
 * string literals double-quoted, whitespace and comments gone: formatting and declaration order
 * never change the text. Lib and npm types (left unresolved by the analysis program) print by
 * name, with their type arguments printed the same way (`Promise<{ balance: number }>`).
 *
 * `stop` names the project symbols to print by name instead of expanding (a module's own public
 * types in its export list); every declaration read is recorded in `files`, which is what the
 * contract depends on.
 */
export class TypePrinter {
  private readonly references: References;

  constructor(
    private readonly code: CodeBase,
    private readonly files: Set<string>,
    private readonly stop: (symbol: ts.Symbol) => string | undefined = () => undefined,
  ) {
    this.references = new References(code, files);
  }

  /** A type as written (a missing annotation: what the checker infers from the node). */
  type(node: ts.TypeNode | undefined, fallback?: ts.Node): string {
    if (!node) return fallback ? this.inferred(fallback) : 'unknown';
    return this.print(node, { subst: new Map(), stack: new Set(), depth: 0 }).text;
  }

  /** A signature: `<T>(a: A, b?: B): R` (without a name). */
  signature(node: ts.SignatureDeclarationBase): string {
    return this.signatureText(node, { subst: new Map(), stack: new Set(), depth: 0 }, ': ');
  }

  /** The public data members of a class, through its project base classes: for event payloads and DTO classes. */
  classShape(cls: ts.ClassDeclaration): string {
    return renderObject(this.classMembers(cls, { subst: new Map(), stack: new Set(), depth: 0 }));
  }

  /** An interface's members, merged over its declarations and base interfaces. */
  interfaceShape(symbol: ts.Symbol): string {
    return renderObject(this.interfaceMembers(symbol, undefined, { subst: new Map(), stack: new Set([symbol]), depth: 0 }));
  }

  /** The public members of a class as declared (methods, properties, statics, constructor): for exported classes. */
  classBody(cls: ts.ClassDeclaration): string {
    const frame: Frame = { subst: new Map(), stack: new Set(), depth: 0 };
    const members: Member[] = [];
    const chain = this.code.classChain(cls);
    for (const c of chain) {
      this.files.add(this.code.path(c));
      for (const clause of c.heritageClauses ?? []) this.references.inside(clause);
    }
    // Base classes first, so the most derived declaration of a member wins; one constructor: the nearest.
    const withConstructor = chain.find((c) => c.members.some(ts.isConstructorDeclaration));
    for (const c of [...chain].reverse()) members.push(...this.ownClassMembers(c, frame, c === withConstructor));
    return renderObject(members);
  }

  private ownClassMembers(cls: ts.ClassDeclaration, frame: Frame, withConstructor: boolean): Member[] {
    const members: Member[] = [];
    for (const member of cls.members) {
      if (member.name && ts.isPrivateIdentifier(member.name)) continue;
      if (hasModifier(member, ts.SyntaxKind.PrivateKeyword) || hasModifier(member, ts.SyntaxKind.ProtectedKeyword)) continue;
      const prefix = hasModifier(member, ts.SyntaxKind.StaticKeyword) ? 'static ' : '';
      if (ts.isConstructorDeclaration(member)) {
        if (!withConstructor) continue;
        if (member.body && cls.members.some((m) => ts.isConstructorDeclaration(m) && !m.body)) continue; // overloads stand for it
        members.push({ key: 'constructor', text: `constructor${this.signatureText(member, frame, '')}` });
        continue;
      }
      const name = memberName(member.name);
      if (name === undefined) continue;
      if (ts.isMethodDeclaration(member)) {
        if (member.body && cls.members.some((m) => m !== member && ts.isMethodDeclaration(m) && !m.body && memberName(m.name) === name)) continue;
        members.push({ key: `${prefix}${name}`, text: `${prefix}${name}${member.questionToken ? '?' : ''}${this.signatureText(member, frame, ': ')}` });
      } else if (ts.isPropertyDeclaration(member)) {
        const readonly = hasModifier(member, ts.SyntaxKind.ReadonlyKeyword) ? 'readonly ' : '';
        const type = member.type ? this.print(member.type, frame).text : this.inferred(member);
        members.push({ key: `${prefix}${name}`, text: `${prefix}${readonly}${name}${member.questionToken ? '?' : ''}: ${type}` });
      } else if (ts.isGetAccessorDeclaration(member)) {
        const type = member.type ? this.print(member.type, frame).text : this.inferred(member);
        members.push({ key: `${prefix}${name}`, text: `${prefix}get ${name}(): ${type}` });
      } else if (ts.isSetAccessorDeclaration(member)) {
        members.push({ key: `${prefix}${name}=`, text: `${prefix}set ${name}${this.signatureText(member, frame, '')}` });
      } else if (ts.isIndexSignatureDeclaration(member)) {
        members.push({ key: `[${name}]`, text: this.indexSignature(member, frame) });
      }
    }
    for (const member of cls.members.filter(ts.isConstructorDeclaration)) {
      for (const parameter of member.parameters) members.push(...this.parameterProperty(parameter, frame));
    }
    return members;
  }

  /**
   * The type the checker infers for a declaration without an annotation. The analysis program has
   * no lib, so arrays are read from their literal; a long string constant is a `string` (its text
   * is a value, not an interface).
   */
  private inferred(node: ts.Node): string {
    const checker = this.code.checker;
    let initializer = (ts.isVariableDeclaration(node) || ts.isPropertyDeclaration(node) || ts.isParameter(node)) ? node.initializer : undefined;
    let constant = false;
    while (initializer && (ts.isAsExpression(initializer) || ts.isSatisfiesExpression(initializer) || ts.isParenthesizedExpression(initializer))) {
      if (ts.isAsExpression(initializer) && ts.isTypeReferenceNode(initializer.type) && initializer.type.getText() === 'const') constant = true;
      initializer = initializer.expression;
    }
    if (initializer && ts.isArrayLiteralExpression(initializer)) {
      if (constant) return `readonly [${initializer.elements.map((e) => this.inferred(e)).join(', ')}]`;
      const elements = [...new Set(initializer.elements.map((e) => this.widened(e)))].sort();
      return elements.length === 0 ? 'never[]' : elements.length === 1 ? `${elements[0]}[]` : `(${elements.join(' | ')})[]`;
    }
    // Lib types the program does not load.
    if (initializer && ts.isRegularExpressionLiteral(initializer)) return 'RegExp';
    if (initializer && ts.isNewExpression(initializer) && ts.isIdentifier(initializer.expression) && !this.code.symbolAt(initializer.expression)) return initializer.expression.text;
    try {
      const type = checker.getTypeAtLocation(ts.isParameter(node) || ts.isVariableDeclaration(node) || ts.isPropertyDeclaration(node) ? node.name : node);
      let text = checker.typeToString(type, undefined, ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseSingleQuotesForStringLiteralType);
      if (ts.isParameter(node) && (node.questionToken || node.initializer)) text = text.replace(/ \| undefined$/, '');
      if (/^'.{60,}'$/.test(text)) return 'string';
      return normalizeLiterals(text).replace(/;\s*}/g, ' }');
    } catch {
      return 'unknown';
    }
  }

  /** An array element's type as a mutable array would hold it: `"a"` is a string. */
  private widened(node: ts.Expression): string {
    const checker = this.code.checker;
    try {
      const type = checker.getBaseTypeOfLiteralType(checker.getTypeAtLocation(node));
      return normalizeLiterals(checker.typeToString(type, undefined, ts.TypeFormatFlags.NoTruncation));
    } catch {
      return 'unknown';
    }
  }

  private signatureText(node: ts.SignatureDeclarationBase, frame: Frame, separator: string): string {
    const typeParams = node.typeParameters?.length ? `<${node.typeParameters.map((p) => this.typeParameter(p, frame)).join(', ')}>` : '';
    const params = node.parameters.map((p, i) => this.parameter(p, i, frame)).join(', ');
    if (separator === '') return `${typeParams}(${params})`;
    const result = node.type ? this.print(node.type, frame).text : '(inferred)';
    return `${typeParams}(${params})${separator}${result}`;
  }

  private typeParameter(node: ts.TypeParameterDeclaration, frame: Frame): string {
    const constraint = node.constraint ? ` extends ${this.print(node.constraint, frame).text}` : '';
    const initial = node.default ? ` = ${this.print(node.default, frame).text}` : '';
    return `${node.name.text}${constraint}${initial}`;
  }

  private parameter(node: ts.ParameterDeclaration, index: number, frame: Frame): string {
    const name = ts.isIdentifier(node.name) ? node.name.text : `arg${index + 1}`;
    const optional = node.questionToken !== undefined || node.initializer !== undefined;
    const type = node.type ? this.print(node.type, frame).text : node.initializer ? this.inferred(node) : 'any';
    return `${node.dotDotDotToken ? '...' : ''}${name}${optional && !node.dotDotDotToken ? '?' : ''}: ${type}`;
  }

  private parameterProperty(node: ts.ParameterDeclaration, frame: Frame): Member[] {
    const modifiers = ts.getModifiers(node) ?? [];
    const visible =
      modifiers.some((m) => m.kind === ts.SyntaxKind.PublicKeyword || m.kind === ts.SyntaxKind.ReadonlyKeyword) &&
      !modifiers.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword);
    if (!visible || !ts.isIdentifier(node.name)) return [];
    const readonly = modifiers.some((m) => m.kind === ts.SyntaxKind.ReadonlyKeyword) ? 'readonly ' : '';
    const type = node.type ? this.print(node.type, frame).text : 'any';
    return [{ key: node.name.text, text: `${readonly}${node.name.text}${node.questionToken ? '?' : ''}: ${type}` }];
  }

  private indexSignature(node: ts.IndexSignatureDeclaration, frame: Frame): string {
    const readonly = hasModifier(node, ts.SyntaxKind.ReadonlyKeyword) ? 'readonly ' : '';
    const params = node.parameters.map((p, i) => this.parameter(p, i, frame)).join(', ');
    return `${readonly}[${params}]: ${this.print(node.type, frame).text}`;
  }

  private print(node: ts.TypeNode, frame: Frame): Printed {
    if (frame.depth > MAX_DEPTH) return atom(this.source(node));
    const next = (child: ts.TypeNode): Printed => this.print(child, { ...frame, depth: frame.depth + 1 });
    switch (node.kind) {
      case ts.SyntaxKind.StringKeyword:
      case ts.SyntaxKind.NumberKeyword:
      case ts.SyntaxKind.BooleanKeyword:
      case ts.SyntaxKind.BigIntKeyword:
      case ts.SyntaxKind.SymbolKeyword:
      case ts.SyntaxKind.ObjectKeyword:
      case ts.SyntaxKind.AnyKeyword:
      case ts.SyntaxKind.UnknownKeyword:
      case ts.SyntaxKind.NeverKeyword:
      case ts.SyntaxKind.VoidKeyword:
      case ts.SyntaxKind.UndefinedKeyword:
      case ts.SyntaxKind.NullKeyword:
      case ts.SyntaxKind.ThisType:
      case ts.SyntaxKind.IntrinsicKeyword:
        return atom(ts.tokenToString(node.kind) ?? this.source(node));
    }
    if (ts.isLiteralTypeNode(node)) {
      const literal = node.literal;
      if (ts.isStringLiteral(literal) || ts.isNoSubstitutionTemplateLiteral(literal)) return atom(JSON.stringify(literal.text));
      if (literal.kind === ts.SyntaxKind.NullKeyword) return atom('null');
      if (literal.kind === ts.SyntaxKind.TrueKeyword) return atom('true');
      if (literal.kind === ts.SyntaxKind.FalseKeyword) return atom('false');
      return atom(this.source(node));
    }
    if (ts.isParenthesizedTypeNode(node)) return next(node.type);
    if (ts.isTypeOperatorNode(node)) {
      const operand = next(node.type);
      const operator = node.operator === ts.SyntaxKind.ReadonlyKeyword ? 'readonly' : node.operator === ts.SyntaxKind.KeyOfKeyword ? 'keyof' : 'unique';
      return { text: `${operator} ${wrap(operand)}`, kind: 'operator' };
    }
    if (ts.isArrayTypeNode(node)) return { text: `${wrap(next(node.elementType))}[]`, kind: 'atom' };
    if (ts.isTupleTypeNode(node)) {
      const elements = node.elements.map((element) => {
        if (ts.isNamedTupleMember(element)) {
          return `${element.dotDotDotToken ? '...' : ''}${element.name.text}${element.questionToken ? '?' : ''}: ${next(element.type).text}`;
        }
        if (ts.isOptionalTypeNode(element)) return `${wrap(next(element.type))}?`;
        if (ts.isRestTypeNode(element)) return `...${wrap(next(element.type))}`;
        return next(element).text;
      });
      return atom(`[${elements.join(', ')}]`);
    }
    if (ts.isUnionTypeNode(node)) return union(node.types.map(next));
    if (ts.isIntersectionTypeNode(node)) {
      const parts = node.types.map(next);
      if (parts.every((p) => p.members !== undefined)) return object(mergeMembers(parts.flatMap((p) => p.members!)));
      return { text: [...new Set(parts.map((p) => wrap(p)))].sort().join(' & '), kind: 'intersection' };
    }
    if (ts.isFunctionTypeNode(node) || ts.isConstructorTypeNode(node)) {
      const prefix = ts.isConstructorTypeNode(node) ? 'new ' : '';
      return { text: `${prefix}${this.signatureText(node, { ...frame, depth: frame.depth + 1 }, ' => ')}`, kind: 'function' };
    }
    if (ts.isTypeLiteralNode(node)) return object(this.typeMembers(node.members, { ...frame, depth: frame.depth + 1 }));
    if (ts.isTypeReferenceNode(node)) return this.reference(node.typeName, node.typeArguments, node, frame);
    if (ts.isExpressionWithTypeArguments(node)) return this.reference(node.expression, node.typeArguments, node, frame);
    if (ts.isIndexedAccessTypeNode(node)) {
      const object = next(node.objectType);
      const key = ts.isLiteralTypeNode(node.indexType) && ts.isStringLiteral(node.indexType.literal) ? node.indexType.literal.text : undefined;
      const found = key !== undefined ? object.members?.find((m) => m.key === key) : undefined;
      if (found?.type !== undefined) return found.optional ? union([atom(found.type, found.typeKind), atom('undefined')]) : atom(found.type, found.typeKind);
      return atom(`${wrap(object)}[${next(node.indexType).text}]`);
    }
    if (ts.isTypeQueryNode(node)) return atom(`typeof ${this.source(node.exprName)}`);
    // Mapped, conditional, template literal, import and infer types: as written, whitespace normalized.
    return atom(this.source(node));
  }

  private reference(name: ts.EntityName | ts.Expression, args: ts.NodeArray<ts.TypeNode> | undefined, node: ts.TypeNode, frame: Frame): Printed {
    const checker = this.code.checker;
    const identifier = ts.isQualifiedName(name) ? name.right : ts.isPropertyAccessExpression(name) ? name.name : name;
    const raw = checker.getSymbolAtLocation(identifier);
    // What the name means depends on every import and barrel it goes through.
    this.references.symbol(raw);
    const deeper: Frame = { ...frame, depth: frame.depth + 1 };
    const printArgs = (): Printed[] => (args ?? []).map((a) => this.print(a, deeper));

    if (raw && raw.flags & ts.SymbolFlags.TypeParameter) {
      const bound = frame.subst.get(raw);
      if (bound) return this.print(bound.node, { ...deeper, subst: bound.subst });
      return atom(raw.name);
    }

    const symbol = this.code.resolve(raw);
    const declarations = symbol?.declarations?.filter((d) => this.code.isProjectFile(d.getSourceFile())) ?? [];
    if (symbol && declarations.length > 0) {
      const stopped = this.stop(symbol);
      const written = (label: string): Printed => {
        const printed = printArgs();
        return atom(printed.length ? `${label}<${printed.map((p) => p.text).join(', ')}>` : label);
      };
      if (stopped !== undefined) return written(stopped);
      if (frame.stack.has(symbol) || frame.depth > MAX_DEPTH) return written(symbol.name);
      for (const d of declarations) this.files.add(this.code.path(d));
      const inner: Frame = { ...deeper, stack: new Set(frame.stack).add(symbol) };

      const enumDeclaration = declarations.find(ts.isEnumDeclaration);
      if (enumDeclaration) return this.enumValues(symbol, declarations.filter(ts.isEnumDeclaration));
      const enumMember = declarations.find(ts.isEnumMember);
      if (enumMember) return atom(this.enumMemberValue(enumMember));
      const alias = declarations.find(ts.isTypeAliasDeclaration);
      if (alias) return this.print(alias.type, { ...inner, subst: bindTypeParameters(this.code.checker, alias.typeParameters, args, frame.subst) });
      if (declarations.some(ts.isInterfaceDeclaration)) return object(this.interfaceMembers(symbol, args, { ...inner, subst: frame.subst }));
      const cls = declarations.find(ts.isClassDeclaration);
      if (cls && isDataClass(this.code, cls)) return object(this.classMembers(cls, { ...inner, subst: bindTypeParameters(this.code.checker, cls.typeParameters, args, frame.subst) }));
      return written(symbol.name);
    }

    // Outside the project: a lib global or an npm package's type, by the name it was exported under.
    const origin = raw?.declarations?.[0];
    const label =
      origin && ts.isImportSpecifier(origin) ? (origin.propertyName ?? origin.name).text : ts.isQualifiedName(name) || ts.isPropertyAccessExpression(name) ? this.source(name) : identifier.getText();
    const printed = printArgs();
    if ((label === 'Array' || label === 'ReadonlyArray') && printed.length === 1) {
      return { text: `${label === 'ReadonlyArray' ? 'readonly ' : ''}${wrap(printed[0])}[]`, kind: label === 'ReadonlyArray' ? 'operator' : 'atom' };
    }
    const shape = printed[0]?.members;
    if (shape && printed.length === 1 && (label === 'Partial' || label === 'Required' || label === 'Readonly')) {
      return object(shape.map((m) => (m.type === undefined ? m : withModifiers(m, label))));
    }
    if (shape && printed.length === 2 && (label === 'Pick' || label === 'Omit')) {
      const keys = literalKeys(printed[1].text);
      if (keys) return object(shape.filter((m) => keys.has(m.key) === (label === 'Pick')));
    }
    return atom(printed.length ? `${label}<${printed.map((p) => p.text).join(', ')}>` : label);
  }

  private interfaceMembers(symbol: ts.Symbol, args: ts.NodeArray<ts.TypeNode> | undefined, frame: Frame): Member[] {
    const members: Member[] = [];
    for (const declaration of (symbol.declarations ?? []).filter(ts.isInterfaceDeclaration)) {
      this.files.add(this.code.path(declaration));
      const inner: Frame = { ...frame, subst: bindTypeParameters(this.code.checker, declaration.typeParameters, args, frame.subst) };
      for (const clause of declaration.heritageClauses ?? []) {
        for (const base of clause.types) {
          const printed = this.print(base, inner);
          if (printed.members) members.push(...printed.members);
          else members.push({ key: `...${printed.text}`, text: `...${printed.text}` });
        }
      }
      members.push(...this.typeMembers(declaration.members, inner));
    }
    return mergeMembers(members);
  }

  /** Public instance data of a class and its project base classes (own members win). */
  private classMembers(cls: ts.ClassDeclaration, frame: Frame): Member[] {
    const members: Member[] = [];
    for (const c of this.code.classChain(cls).reverse()) {
      this.files.add(this.code.path(c));
      for (const clause of c.heritageClauses ?? []) this.references.inside(clause);
      for (const member of c.members) {
        if (ts.isPropertyDeclaration(member) && isPublicInstanceMember(member)) {
          const name = memberName(member.name);
          if (name === undefined) continue;
          const readonly = hasModifier(member, ts.SyntaxKind.ReadonlyKeyword);
          const type = member.type ? this.print(member.type, frame) : atom(this.inferred(member));
          members.push(property(name, member.questionToken !== undefined, readonly, type));
        } else if (ts.isConstructorDeclaration(member)) {
          for (const parameter of member.parameters) {
            const [found] = this.parameterProperty(parameter, frame);
            if (found && ts.isIdentifier(parameter.name)) {
              const type = parameter.type ? this.print(parameter.type, frame) : atom('any');
              members.push(property(parameter.name.text, parameter.questionToken !== undefined, hasModifier(parameter, ts.SyntaxKind.ReadonlyKeyword), type));
            }
          }
        }
      }
    }
    return mergeMembers(members);
  }

  private typeMembers(list: readonly ts.TypeElement[], frame: Frame): Member[] {
    const members: Member[] = [];
    for (const member of list) {
      if (ts.isPropertySignature(member)) {
        const name = memberName(member.name);
        if (name === undefined) continue;
        const type = member.type ? this.print(member.type, frame) : atom('any');
        members.push(property(name, member.questionToken !== undefined, hasModifier(member, ts.SyntaxKind.ReadonlyKeyword), type));
      } else if (ts.isMethodSignature(member)) {
        const name = memberName(member.name);
        if (name === undefined) continue;
        members.push({ key: name, text: `${name}${member.questionToken ? '?' : ''}${this.signatureText(member, frame, ': ')}` });
      } else if (ts.isIndexSignatureDeclaration(member)) {
        const text = this.indexSignature(member, frame);
        members.push({ key: text, text });
      } else if (ts.isCallSignatureDeclaration(member)) {
        const text = this.signatureText(member, frame, ': ');
        members.push({ key: text, text });
      } else if (ts.isConstructSignatureDeclaration(member)) {
        const text = `new ${this.signatureText(member, frame, ': ')}`;
        members.push({ key: text, text });
      }
    }
    return members;
  }

  private enumValues(symbol: ts.Symbol, declarations: ts.EnumDeclaration[]): Printed {
    for (const d of declarations) this.files.add(this.code.path(d));
    const values = declarations.flatMap((d) => d.members.map((m) => atom(this.enumMemberValue(m))));
    return values.length ? union(values) : atom(symbol.name);
  }

  private enumMemberValue(member: ts.EnumMember): string {
    const value = this.code.checker.getConstantValue(member);
    if (typeof value === 'string') return JSON.stringify(value);
    if (typeof value === 'number') return String(value);
    return `${member.parent.name.text}.${memberName(member.name) ?? '?'}`;
  }


  /** Source text with comments dropped and whitespace collapsed. */
  private source(node: ts.Node): string {
    const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });
    try {
      return normalizeLiterals(printer.printNode(ts.EmitHint.Unspecified, node, node.getSourceFile()).replace(/\s+/g, ' ').trim());
    } catch {
      return node.getText(node.getSourceFile()).replace(/\s+/g, ' ').trim();
    }
  }
}

const MAX_DEPTH = 24;

interface Frame {
  subst: Subst;
  stack: ReadonlySet<ts.Symbol>;
  depth: number;
}

/** One member of an object shape; `type` is set for properties (their printed type). */
interface Member {
  key: string;
  text: string;
  type?: string;
  typeKind?: Printed['kind'];
  optional?: boolean;
  readonly?: boolean;
}

interface Printed {
  text: string;
  kind: 'atom' | 'union' | 'intersection' | 'function' | 'operator' | 'object';
  /** Set when the type is an object shape (merged by intersections, filtered by Pick/Omit). */
  members?: Member[];
}

function atom(text: string, kind: Printed['kind'] = 'atom'): Printed {
  return { text, kind };
}

function object(members: Member[]): Printed {
  const merged = mergeMembers(members);
  return { text: renderObject(merged), kind: 'object', members: merged };
}

function union(parts: Printed[]): Printed {
  const members = new Map<string, Printed>();
  for (const part of parts) {
    if (part.kind === 'union') for (const m of splitUnion(part.text)) members.set(m, atom(m));
    else members.set(wrap(part, true), part);
  }
  if (members.size === 1) return [...members.values()][0];
  return { text: [...members.keys()].sort(compareUnionMembers).join(' | '), kind: 'union' };
}

/** null and undefined last, the rest in code-point order. */
function compareUnionMembers(a: string, b: string): number {
  const rank = (s: string): number => (s === 'null' ? 1 : s === 'undefined' ? 2 : 0);
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

function splitUnion(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      continue;
    }
    if (c === '>' && (text[i - 1] === '=' || text[i - 1] === '-')) continue;
    if ('([{<'.includes(c)) depth++;
    else if (')]}>'.includes(c)) depth--;
    else if (depth === 0 && text.startsWith(' | ', i)) {
      parts.push(text.slice(start, i));
      start = i + 3;
      i += 2;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** Parenthesised where precedence needs it (an array of a union, a union inside an intersection). */
function wrap(printed: Printed, inUnion = false): string {
  if (printed.kind === 'function' || (!inUnion && (printed.kind === 'union' || printed.kind === 'intersection' || printed.kind === 'operator'))) return `(${printed.text})`;
  return printed.text;
}

function property(name: string, optional: boolean, readonly: boolean, type: Printed): Member {
  return { key: name, text: '', type: type.text, typeKind: type.kind, optional, readonly };
}

function withModifiers(member: Member, utility: 'Partial' | 'Required' | 'Readonly'): Member {
  if (utility === 'Partial') return { ...member, optional: true };
  if (utility === 'Required') return { ...member, optional: false };
  return { ...member, readonly: true };
}

function memberText(member: Member): string {
  if (member.type === undefined) return member.text;
  return `${member.readonly ? 'readonly ' : ''}${quoteName(member.key)}${member.optional ? '?' : ''}: ${member.type}`;
}

/** Later members win (an own property over an inherited one); sorted by name. */
function mergeMembers(members: Member[]): Member[] {
  const byKey = new Map<string, Member[]>();
  for (const member of members) {
    const list = byKey.get(member.key) ?? [];
    // Properties replace each other; method signatures with one name are overloads and stay together.
    if (member.type !== undefined) byKey.set(member.key, [member]);
    else byKey.set(member.key, [...list.filter((m) => m.type === undefined && m.text !== member.text), member]);
  }
  return [...byKey.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .flatMap(([, list]) => list.sort((x, y) => (memberText(x) < memberText(y) ? -1 : 1)));
}

function renderObject(members: Member[]): string {
  return members.length === 0 ? '{}' : `{ ${mergeMembers(members).map(memberText).join('; ')} }`;
}

function quoteName(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) || /^\[.*\]$/.test(name) ? name : JSON.stringify(name);
}

function memberName(name: ts.PropertyName | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isComputedPropertyName(name)) return `[${name.expression.getText(name.getSourceFile())}]`;
  return nameText(name);
}

function literalKeys(text: string): Set<string> | undefined {
  const keys = new Set<string>();
  for (const part of splitUnion(text)) {
    const trimmed = part.trim();
    if (!/^".*"$/.test(trimmed)) return undefined;
    keys.add(JSON.parse(trimmed) as string);
  }
  return keys;
}

/** 'a' -> "a" in checker- or printer-made text. */
function normalizeLiterals(text: string): string {
  return text.replace(/'((?:[^'\\]|\\.)*)'/g, (_, body: string) => JSON.stringify(body.replace(/\\'/g, "'")));
}

/**
 * A class whose instances are plain data (no public methods or accessors, no base class from
 * outside the project): a DTO, printed as its shape. Other classes print by name.
 */
export function isDataClass(code: CodeBase, cls: ts.ClassDeclaration): boolean {
  for (const c of code.classChain(cls)) {
    if (c.members.some((m) => (ts.isMethodDeclaration(m) || ts.isGetAccessorDeclaration(m) || ts.isSetAccessorDeclaration(m)) && isPublicInstanceMember(m))) return false;
  }
  const chain = code.classChain(cls);
  const last = chain[chain.length - 1];
  return !last.heritageClauses?.some((h) => h.token === ts.SyntaxKind.ExtendsKeyword);
}
