import { parseConfigValue, type ApplicationModule, type ApplicationModules, type ConfigVariable } from '../core/index.js';
import type { BootViolation } from './verify-live-modules.js';

/** The token of the environment ModulithModule.forRoot({ env }) reads module variables from. */
export const MODULITH_ENV = Symbol('nest-modulith:env');

/** The environment module variables are read from: `ModulithModule.forRoot({ env })`, default process.env. */
export type ModulithEnv = Readonly<Record<string, string | undefined>>;

/** A parsed variable value: string (string, url), number (integer, number), boolean, string[] (list). */
export type ConfigValue = string | number | boolean | string[];

/**
 * A feature module's own declared variables (module.json "config"), parsed by type. Every
 * @FeatureModule provides its own instance, bound to its name (a factory provider, private to the
 * module): inject it in the module's providers.
 *
 *   constructor(private readonly config: ModuleConfig) {}
 *   const ms = this.config.get<number>('MEDIA_GENERATION_MS');
 *
 * A variable the module does not declare (another module's included) throws, naming the fix.
 * Values come from `ModulithModule.forRoot({ env })` (default process.env).
 */
export class ModuleConfig {
  constructor(
    /** The module whose variables this reads. */
    readonly module: string,
    private readonly model: ApplicationModules | undefined,
    private readonly env: ModulithEnv = process.env,
  ) {}

  /**
   * The variable's value parsed by its declared type; undefined when unset and it has no default.
   * Throws for a variable the module does not declare, or a value that does not parse.
   */
  get<T extends ConfigValue = ConfigValue>(name: string): T | undefined {
    const variable = this.variable(name);
    const result = readVariable(variable, this.env);
    if (result.problem !== undefined) throw new Error(`nest-modulith: module ${this.module}: ${name} ${result.problem}`);
    return result.value as T | undefined;
  }

  /** Like get, but an unset variable (with no default) throws, naming the module and the variable. */
  getOrThrow<T extends ConfigValue = ConfigValue>(name: string): T {
    const value = this.get<T>(name);
    if (value === undefined) {
      const variable = this.variable(name);
      throw new Error(`nest-modulith: module ${this.module} needs ${name} (${variable.description}), which is not set; set it where the app runs`);
    }
    return value;
  }

  /** Whether the variable (declared by this module) has a value or a default. */
  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  private variable(name: string): ConfigVariable {
    const declared = this.model?.get(this.module);
    if (!this.model || !declared) {
      throw new Error(`nest-modulith: ModuleConfig of '${this.module}' has no module model; import ModulithModule.forRoot({ modules }) with this module`);
    }
    const variable = declared.config.find((v) => v.name === name);
    if (variable) return variable;
    const owner = this.model.modules.find((m) => m.name !== this.module && m.config.some((v) => v.name === name));
    const shown = printableName(name);
    throw new Error(
      owner
        ? `nest-modulith: module ${this.module} reads ${shown}, which module ${owner.name} declares (${owner.manifest}); a module reads only its own variables: ask ${owner.name}'s facade, or declare ${shown} in ${declared.manifest} "config" too`
        : `nest-modulith: module ${this.module} reads ${shown}, which it does not declare; declare it in ${declared.manifest} "config", e.g. "${shown}": { "description": "..." }`,
    );
  }
}

/**
 * A declared variable's value in `env`: parsed, missing (required, unset, no default), or a
 * problem naming the expected type (never the text: it may be a secret). Empty counts as unset.
 */
export function readVariable(variable: ConfigVariable, env: ModulithEnv): { value?: ConfigValue; problem?: string; missing?: boolean } {
  const raw = Object.prototype.hasOwnProperty.call(env, variable.name) ? env[variable.name] : undefined;
  const text = raw === undefined || raw === '' ? variable.default : raw;
  if (text === undefined) return variable.required ? { missing: true } : {};
  const parsed = parseConfigValue(variable, text);
  if (!parsed.ok) return { problem: `${parsed.problem} (expected ${article(variable.type)} ${variable.type}${variable.secret ? '; the value is secret and not shown' : ''})` };
  return { value: parsed.value };
}

/**
 * The boot check of the variables of the modules a process hosts: every missing required one
 * and every one that does not parse (secrets by name only, never their value).
 */
export function verifyModuleConfig(modules: readonly ApplicationModule[], env: ModulithEnv): BootViolation[] {
  const violations: BootViolation[] = [];
  for (const module of [...modules].sort((a, b) => a.name.localeCompare(b.name))) {
    for (const variable of module.config) {
      const result = readVariable(variable, env);
      const what = `${variable.name} (${variable.description}${variable.secret ? '; secret' : ''})`;
      if (result.missing) {
        violations.push({
          module: module.name,
          rule: 'missing-config',
          message: `needs ${what}, which is not set`,
          fix: `set ${variable.name} in the environment of the process that hosts ${module.name} (declared in ${module.manifest})`,
        });
      } else if (result.problem !== undefined) {
        violations.push({
          module: module.name,
          rule: 'invalid-config',
          message: `${what} ${result.problem}`,
          fix: `set ${variable.name} to ${article(variable.type)} ${variable.type} (declared in ${module.manifest})`,
        });
      }
    }
  }
  return violations;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) && type !== 'url' ? 'an' : 'a';
}

/** A name from code, shown safely (it is only a string: no control characters, bounded). */
function printableName(name: string): string {
  const clean = String(name).replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 130 ? `${clean.slice(0, 128)}…` : clean;
}
