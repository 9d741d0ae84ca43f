import { memberTokens } from '../schema.ts';
import type { DbTx } from './lock-auction-row.ts';

export interface NewToken {
  readonly tokenId: string;
  readonly secretHash: Buffer;
}

/** Stores a token for a member: only the secret's hash is kept. */
export async function insertToken(tx: DbTx, memberId: string, token: NewToken): Promise<void> {
  await tx.insert(memberTokens).values({ id: token.tokenId, memberId, secretHash: token.secretHash });
}
