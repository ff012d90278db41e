import type ts from 'typescript';

/** What a type parameter stands for at one reference: the argument written there, read in the scope it was written in. */
export interface Binding {
  node: ts.TypeNode;
  subst: Subst;
}
export type Subst = ReadonlyMap<ts.Symbol, Binding>;

/**
 * Binds a generic declaration's type parameters to the arguments written at a reference (read
 * in `outer`, the reference's scope), or to their defaults (read in the new scope itself).
 * Shared by the wire-type walker (extraction) and the contract printer (contracts).
 */
export function bindTypeParameters(
  checker: ts.TypeChecker,
  parameters: ts.NodeArray<ts.TypeParameterDeclaration> | undefined,
  args: ts.NodeArray<ts.TypeNode> | undefined,
  outer: Subst,
): Subst {
  const subst = new Map<ts.Symbol, Binding>();
  parameters?.forEach((parameter, index) => {
    const symbol = checker.getSymbolAtLocation(parameter.name);
    const node = args?.[index] ?? parameter.default;
    if (symbol && node) subst.set(symbol, { node, subst: args?.[index] ? outer : subst });
  });
  return subst;
}
