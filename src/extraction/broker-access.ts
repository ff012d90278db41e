import { readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { loadCheckConfig } from '../boundaries/index.js';
import { loadApplicationModules, printable, type ApplicationModules } from '../core/index.js';
import {
  dottedName,
  inboxPrefix,
  namespaceToken,
  placementKey,
  relayNames,
  SubjectNameError,
  subjects,
  subjectToken,
} from '../remote/index.js';
import { CodeBase, nameText, propertyOf } from './code-base.js';
import { findEventFlows } from './event-flows.js';
import type { FacadeUse } from './extraction-report.js';
import { findFacades, type FacadeClass } from './facade-contracts.js';
import { findFacadeUses, findFacadeUsesIn } from './remote-calls.js';

/** The caller name of code outside every module (main.ts, app.module.ts, a global guard...). */
export const APP_SHELL = 'app shell';

export interface BrokerAccessOptions {
  /** Project root; default the current directory. */
  rootDir?: string;
  /** The processes besides the monolith: each the modules one service hosts (MODULITH_SERVE). */
  services: string[][];
  /** MODULITH_NAMESPACE of the deployment (default `modulith`). */
  namespace?: string;
  /** The app's entry file, project-relative; default from nest-cli.json, else src/main.ts, main.ts or app/main.ts. */
  entry?: string;
  onProgress?: (message: string) => void;
}

/** Bad input (an unknown module, a name that cannot be a subject token, an entry outside the project): exit 2. */
export class BrokerConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BrokerConfigError';
  }
}

export interface AccessFinding {
  severity: 'error' | 'warning';
  file?: string;
  line?: number;
  message: string;
  fix: string;
}

/** A facade method one process calls in another, and which of its code calls it. */
export interface RemoteCall {
  module: string;
  facade: string;
  method: string;
  subject: string;
  /** Modules hosted in the calling process (or the app shell) whose code calls it. */
  callers: string[];
}

/** What one process (a placement: every instance of it shares the credential) may do on the broker. */
export interface ProcessAccess {
  /** `monolith`, or `serve-<modules>` for a service: names its env file and its user. */
  name: string;
  /** Its placement key (`serve:media`, `remote:media`): the event relay's origin and its inbox's name. */
  placement: string;
  /** The environment that places it (MODULITH_SERVE or MODULITH_REMOTE). */
  env: Record<string, string>;
  /** The feature modules it hosts. */
  hosts: string[];
  inboxPrefix: string;
  /** Facade methods its code calls in other processes. */
  calls: RemoteCall[];
  /** Facades it serves (every method the facade declares; who may call them is the callers' permission). */
  serves: Array<{ module: string; facade: string; methods: string[] }>;
  /** Modules whose HTTP routes it serves, and those whose routes it forwards to another process (the public URL's gateway). */
  http: { serves: string[]; forwards: string[] };
  /** Events it publishes (through the relay) and its durable consumer. */
  events: { publishes: Array<{ name: string; subject: string; publishers: string[] }>; consumer: { stream: string; durable: string } | null };
  /** The processes that may call it: it may publish to their reply inboxes (its answers). */
  replies: string[];
  /** Every subject it may publish to, and subscribe to (NATS permissions, `allow` lists). */
  publish: string[];
  subscribe: string[];
}

export interface BrokerAccess {
  namespace: string;
  /** The entry file the app shell was read from (null: none found). */
  entry: string | null;
  /** App-shell files reached from the entry: their facade calls are the shell's. */
  shellFiles: string[];
  /** The event relay's stream (null: the code has no module events, so no relay permissions). */
  stream: string | null;
  processes: ProcessAccess[];
  /** The user that creates the stream and consumers (`modulith broker-config --provision`); null without events. */
  provisioner: { name: 'provision'; inboxPrefix: string; publish: string[]; subscribe: string[] } | null;
  findings: AccessFinding[];
}

/**
 * Who may do what on the broker, from the module graph and the code: for each process of a
 * deployment (the monolith, and one per extracted service), the facade methods its hosted code
 * calls in other processes (declared dependencies only, plus the app shell's calls), the facades
 * and HTTP routes it serves, the events it publishes and the JetStream subjects of its own
 * consumer. `modulith broker-config` writes NATS authorization from it.
 */
