import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { IConfiguration, ICruiseOptions, IFlattenedRuleSet } from 'dependency-cruiser';
import { isModulithRule } from '../rules.js';
import { CheckConfigError, isConfigurationError } from './check-config-error.js';
import { modulithRules } from './modulith-rules.js';
import { MODULITH_OPTIONS, ROOT_DIR_HINT, resolveModulithOptions, type ModulithOptions } from './modulith-options.js';
import { missingTsConfigWarning } from './tsconfig-warning.js';

/** dependency-cruiser's own search order for its configuration file. */
export const CONFIG_FILES = ['.dependency-cruiser.js', '.dependency-cruiser.cjs', '.dependency-cruiser.mjs', '.dependency-cruiser.json'];

/** Everything the check takes from a project's configuration. */
export interface CheckConfig {
  options: ModulithOptions;
  /** dependency-cruiser options from the config file (or the generated defaults). */
  cruiseOptions: ICruiseOptions;
  /** Rules the user added beyond modulith's generated ones; dependency-cruiser validates them. */
  extraRules: IFlattenedRuleSet | undefined;
  /** The config file, project-relative; undefined when the defaults are used. */
  file: string | undefined;
}

export interface LoadCheckConfigOptions {
  /** tsconfig to resolve imports with (`--tsconfig`), project-relative; wins over the one the config names or discovery finds. */
  tsConfig?: string;
  /** Told about what makes the check half-blind without failing it (path aliases in a tsconfig it did not find). */
  onWarning?: (message: string) => void;
}

/**
 * Loads `.dependency-cruiser.js` (or its siblings) the way dependency-cruiser would, plus the
 * modulith options the helper attached to it. Without one, the defaults are what
 * `modulithRules()` generates for the project. A file that fails to load is a CheckConfigError
 * naming it; a broken module model inside it surfaces as the ModuleModelError it is.
 */
export async function loadCheckConfig(rootDir: string, overrides: LoadCheckConfigOptions = {}): Promise<CheckConfig> {
  const file = CONFIG_FILES.find((f) => existsSync(join(rootDir, f)));
  let loaded: CheckConfig;
  if (!file) {
    loaded = fromConfiguration(modulithRules({ rootDir, ...(overrides.tsConfig ? { tsConfig: overrides.tsConfig } : {}) }), rootDir, undefined);
  } else {
    let config = await importConfig(rootDir, file);
    if (config.extends !== undefined) {
      const merged: IConfiguration & { [MODULITH_OPTIONS]?: ModulithOptions } = await extendedConfig(rootDir, file);
      merged[MODULITH_OPTIONS] = readOptions(config);
      config = merged;
    }
    loaded = withTsConfig(fromConfiguration(config, rootDir, file), overrides.tsConfig);
  }
  if (loaded.options.tsConfig === undefined) {
    const warning = missingTsConfigWarning(rootDir);
    if (warning) overrides.onWarning?.(warning);
  }
  return loaded;
}

/** `--tsconfig` over a loaded config: the options resolved again from what modulithRules() was given, with that tsconfig. */
function withTsConfig(config: CheckConfig, tsConfig: string | undefined): CheckConfig {
  if (tsConfig === undefined) return config;
  const { rootDir, roots, given } = config.options;
  const options = resolveModulithOptions({ roots, ...given, rootDir, tsConfig });
  const cruiseOptions: ICruiseOptions = { ...config.cruiseOptions, ...(options.tsConfig ? { tsConfig: { fileName: options.tsConfig } } : {}) };
  return { ...config, options, cruiseOptions };
}

async function importConfig(rootDir: string, file: string): Promise<IConfiguration> {
  const absFile = join(rootDir, file);
  const globals = globalThis as Record<symbol, unknown>;
  const previousHint = globals[ROOT_DIR_HINT];
  let loaded: unknown;
  try {
    if (file.endsWith('.json')) {
      loaded = JSON.parse(readFileSync(absFile, 'utf8'));
    } else {
      globals[ROOT_DIR_HINT] = rootDir;
      const imported = (await import(pathToFileURL(absFile).href)) as { default?: unknown };
      loaded = imported.default ?? imported;
    }
  } catch (error) {
    if (isConfigurationError(error)) throw error;
    throw new CheckConfigError([
      {
        file,
        message: `cannot be loaded: ${firstLine(error)}`,
        fix: 'repair it (it must export a dependency-cruiser configuration object), or delete it to use the defaults',
      },
    ]);
  } finally {
    globals[ROOT_DIR_HINT] = previousHint;
  }
  if (typeof loaded !== 'object' || loaded === null || Array.isArray(loaded)) {
    throw new CheckConfigError([
      { file, message: 'does not export a configuration object', fix: "export the result of modulithRules() from 'nest-modulith/depcruise'" },
    ]);
  }
  return loaded as IConfiguration;
}

/** A config with `extends`: let dependency-cruiser merge the chain exactly as it does for `depcruise`. */
async function extendedConfig(rootDir: string, file: string): Promise<IConfiguration> {
  try {
    const { default: extractDepcruiseConfig } = await import('dependency-cruiser/config-utl/extract-depcruise-config');
    return await extractDepcruiseConfig(join(rootDir, file));
  } catch (error) {
    throw new CheckConfigError([{ file, message: `cannot be loaded: ${firstLine(error)}`, fix: 'correct its "extends"' }]);
  }
}

function readOptions(config: IConfiguration): ModulithOptions | undefined {
  return (config as { [MODULITH_OPTIONS]?: ModulithOptions })[MODULITH_OPTIONS];
}

function fromConfiguration(config: IConfiguration, rootDir: string, file: string | undefined): CheckConfig {
  // A hand-written config has no modulith options: take the defaults, and its tsconfig if it names one.
  const tsConfig = config.options?.tsConfig?.fileName;
  const options = readOptions(config) ?? resolveModulithOptions({ rootDir, ...(tsConfig ? { tsConfig } : {}) });
  const forbidden = (config.forbidden ?? []).filter((rule) => !isModulithRule(rule.name ?? ''));
  const hasExtra = forbidden.length > 0 || (config.allowed ?? []).length > 0 || (config.required ?? []).length > 0;
  return {
    options,
    cruiseOptions: config.options ?? {},
    extraRules: hasExtra
      ? {
          forbidden,
          ...(config.allowed ? { allowed: config.allowed } : {}),
          ...(config.allowedSeverity ? { allowedSeverity: config.allowedSeverity } : {}),
          ...(config.required ? { required: config.required } : {}),
        }
      : undefined,
    file,
  };
}

export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.trim().split('\n')[0];
}
