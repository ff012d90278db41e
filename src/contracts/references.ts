import ts from 'typescript';
import { forEachNode, type CodeBase } from '../extraction/index.js';

/**
 * Records the files a name's meaning depends on: every import and re-export it goes through
 * (`import { X } from '../billing/index.js'`, `export { X } from './x.js'`), and the whole
 * `export ... from` closure of each module file such a step names (an `export *` barrel decides
 * what a name means without being a step of its own). A contract computed from these names changes
 * only when one of these files (or a declaration printed) does.
 */
export class References {
  private readonly closures = new Map<ts.SourceFile, string[]>();

  constructor(
    private readonly code: CodeBase,
    private readonly files: Set<string>,
  ) {}

  /** The identifiers of a node (a decorator, a heritage clause, `new X`), each followed through its aliases. */
  inside(node: ts.Node | undefined): void {
    if (!node) return;
    forEachNode(node, (child) => {
      if (ts.isIdentifier(child)) this.name(child);
    });
  }

  name(identifier: ts.Node): void {
    let symbol: ts.Symbol | undefined;
    try {
      symbol = this.code.checker.getSymbolAtLocation(identifier);
    } catch {
      return;
    }
    this.symbol(symbol);
  }

  symbol(start: ts.Symbol | undefined): void {
    let symbol = start;
    for (let guard = 0; symbol && symbol.flags & ts.SymbolFlags.Alias && guard < 32; guard++) {
      for (const declaration of symbol.declarations ?? []) {
        this.add(declaration.getSourceFile());
        const specifier = moduleSpecifierOf(declaration);
        const target = specifier && this.code.checker.getSymbolAtLocation(specifier)?.valueDeclaration;
        if (target && ts.isSourceFile(target)) for (const file of this.closure(target)) this.files.add(file);
      }
      try {
        symbol = this.code.checker.getImmediateAliasedSymbol(symbol);
      } catch {
        return;
      }
    }
    for (const declaration of symbol?.declarations ?? []) this.add(declaration.getSourceFile());
  }

  /** A file and every file its `export ... from` declarations reach. */
  closure(source: ts.SourceFile): string[] {
    let files = this.closures.get(source);
    if (files) return files;
    const seen = new Set<ts.SourceFile>();
    const visit = (file: ts.SourceFile): void => {
      if (seen.has(file) || !this.code.isProjectFile(file)) return;
      seen.add(file);
      for (const statement of file.statements) {
        if (!ts.isExportDeclaration(statement) || !statement.moduleSpecifier) continue;
        const target = this.code.checker.getSymbolAtLocation(statement.moduleSpecifier)?.valueDeclaration;
        if (target && ts.isSourceFile(target)) visit(target);
      }
    };
    visit(source);
    files = [...seen].map((s) => this.code.path(s));
    this.closures.set(source, files);
    return files;
  }

  private add(source: ts.SourceFile): void {
    if (this.code.isProjectFile(source)) this.files.add(this.code.path(source));
  }
}

function moduleSpecifierOf(declaration: ts.Declaration): ts.Expression | undefined {
  if (ts.isImportSpecifier(declaration)) return declaration.parent.parent.parent.moduleSpecifier;
  if (ts.isImportClause(declaration)) return declaration.parent.moduleSpecifier;
  if (ts.isNamespaceImport(declaration)) return declaration.parent.parent.moduleSpecifier;
  if (ts.isExportSpecifier(declaration)) return declaration.parent.parent.moduleSpecifier;
  if (ts.isNamespaceExport(declaration)) return declaration.parent.moduleSpecifier;
  if (ts.isImportEqualsDeclaration(declaration) && ts.isExternalModuleReference(declaration.moduleReference)) return declaration.moduleReference.expression;
  return undefined;
}
