import { sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { notifications } from '../schema.ts';

export interface MarkedRead {
  /** upToId is one of the member's notifications. When false nothing was marked. */
  readonly owned: boolean;
  /** The member's unread notifications after the marking. */
  readonly unreadCount: number;
}

/**
 * Marks read the member's notifications up to and including `upToId` in delivery order (tx_id,
 * id): what the member had been shown up to it, in the list or the stream. Only the member's own
 * rows are touched, and an id that is not theirs marks nothing (owned: false), so an id says
 * nothing about other members' rows. One statement: the count is the snapshot's unread rows less
 * those this marked.
 */
export async function markNotificationsRead(db: Db, memberId: string, upToId: number): Promise<MarkedRead> {
  const rows = await db.execute<{ owned: boolean; unreadCount: number }>(sql`
    with target as (
      select tx_id from ${notifications} where id = ${upToId}::int8 and member_id = ${memberId}::uuid
    ), marked as (
      update ${notifications} set read_at = now()
      where member_id = ${memberId}::uuid and read_at is null
        and (tx_id, id) <= ((select tx_id from target), ${upToId}::int8)
      returning 1
    )
    select exists (select 1 from target) as owned,
           ((select count(*) from ${notifications} where member_id = ${memberId}::uuid and read_at is null)
             - (select count(*) from marked))::int as "unreadCount"`);
  const [row] = rows;
  if (row === undefined) throw new Error('markNotificationsRead: no answer row');
  return row;
}
