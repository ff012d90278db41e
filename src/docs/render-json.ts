import type { DocsModel } from './docs-model.js';
import { focusModel } from './focus.js';

/** The model itself, pretty-printed: what other tools read (`modulith graph --format json`). */
export function renderJson(model: DocsModel, options: { focus?: string } = {}): string {
  return `${JSON.stringify(options.focus !== undefined ? focusModel(model, options.focus) : model, null, 2)}\n`;
}
