// The `modulith` command: public API of the `cli` module.
export { main } from './main.js';
export { USAGE } from './usage.js';
export type { CliIo } from './io.js';
export { createProgress, type Progress } from './progress.js';
export { leaksPlugin, LEAK_RULES } from './leaks-plugin.js';
export { contractsPlugin } from './contracts-plugin.js';
export { foreignTablePlugin, FOREIGN_TABLE_RULES } from './foreign-table-plugin.js';
export { configPlugin, scanConfigReads, CONFIG_RULES, type ConfigRead } from './config-plugin.js';
