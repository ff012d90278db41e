import { existsSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { isModuleName, loadApplicationModules, MODULE_NAME_RULE, ModuleModelError, readProjectConfig, suggestModuleName, type ApplicationModule, type Problem } from '../core/index.js';
import { createAnalysisProgram, readCompilerOptions, usesJsExtensions } from '../leaks/index.js';
import { camelCase, manifestText, pascalCase, readPackageJson, schemaRef, withRoots, writeNew, type PackageJson } from './project-files.js';
import { applyAssetsPlan, newModuleRoot, planModuleJsonAsset } from './project-layout.js';

export interface NewModuleOptions {
  /** Modules the new one depends on (their names); their Nest modules are imported through their public APIs. */
  dependsOn?: string[];
  /** tsconfig deciding the import style, relative to rootDir; default `tsconfig.json`. */
  tsconfig?: string;
}

export interface NewModuleResult {
  name: string;
  /** Project-relative folder of the new module, e.g. `src/modules/order-history`. */
  dir: string;
  dependsOn: string[];
  /** Files written, project-relative, in the order written. */
  written: string[];
  /** Names the CLI can print: the Nest module class and the facade class. */
  moduleClass: string;
  facadeClass: string;
  /** Next steps and remarks for the CLI to print. */
  notes: string[];
}

/** Lowercase kebab-case identifier: `billing`, `order-history`, `v2-sync` (the rule of core, which the model loader and the schema share). */
export { MODULE_NAME } from '../core/index.js';

/**
 * `modulith new NAME [--depends-on a,b]`: scaffolds a sealed module in the first modules root:
 * module.json, index.ts (the public API: Nest module, facade and its data types), the
 * @FeatureModule, an abstract facade (with @Facade, so it can be extracted) with one async method
 * over plain data, its implementation in internal/, and a spec booting the module (Vitest when the
 * app uses it, else Jest). Relative imports follow the app's module system: `.js` extensions for
 * ESM under Node16/NodeNext, none for CommonJS. The result passes `modulith check`, the boot
 * verification and `modulith extract NAME`. A project without a modules root yet (no "modulith" key
 * in package.json, no modules/ folder: a fresh `nest new` app) gets what `modulith init` would set
 * up: the root `<sourceRoot>/modules` recorded in package.json; and nest-cli.json always copies
 * module.json files into dist/. Throws ModuleModelError (naming the file and the fix) for a bad
 * name, an existing folder or unknown dependencies; writes nothing then.
 */
export function newModule(rootDir: string, name: string, options: NewModuleOptions = {}): NewModuleResult {
  const absRoot = resolve(rootDir);
  const target = newModuleRoot(absRoot);
  const roots = target.record ? [target.root] : readProjectConfig(absRoot).roots;
  const firstRoot = target.root;
  // A fresh project may not have its modules root yet (that is what `new` is for): the model is
  // read from the roots that exist, and writing the first file creates the folder.
  // A declared cycle elsewhere (baselined while a team untangles it) does not block a new module,
  // which nothing depends on yet.
  const model = loadApplicationModules(absRoot, { roots: roots.filter((r) => existsSync(join(absRoot, r))), allowCycles: true });
  const dir = firstRoot === '.' ? name : `${firstRoot}/${name}`;
  const dependsOn = [...new Set((options.dependsOn ?? []).map((d) => d.trim()).filter(Boolean))];

  const problems: Problem[] = [];
  if (!isModuleName(name)) {
    const suggestion = suggestModuleName(name);
    const shown = JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}...` : name).slice(1, -1);
    problems.push({
      file: `${firstRoot === '.' ? '' : `${firstRoot}/`}${shown}/module.json`,
      message: `'${shown}' is not a valid module name (${MODULE_NAME_RULE})`,
      fix: suggestion ? `use '${suggestion}'` : "use a name such as 'order-history'",
    });
  } else {
    const existing = model.get(name);
    if (existing) {
      problems.push({ file: existing.manifest, message: `module '${name}' already exists`, fix: 'choose another name, or edit the existing module' });
    } else if (existsSync(join(absRoot, dir))) {
      problems.push({ file: dir, message: `folder ${dir}/ already exists`, fix: `choose another name, or run \`modulith init\` to adopt the existing folder` });
    }
  }
  for (const dep of dependsOn) {
    if (dep === name) {
      problems.push({ file: `${dir}/module.json`, message: `'${name}' cannot depend on itself`, fix: `remove '${dep}' from --depends-on` });
    } else if (!model.get(dep)) {
      const valid = isModuleName(dep);
      problems.push({
        file: `${dir}/module.json`,
        message: `--depends-on names unknown module '${JSON.stringify(dep.slice(0, 80)).slice(1, -1)}'${valid ? '' : ` (not a valid module name: ${MODULE_NAME_RULE})`}`,
        fix: `use one of: ${model.names.join(', ') || '(no modules yet)'}${valid ? `, or create '${dep}' first with \`modulith new ${dep}\`` : ''}`,
      });
    }
  }
  if (problems.length > 0) throw new ModuleModelError(problems);

  const compiler = readCompilerOptions(absRoot, options.tsconfig);
  const assets = planModuleJsonAsset(absRoot, firstRoot);
  const absDir = join(absRoot, dir);
  const ext = usesJsExtensions(compiler.options, absDir) ? '.js' : '';
  const pkg = readPackageJson(absRoot);
  const deps = dependsOn.map((d) => model.require(d)).sort((a, b) => a.name.localeCompare(b.name));
  const notes: string[] = [];
  const nestModules = nestModuleClasses(absRoot, deps, compiler.options);
  const depImports: Array<{ className: string; from: string }> = [];
  for (const dep of deps) {
    const className = nestModules.get(dep.name);
    if (!className) {
      notes.push(`${dep.entry ?? `${dep.dir}/index.ts`} exports no Nest module class, so ${pascalCase(name)}Module does not import one for '${dep.name}'`);
      continue;
    }
    const from = relative(join(absRoot, dir), join(absRoot, dep.dir)).split(sep).join('/');
    depImports.push({ className, from: `${from}/index${ext}` });
  }

  const names = {
    kebab: name,
    pascal: pascalCase(name),
    camel: camelCase(name),
    module: `${pascalCase(name)}Module`,
    facade: `${pascalCase(name)}Facade`,
    service: `${pascalCase(name)}Service`,
    request: `${pascalCase(name)}Request`,
    result: `${pascalCase(name)}Result`,
  };
  const files: Array<[string, string]> = [
    ['module.json', manifestText(schemaRef(absRoot, absDir, pkg), name, deps.map((d) => d.name))],
    ['index.ts', indexTemplate(names, ext)],
    [`${name}.facade.ts`, facadeTemplate(names)],
    [`${name}.module.ts`, moduleTemplate(names, ext, depImports)],
    [`internal/${name}.service.ts`, serviceTemplate(names, ext)],
    [`${name}.service.spec.ts`, specTemplate(names, ext, testFunctionsFrom(pkg))],
  ];
  const written: string[] = [];
  for (const [file, text] of files) {
    if (writeNew(join(absDir, file), text)) written.push(`${dir}/${file}`);
  }
  // What `modulith init` would have set up: the root recorded, module.json copied into dist/.
  if (target.record) {
    if (pkg) writeFileSync(join(absRoot, 'package.json'), withRoots(pkg, roots));
    else writeNew(join(absRoot, 'package.json'), `${JSON.stringify({ modulith: { roots } }, null, 2)}\n`);
    written.push('package.json');
    notes.push(`package.json: "modulith": { "roots": ${JSON.stringify(roots)} } (where modulith finds the modules)`);
  }
  applyAssetsPlan(absRoot, assets, written, notes);
  notes.push(`add ${names.module} to ModulithModule.forRoot({ modules: [...] }) in your app module`);
  return { name, dir, dependsOn: deps.map((d) => d.name), written, moduleClass: names.module, facadeClass: names.facade, notes };
}

type Names = Record<'kebab' | 'pascal' | 'camel' | 'module' | 'facade' | 'service' | 'request' | 'result', string>;

function indexTemplate(n: Names, ext: string): string {
  return `// Public API of the ${n.kebab} module: other modules and the app shell import from here only.
export { ${n.module} } from './${n.kebab}.module${ext}';
export { ${n.facade}, type ${n.request}, type ${n.result} } from './${n.kebab}.facade${ext}';
`;
}

function facadeTemplate(n: Names): string {
  return `import { Facade } from 'nest-modulith';

/** What callers send to ${n.kebab}. Plain data: no entities, no classes from inside the module. */
export interface ${n.request} {
  id: string;
}

/** What ${n.kebab} answers. Plain data, safe to send over a transport when the module is extracted. */
export interface ${n.result} {
  id: string;
  status: string;
}

/**
 * The public surface of ${n.kebab}: other modules inject this abstract class, never the service
 * behind it. @Facade lists its methods (a compile error when one is missing): what a remote client
 * implements once ${n.kebab} runs in its own process.
 */
@Facade<${n.facade}>({ get: true })
export abstract class ${n.facade} {
  abstract get(request: ${n.request}): Promise<${n.result}>;
}
`;
}

function moduleTemplate(n: Names, ext: string, deps: Array<{ className: string; from: string }>): string {
  const imports = deps.map((d) => `import { ${d.className} } from '${d.from}';\n`).join('');
  const importsLine = deps.length > 0 ? `  imports: [${deps.map((d) => d.className).join(', ')}],\n` : '';
  return `import { FeatureModule } from 'nest-modulith';
${imports}import { ${n.facade} } from './${n.kebab}.facade${ext}';
import { ${n.service} } from './internal/${n.kebab}.service${ext}';

@FeatureModule({
  name: '${n.kebab}',
${importsLine}  facades: [{ provide: ${n.facade}, useClass: ${n.service} }],
})
export class ${n.module} {}
`;
}

function serviceTemplate(n: Names, ext: string): string {
  return `import { Injectable } from '@nestjs/common';
import { ${n.facade}, type ${n.request}, type ${n.result} } from '../${n.kebab}.facade${ext}';

/** Implements the facade. Internal: nothing outside ${n.kebab} imports this file. */
@Injectable()
export class ${n.service} implements ${n.facade} {
  async get(request: ${n.request}): Promise<${n.result}> {
    return { id: request.id, status: 'ok' };
  }
}
`;
}

/**
 * What the generated spec imports its test functions from: `vitest` when the app tests with
 * Vitest, `@jest/globals` for a Jest app without @types/jest, else nothing (Jest's globals, as
 * in a `nest new` app).
 */
function testFunctionsFrom(pkg: PackageJson | undefined): string | undefined {
  const deps = { ...(pkg?.data.dependencies as object | undefined), ...(pkg?.data.devDependencies as object | undefined) };
  if (Object.hasOwn(deps, 'vitest')) return 'vitest';
  if (Object.hasOwn(deps, '@jest/globals') && !Object.hasOwn(deps, '@types/jest')) return '@jest/globals';
  return undefined;
}

function specTemplate(n: Names, ext: string, testFunctions: string | undefined): string {
  return `${testFunctions ? `import { describe, expect, it } from '${testFunctions}';\n` : ''}import { Test } from '@nestjs/testing';
import { ${n.facade}, ${n.module} } from './index${ext}';

describe('${n.kebab}', () => {
  it('answers through its facade', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [${n.module}] }).compile();
    const ${n.camel} = moduleRef.get(${n.facade});
    await expect(${n.camel}.get({ id: '42' })).resolves.toEqual({ id: '42', status: 'ok' });
    await moduleRef.close();
  });
});
`;
}

/**
 * The Nest module class each dependency's public API exports: an exported class decorated with
 * @FeatureModule/@Module, else one whose name ends in `Module`. Read with the compiler, so it
 * sees through `export *` barrels.
 */
function nestModuleClasses(absRoot: string, deps: readonly ApplicationModule[], options: ts.CompilerOptions): Map<string, string> {
  const found = new Map<string, string>();
  const withEntry = deps.filter((d) => d.entry && /\.(m?ts|tsx)$/.test(d.entry));
  if (withEntry.length === 0) return found;
  const program = createAnalysisProgram(withEntry.map((d) => join(absRoot, d.entry!)), options);
  const checker = program.getTypeChecker();
  for (const dep of withEntry) {
    const source = program.getSourceFile(join(absRoot, dep.entry!));
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (!moduleSymbol) continue;
    let byName: string | undefined;
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const classes = (target.declarations ?? []).filter(ts.isClassDeclaration);
      if (classes.length === 0) continue;
      const decorated = classes.some((c) =>
        (ts.getDecorators(c) ?? []).some((d) => {
          const callee = ts.isCallExpression(d.expression) ? d.expression.expression : d.expression;
          return ts.isIdentifier(callee) && (callee.text === 'FeatureModule' || callee.text === 'Module');
        }),
      );
      if (decorated) {
        found.set(dep.name, exported.name);
        break;
      }
      if (!byName && exported.name.endsWith('Module')) byName = exported.name;
    }
    if (!found.has(dep.name) && byName) found.set(dep.name, byName);
  }
  return found;
}