export async function analyzeBrokerAccess(options: BrokerAccessOptions): Promise<BrokerAccess> {
  const rootDir = resolve(options.rootDir ?? process.cwd());
  const progress = options.onProgress ?? (() => undefined);
  const namespace = guard(() => namespaceToken(options.namespace ?? 'modulith'));
  progress('loading configuration');
  const config = await loadCheckConfig(rootDir);
  const model = loadApplicationModules(rootDir, { roots: config.options.roots });
  const services = checkServices(model, options.services);
  const findings: AccessFinding[] = [];

  const entry = options.entry !== undefined ? checkEntry(rootDir, options.entry) : findEntry(rootDir);
  if (!entry) {
    findings.push({
      severity: 'warning',
      message: 'no entry file of the app found (nest-cli.json, src/main.ts, main.ts, app/main.ts), so no facade call of the app shell is allowed',
      fix: 'pass --entry with the file that bootstraps the app (e.g. --entry src/main.ts)',
    });
  }

  progress('reading the code');
  const code = CodeBase.load(model, { tsconfig: config.options.tsConfig, extraRoots: entry ? [entry] : [] });
  const shell = entry ? shellFiles(code, model, entry) : [];

  progress('facades and calls');
  const facades: Array<FacadeClass & { methods: string[] }> = [];
  for (const module of model.modules) {
    if (module.shared) continue;
    for (const facade of findFacades(code, module).facades) {
      if (facade.source !== 'feature-module') continue;
      const methods = declaredMethods(code, facade.declaration);
      if (!methods) {
        findings.push({
          severity: 'error',
          ...code.location(facade.declaration),
          message: `${facade.name} has no @Facade({...}) object literal listing its methods, so no method of it is allowed on the broker`,
          fix: `write @Facade<${facade.name}>({ method: true, ... }) above 'abstract class ${facade.name}'`,
        });
      }
      // Every name a client or server puts into a subject, whether or not someone calls it today.
      guard(() => subjects.facade(namespace, module.name, facade.name));
      for (const method of methods ?? []) guard(() => subjectToken('facade method', method));
      facades.push({ ...facade, methods: methods ?? [] });
    }
  }
  const uses: FacadeUse[] = [
    ...findFacadeUses(code, facades),
    ...findFacadeUsesIn(
      code,
      facades,
      shell.map((file) => ({ caller: APP_SHELL, source: code.program.getSourceFile(resolve(rootDir, file))! })).filter((f) => f.source),
    ),
  ];
  const routes = new Set(model.modules.filter((m) => !m.shared && hasRoutes(code, m.name)).map((m) => m.name));
  // Only feature modules are placed (other modules of the model, e.g. libraries, are not processes' business).
  const features = new Set(model.modules.filter((m) => !m.shared && featureModuleOf(code, m.name)).map((m) => m.name));
  for (const name of services.flat()) {
    if (!features.has(name)) throw new BrokerConfigError(`${name} has no @FeatureModule, so no process can host it on its own (ModulithModule places feature modules)`);
  }

  progress('events');
  const flows = findEventFlows(code);
  const relay = flows.events.size > 0;

  const extracted = new Set(services.flat());
  const placements = [
    { serve: undefined as string[] | undefined, remote: [...extracted].sort(), hosts: [...features].filter((m) => !extracted.has(m)).sort() },
    ...services.map((modules) => ({ serve: [...modules].sort(), remote: undefined as string[] | undefined, hosts: [...modules].sort() })),
  ];

  const processes = placements.map((placement): ProcessAccess => {
    const key = placementKey(placement);
    const hosted = new Set(placement.hosts);
    const isHere = (module: string) => hosted.has(module) || model.get(module)?.shared === true;
    const runsHere = (caller: string) => caller === APP_SHELL || isHere(caller);

    const calls = new Map<string, RemoteCall>();
    for (const use of uses) {
      if (!runsHere(use.caller) || isHere(use.module)) continue;
      const facade = facades.find((f) => f.module === use.module && f.name === use.facade);
      if (!facade) continue;
      const site = use.sites[0];
      if (use.caller !== APP_SHELL && !model.mayUse(use.caller, use.module)) {
        findings.push({
          severity: 'error',
          ...site,
          message: `${use.caller} injects ${use.facade} of ${use.module} without declaring the dependency in its module.json, so ${key} may not call it on the broker`,
          fix: `add "${use.module}" to "dependsOn" in ${model.get(use.caller)!.manifest} (if it belongs there), then run modulith broker-config again`,
        });
        continue;
      }
      let methods = use.methods.filter((m) => facade.methods.includes(m));
      const unknown = use.methods.filter((m) => !facade.methods.includes(m));
      if (unknown.length > 0) {
        findings.push({
          severity: 'warning',
          ...site,
          message: `${use.caller} calls ${unknown.map((m) => `${use.facade}.${m}`).join(', ')}, which @Facade does not list: the serving process refuses ${unknown.length === 1 ? 'it' : 'them'}, so no permission is written for ${unknown.length === 1 ? 'it' : 'them'}`,
          fix: `list ${unknown.join(', ')} in @Facade on ${use.facade}, or stop calling ${unknown.length === 1 ? 'it' : 'them'}`,
        });
      }
      if (use.methods.length === 0) {
        methods = facade.methods;
        findings.push({
          severity: 'warning',
          ...site,
          message: `${use.caller} injects ${use.facade} but no call like this.<property>.<method>() shows which methods it uses, so ${key} may call all of them (${facade.methods.join(', ')})`,
          fix: `call the facade through the injected property (this.${lowerFirst(use.facade)}.method()) so the methods can be read from the code`,
        });
      }
      for (const method of methods) {
        const subject = guard(() => subjects.facadeMethod(namespace, use.module, use.facade, method));
        const call = calls.get(subject) ?? { module: use.module, facade: use.facade, method, subject, callers: [] };
        if (!call.callers.includes(use.caller)) call.callers.push(use.caller);
        calls.set(subject, call);
      }
    }

    const serves = facades.filter((f) => hosted.has(f.module)).map((f) => ({ module: f.module, facade: f.name, methods: [...f.methods].sort() }));
    // The public URL is the monolith's: it forwards the routes of the modules that run elsewhere.
    const http = {
      serves: placement.hosts.filter((m) => routes.has(m)),
      forwards: placement.serve ? [] : [...extracted].filter((m) => routes.has(m)).sort(),
    };

    const publishes = new Map<string, { name: string; subject: string; publishers: string[] }>();
    if (relay) {
      for (const publication of flows.publications) {
        if (!isHere(publication.module)) continue;
        const name = publication.event.name;
        if (name === null) {
          findings.push({
            severity: 'error',
            file: publication.file,
            line: publication.line,
            message: `the name of event ${publication.event.class} is not a string literal, so ${key} is not allowed to relay it`,
            fix: `write @ModuleEvent({ name: '<module>.<what happened>', version: 1 }) with the name inline`,
          });
          continue;
        }
        guard(() => dottedName('event name', name));
        const entry = publishes.get(name) ?? { name, subject: relayNames(namespace, key).subjectOf(name), publishers: [] };
        if (!entry.publishers.includes(publication.module)) entry.publishers.push(publication.module);
        publishes.set(name, entry);
      }
    }
    const names = relayNames(namespace, key);
    const consumer = relay ? { stream: names.stream, durable: names.durable } : null;
    const inbox = inboxPrefix(namespace, key);

    const sortedCalls = [...calls.values()].sort((a, b) => a.subject.localeCompare(b.subject));
    const publish = [
      ...sortedCalls.map((c) => c.subject),
      ...http.forwards.map((m) => guard(() => subjects.http(namespace, m))),
      ...[...publishes.values()].map((e) => e.subject),
      ...(consumer ? jetStreamConsumerSubjects(consumer.stream, consumer.durable) : []),
    ];
    const subscribe = [
      `${inbox}.>`,
      ...serves.flatMap((f) => {
        const subject = guard(() => subjects.facade(namespace, f.module, f.facade));
        return [subject, `${subject}.*`];
      }),
      ...http.serves.map((m) => guard(() => subjects.http(namespace, m))),
    ];
    return {
      name: placement.serve ? `serve-${placement.serve.join('+')}` : 'monolith',
      placement: key,
      env: placement.serve ? { MODULITH_SERVE: placement.serve.join(',') } : { MODULITH_REMOTE: placement.remote!.join(',') },
      hosts: placement.hosts,
      inboxPrefix: inbox,
      calls: sortedCalls.map((c) => ({ ...c, callers: c.callers.sort() })),
      serves,
      http,
      events: { publishes: [...publishes.values()].sort((a, b) => a.name.localeCompare(b.name)), consumer },
      replies: [],
      publish: unique(publish),
      subscribe: unique(subscribe),
    };
  });

  // Replies go only to the inboxes of the processes that may call this one (never NATS'
  // `allow_responses`, which lets a caller pick any reply subject and have this process publish
  // there: another facade, or a JetStream API call such as deleting the stream).
  for (const p of processes) {
    const callers = processes.filter(
      (q) => q !== p && (q.calls.some((c) => p.hosts.includes(c.module)) || q.http.forwards.some((m) => p.http.serves.includes(m))),
    );
    p.replies = callers.map((q) => q.name);
    p.publish = unique([...p.publish, ...callers.map((q) => `${q.inboxPrefix}.>`)]);
  }

  const stream = relay ? relayNames(namespace, 'x').stream : null;
  const provisioner = stream
    ? (() => {
        const inbox = inboxPrefix(namespace, 'provision');
        return {
          name: 'provision' as const,
          inboxPrefix: inbox,
          publish: unique([
            '$JS.API.INFO',
            `$JS.API.STREAM.INFO.${stream}`,
            `$JS.API.STREAM.CREATE.${stream}`,
            `$JS.API.STREAM.UPDATE.${stream}`,
            ...processes.flatMap((p) => {
              const durable = p.events.consumer!.durable;
              return [
                `$JS.API.CONSUMER.INFO.${stream}.${durable}`,
                `$JS.API.CONSUMER.CREATE.${stream}.${durable}`,
                `$JS.API.CONSUMER.CREATE.${stream}.${durable}.>`,
                `$JS.API.CONSUMER.DURABLE.CREATE.${stream}.${durable}`,
              ];
            }),
          ]),
          subscribe: [`${inbox}.>`],
        };
      })()
    : null;

  return { namespace, entry, shellFiles: shell, stream, processes, provisioner, findings: dedupe(findings) };
}

