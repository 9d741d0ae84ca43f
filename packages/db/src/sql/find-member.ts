import { eq } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { members } from '../schema.ts';
import { MEMBER_COLUMNS, type MemberRow } from './member-columns.ts';

export async function findMember(db: Db, id: string): Promise<MemberRow | undefined> {
  const [row] = await db.select(MEMBER_COLUMNS).from(members).where(eq(members.id, id));
  return row;
}
