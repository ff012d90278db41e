// Public API of notifications: its Nest module. It listens to media-events and has no facade.
export { NotificationsModule } from './notifications.module.js';