/**
 * What a process's relay does on JetStream with its own durable pull consumer, and nothing more:
 * look up the stream and its consumer (created beforehand by the provisioning user), pull, and
 * acknowledge. Creating or changing streams and consumers is not among them: whoever may create
 * a consumer may have it deliver to any subject, facades included.
 */
function jetStreamConsumerSubjects(stream: string, durable: string): string[] {
  return [
    '$JS.API.INFO',
    `$JS.API.STREAM.INFO.${stream}`,
    `$JS.API.CONSUMER.INFO.${stream}.${durable}`,
    `$JS.API.CONSUMER.MSG.NEXT.${stream}.${durable}`,
    `$JS.ACK.${stream}.${durable}.>`,
  ];
}

function checkServices(model: ApplicationModules, services: string[][]): string[][] {
  if (services.length === 0) throw new BrokerConfigError('name the modules that run in their own process, e.g. `modulith broker-config media` (one argument per service; `a,b` for one service hosting both)');
  const seen = new Set<string>();
  return services.map((modules) => {
    if (modules.length === 0) throw new BrokerConfigError('an empty service: each argument names the modules of one service, e.g. media or media,billing');
    for (const name of modules) {
      const module = model.get(name);
      if (!module) {
        throw new BrokerConfigError(`no module named '${printable(name)}' (known: ${model.modules.filter((m) => !m.shared).map((m) => m.name).join(', ') || 'none'})`);
      }
      if (module.shared) throw new BrokerConfigError(`${name} is a shared module: it runs in every process, never in a service of its own`);
      guard(() => subjectToken('module name', name));
      if (seen.has(name)) throw new BrokerConfigError(`${name} is named twice: a module runs in one service`);
      seen.add(name);
    }
    return modules;
  });
}

