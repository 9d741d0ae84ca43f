import { type AuctionDraft, balanceDeltasOf, type EnglishDraft, type LedgerMove } from '@dutch/domain';
import { createMember, type TestDatabase } from '@dutch/testkit';
import { v4 as uuidv4, v7 as uuidv7 } from 'uuid';
import { auctionValues, englishAuctionValues } from './auction-values.ts';
import { auctions } from './schema.ts';
import { appendLedger } from './sql/append-ledger.ts';
import { applyBalanceDeltas } from './sql/apply-balance-deltas.ts';
import { insertReceipts, type NewReceipt } from './sql/insert-receipts.ts';

/**
 * Small histories written straight to Postgres, as the consumer would leave them, for the audit's
 * tests: each step is the rows one settlement writes, so a test can write a correct history and
 * then break exactly one promise.
 */
export interface Book {
  member(points?: number): Promise<string>;
  dutch(sellerId: string, overrides?: Partial<AuctionDraft>): Promise<string>;
  english(sellerId: string, overrides?: Partial<EnglishDraft>): Promise<string>;
  /** Settles receipts on an auction (numbered on after its last one); returns their ids. */
  receipts(auctionId: string, rows: readonly ReceiptFields[]): Promise<string[]>;
  /** Ledger rows, and the balances they move. */
  move(...moves: LedgerMove[]): Promise<void>;
}

export interface ReceiptFields {
  readonly buyerId: string;
  readonly status: NewReceipt['status'];
  readonly unitPrice: number;
  readonly quantity?: number;
  readonly failureReason?: string;
  readonly format?: 'dutch' | 'english';
}

const START = Date.UTC(2030, 0, 1);

export function openBook(db: TestDatabase): Book {
  let stream = 0;
  return {
    member: (points = 0) => createMember(db.sql, points),
    async dutch(sellerId, overrides = {}) {
      const draft: AuctionDraft = {
        title: 'Dutch',
        description: '',
        startPrice: 100,
        floorPrice: null,
        priceDrop: { kind: 'constant', amount: 10 },
        dropIntervalSeconds: 60,
        startsAt: START,
        endsAt: START + 600_000,
        stock: 10,
        perBuyerLimit: 10,
        showStock: true,
        pricing: 'pay_as_bid',
        ...overrides,
      };
      const id = uuidv4();
      await db.db.insert(auctions).values(auctionValues(id, sellerId, draft));
      return id;
    },
    async english(sellerId, overrides = {}) {
      const draft: EnglishDraft = {
        title: 'English',
        description: '',
        startPrice: 100,
        minIncrement: 10,
        reservePrice: null,
        startsAt: START,
        endsAt: START + 600_000,
        extendSeconds: 0,
        ...overrides,
      };
      const id = uuidv4();
      await db.db.insert(auctions).values(englishAuctionValues(id, sellerId, draft));
      return id;
    },
    async receipts(auctionId, rows) {
      const [auction] = await db.sql<{ sellerId: string; seq: number }[]>`
        select seller_id as "sellerId", settled_count + 1 as seq from auctions where id = ${auctionId}`;
      if (auction === undefined) throw new Error(`no auction ${auctionId}`);
      const receipts: NewReceipt[] = rows.map((row) => {
        const quantity = row.quantity ?? 1;
        stream++;
        return {
          id: uuidv7(),
          buyerId: row.buyerId,
          quantity,
          unitPrice: row.unitPrice,
          total: row.unitPrice * quantity,
          status: row.status,
          failureReason: row.failureReason ?? (row.status === 'FAILED' ? 'SOLD_OUT' : null),
          acceptedAt: START + stream,
          streamId: `${START + stream}-0`,
          format: row.format ?? 'dutch',
        };
      });
      await db.sql.begin(async (tx) => {
        await insertReceipts(
          tx,
          { auctionId, sellerId: auction.sellerId, firstSeq: auction.seq, settledAt: START },
          receipts,
        );
        // Units bought leave the stock, as settlement's saveAuction writes it.
        const sold = receipts.filter((r) => r.status === 'PURCHASED').reduce((sum, r) => sum + r.quantity, 0);
        await tx`update auctions set settled_count = settled_count + ${receipts.length}, stock = stock - ${sold}
                 where id = ${auctionId}`;
      });
      return receipts.map((r) => r.id);
    },
    async move(...moves) {
      await db.sql.begin(async (tx) => {
        await appendLedger(tx, moves);
        await applyBalanceDeltas(tx, balanceDeltasOf(moves));
      });
    },
  };
}

/** The moves of a Dutch purchase, and for uniform pricing the seller's hold on the takings. */
export function purchaseMoves(
  receiptId: string,
  buyer: string,
  seller: string,
  total: number,
  uniform: boolean,
): LedgerMove[] {
  const purchase: LedgerMove = { kind: 'purchase', from: buyer, to: seller, amount: total, receiptId };
  return uniform ? [purchase, { kind: 'hold', from: seller, to: seller, amount: total, receiptId }] : [purchase];
}

export const hold = (receiptId: string, member: string, amount: number): LedgerMove => ({
  kind: 'hold',
  from: member,
  to: member,
  amount,
  receiptId,
});

export const release = (receiptId: string, member: string, amount: number): LedgerMove => ({
  kind: 'release',
  from: member,
  to: member,
  amount,
  receiptId,
});
