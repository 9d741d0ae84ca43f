import { members } from '../schema.ts';
import { insertToken, type NewToken } from './insert-token.ts';
import type { DbTx } from './lock-auction-row.ts';
import { MEMBER_COLUMNS, type MemberRow } from './member-columns.ts';

/** Signs a member up with no points and their first token, in the caller's transaction. */
export async function insertMember(
  tx: DbTx,
  member: Pick<typeof members.$inferInsert, 'name' | 'age' | 'gender'> & { readonly id: string },
  token: NewToken,
): Promise<MemberRow> {
  const [row] = await tx.insert(members).values(member).returning(MEMBER_COLUMNS);
  await insertToken(tx, member.id, token);
  if (row === undefined) throw new Error('member insert returned nothing');
  return row;
}
