import type { CheckPlugin } from '../boundaries/index.js';
import { agentsPlugin } from './agents-plugin.js';
import { configPlugin } from './config-plugin.js';
import { contractsPlugin } from './contracts-plugin.js';
import { foreignTablePlugin } from './foreign-table-plugin.js';
import { leaksPlugin } from './leaks-plugin.js';

/** The plugins `modulith check` runs (and `graph`/`docs`, so they show the violations check reports). */
export function checkPlugins(options: { cache: boolean; leaks?: boolean; contracts?: boolean; agents?: boolean }): CheckPlugin[] {
  return [
    ...(options.leaks === false ? [] : [leaksPlugin({ cache: options.cache })]),
    ...(options.contracts === false ? [] : [contractsPlugin()]),
    ...(options.agents === false ? [] : [agentsPlugin()]),
    foreignTablePlugin(),
    configPlugin(),
  ];
}
