// Public API of notifications: its Nest module and the settings token the app shell must provide.
// It listens to media-events and has no facade.
export { NotificationsModule } from './notifications.module.js';
export { NotificationsSettings } from './notifications.settings.js';
