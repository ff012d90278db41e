// Public API of notifications: its Nest module and its facade with the facade's data types.
export { NotificationsModule } from './notifications.module.js';
export { NotificationsFacade, type AccountEvent, type DeliveryOutcome } from './notifications.facade.js';