/** The first of the usual entry files that exists (nest-cli.json's sourceRoot/entryFile first). */
function findEntry(rootDir: string): string | null {
  const candidates: string[] = [];
  try {
    const nest = JSON.parse(readFileSync(resolve(rootDir, 'nest-cli.json'), 'utf8')) as { sourceRoot?: unknown; entryFile?: unknown };
    const sourceRoot = typeof nest.sourceRoot === 'string' ? nest.sourceRoot : 'src';
    const entryFile = typeof nest.entryFile === 'string' ? nest.entryFile : 'main';
    candidates.push(`${sourceRoot}/${entryFile}.ts`, `${entryFile}.ts`);
  } catch {
    // no nest-cli.json (or not JSON): the usual places
  }
  candidates.push('src/main.ts', 'main.ts', 'app/main.ts');
  for (const candidate of candidates) {
    try {
      return checkEntry(rootDir, candidate);
    } catch {
      // next
    }
  }
  return null;
}

/** The entry file as a project-relative path, refused when it is outside the project or no TypeScript/JavaScript file. */
function checkEntry(rootDir: string, entry: string): string {
  if (typeof entry !== 'string' || entry.trim() === '' || /[\0\r\n]/.test(entry)) throw new BrokerConfigError('--entry must name a file');
  const absolute = resolve(rootDir, entry);
  let real: string;
  try {
    real = realpathSync(absolute);
  } catch {
    throw new BrokerConfigError(`--entry ${printable(entry)}: no such file`);
  }
  const inside = relative(realpathSync(rootDir), real);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) throw new BrokerConfigError(`--entry ${printable(entry)} is outside the project`);
  if (!statSync(real).isFile() || !/\.(ts|mts|cts|js|mjs|cjs)$/.test(real)) throw new BrokerConfigError(`--entry ${printable(entry)} is not a TypeScript or JavaScript file`);
  return relative(rootDir, absolute).split(sep).join('/');
}

