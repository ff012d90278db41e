// Public API of media: its Nest module, its facade and data types, the settings token the app
// shell provides, and the contracts of its two pluggable parts.
export { MediaModule } from './media.module.js';
export { MediaFacade, type MediaJobView, type MediaJobStatus, type MediaKind } from './media.facade.js';
export { MediaSettings } from './media.settings.js';
export { ImageGenerator, type GenerationRequest } from './image-generator.js';
export { ResultStore } from './result-store.js';
