import { auctions, type Db, englishAuctionValues, englishTermsOf } from '@dutch/db';
import type { EnglishDraft, EnglishTerms } from '@dutch/domain';
import type { CloseMessage, EnglishBidMessage } from '@dutch/stream';
import { v4 as uuidv4, v7 as uuidv7 } from 'uuid';

export interface SeededEnglishAuction {
  readonly id: string;
  readonly terms: EnglishTerms;
}

/** An English auction row written directly (no gateway), running from `startsAt` by default one minute ago. */
export async function createEnglishAuction(
  db: Db,
  sellerId: string,
  overrides: Partial<EnglishDraft> = {},
  id = uuidv4(),
): Promise<SeededEnglishAuction> {
  const startsAt = overrides.startsAt ?? Date.now() - 60_000;
  const draft: EnglishDraft = {
    title: 'Seeded English auction',
    description: '',
    startPrice: 100,
    minIncrement: 10,
    reservePrice: null,
    startsAt,
    endsAt: startsAt + 3_600_000,
    extendSeconds: 0,
    ...overrides,
  };
  const [row] = await db
    .insert(auctions)
    .values(englishAuctionValues(id, sellerId, draft))
    .returning();
  if (row === undefined) throw new Error('English auction not created');
  return { id, terms: englishTermsOf(row) };
}

/** An English bid as the gateway would queue it. */
export function englishBid(
  auction: { readonly id: string; readonly terms: Pick<EnglishTerms, 'startsAt'> },
  buyerId: string,
  amount: number,
  acceptedAt = auction.terms.startsAt + 1_000,
): EnglishBidMessage {
  return { kind: 'english_bid', receiptId: uuidv7(), auctionId: auction.id, buyerId, amount, acceptedAt };
}

/** A close entry for the end `closeFor`, as the closer would append it (without its closing key). */
export function closeEntry(auctionId: string, closeFor: number, requestedAt = closeFor): CloseMessage {
  return { kind: 'close', auctionId, closeFor, requestedAt };
}