/** App-shell files the entry reaches through its imports (files of modules are their modules' own). */
function shellFiles(code: CodeBase, model: ApplicationModules, entry: string): string[] {
  const start = code.program.getSourceFile(resolve(model.rootDir, entry));
  if (!start) return [];
  const seen = new Set<ts.SourceFile>([start]);
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift()!;
    const specifiers: ts.Expression[] = [];
    const visit = (node: ts.Node): void => {
      if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) specifiers.push(node.moduleSpecifier);
      else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0]) specifiers.push(node.arguments[0]);
      ts.forEachChild(node, visit);
    };
    visit(file);
    for (const specifier of specifiers) {
      const target = code.checker.getSymbolAtLocation(specifier)?.valueDeclaration;
      if (!target || !ts.isSourceFile(target) || seen.has(target) || !code.isProjectFile(target)) continue;
      const path = relative(model.rootDir, target.fileName).split(sep).join('/');
      if (path.startsWith('..') || model.moduleOf(path)) continue;
      seen.add(target);
      queue.push(target);
    }
  }
  return [...seen].map((s) => relative(model.rootDir, s.fileName).split(sep).join('/')).sort();
}

/** The method names @Facade({...}) lists, or undefined without a literal list. */
function declaredMethods(code: CodeBase, declaration: ts.ClassDeclaration): string[] | undefined {
  const decorator = code.decorator(declaration, 'Facade');
  let list = decorator?.args[0] && code.initializerOf(decorator.args[0]);
  while (list && (ts.isAsExpression(list) || ts.isSatisfiesExpression(list) || ts.isParenthesizedExpression(list))) list = list.expression;
  if (!list || !ts.isObjectLiteralExpression(list)) return undefined;
  const names = list.properties.map((p) => nameText(p.name as ts.PropertyName | undefined));
  if (names.some((n) => n === undefined)) return undefined;
  return [...new Set(names as string[])].sort();
}

function featureModuleOf(code: CodeBase, module: string): ts.ClassDeclaration | undefined {
  for (const source of code.filesOf(module)) {
    for (const statement of source.statements) {
      if (ts.isClassDeclaration(statement) && code.decorator(statement, 'FeatureModule')) return statement;
    }
  }
  return undefined;
}

/** Does the module's @FeatureModule list controllers (or a list that cannot be read: assume so)? */
function hasRoutes(code: CodeBase, module: string): boolean {
  for (const source of code.filesOf(module)) {
    for (const statement of source.statements) {
      if (!ts.isClassDeclaration(statement)) continue;
      const feature = code.decorator(statement, 'FeatureModule');
      if (!feature) continue;
      const options = feature.args[0] && code.initializerOf(feature.args[0]);
      const controllers = propertyOf(options, 'controllers');
      if (!controllers) return false;
      const list = code.initializerOf(controllers);
      return !ts.isArrayLiteralExpression(list) || list.elements.length > 0;
    }
  }
  return false;
}

/** Runs a naming step; a name that cannot be a subject token becomes a BrokerConfigError. */
function guard<T>(step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (error instanceof SubjectNameError) throw new BrokerConfigError(error.message);
    throw error;
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function dedupe(findings: AccessFinding[]): AccessFinding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.severity}\0${f.file}\0${f.line}\0${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1).replace(/Facade$/, '');
}

