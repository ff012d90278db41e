/**
 * The one rule for module names, used by the model loader (`modulith check`, the boot), by
 * `modulith new` and by module.schema.json (whose `name` pattern and maxLength a test compares
 * with these): lowercase kebab-case, starting with a letter — `billing`, `order-history`,
 * `v2-sync`. Module names become folder names, class names (`OrderHistoryFacade`), broker
 * subjects and table prefixes, so they stay this plain.
 */
export const MODULE_NAME_PATTERN = '^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$';
export const MODULE_NAME = new RegExp(MODULE_NAME_PATTERN);
export const MODULE_NAME_MAX_LENGTH = 64;

/** The rule in words, for messages. */
export const MODULE_NAME_RULE = `lowercase letters and digits, words separated by '-', starting with a letter, at most ${MODULE_NAME_MAX_LENGTH} characters`;

export function isModuleName(name: string): boolean {
  return name.length <= MODULE_NAME_MAX_LENGTH && MODULE_NAME.test(name);
}

/** The kebab-case spelling of a name that breaks the rule (`OrderHistory`, `order_history` -> `order-history`), or undefined when there is none. */
export function suggestModuleName(name: string): string | undefined {
  const suggestion = name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MODULE_NAME_MAX_LENGTH)
    .replace(/-+$/, '');
  return suggestion !== name && isModuleName(suggestion) ? suggestion : undefined;
}
