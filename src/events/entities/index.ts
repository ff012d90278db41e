import { ArchivedDeliveryRecord } from './archived-delivery.entity.js';
import { DeliveryRecord } from './delivery.entity.js';
import { EventRecord } from './event-record.entity.js';
import { InboxEntry } from './inbox-entry.entity.js';

export { ArchivedDeliveryRecord, DeliveryRecord, EventRecord, InboxEntry };
export type { DeliveryStatus } from './delivery.entity.js';

/** The outbox's tables, for TypeOrmModule / DataSource `entities` and migrations. */
export const OUTBOX_ENTITIES = [EventRecord, DeliveryRecord, ArchivedDeliveryRecord, InboxEntry];
