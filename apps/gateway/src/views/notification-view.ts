import type { Notification } from '@dutch/contract';
import type { NotificationRow } from '@dutch/db';
import { describeNotification } from '@dutch/domain';

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * A notification as the inbox and the member's stream show it. The id is a string (an int8);
 * the message is worded now, from kind and data, by the domain's one wording.
 */
export function notificationView(row: NotificationRow): Notification {
  return {
    id: String(row.id),
    kind: row.kind,
    auctionId: row.auctionId,
    ...(row.receiptId === null ? {} : { receiptId: row.receiptId }),
    message: describeNotification(row.kind, row.data),
    data: row.data,
    createdAt: iso(row.createdAt),
    readAt: row.readAt === null ? null : iso(row.readAt),
  };
}
