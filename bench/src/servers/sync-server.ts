/**
 * Reference (b): the synchronous design the async engine replaces. Each bid is settled inside
 * its HTTP request: one transaction per bid, under the auction's row lock (SELECT ... FOR
 * UPDATE), deciding with the same domain rules, writing the same receipts, points and ledger
 * rows as the consumer (its own member-lock, points and ledger statements), and answering
 * 200 (PURCHASED) or 409 (FAILED, with the reason).
 * Auth, validation and admission are the gateway's (tokens checked against their hashes,
 * admitBid at the server clock); only the queue is missing. English auctions take `{amount}`
 * bids the same way (sync-english.ts).
 */
import {
  AUCTION_TERMS_COLUMNS,
  type AuctionTermsRow,
  appendLedger,
  applyBalanceDeltas,
  auctionNotDeleted,
  createDb,
  type EnglishLeadRow,
  type FormatTerms,
  formatTermsOf,
  insertReceipts,
  lockMembers,
  type Sql,
  type Tx,
} from '@dutch/db';
import { type AuctionTerms, admitBid, type BidOutcome, HELD_STATUSES, settleBids } from '@dutch/domain';
import { bearerOf, parseToken, secretMatches } from '@dutch/gateway/auth-tokens';
import { type Context, Hono } from 'hono';
import { v7 as uuidv7 } from 'uuid';
import { runCluster } from './cluster.ts';
import { admitEnglishRequest, answerEnglishOutcome, settleEnglishInTransaction } from './sync-english.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface TokenRow {
  memberId: string;
  hash: Buffer;
  revoked: boolean;
}

/** A bid that passed admission, ready to settle under the auction's lock. */
interface AdmittedBid {
  readonly auctionId: string;
  readonly terms: AuctionTerms;
  readonly receiptId: string;
  readonly buyerId: string;
  readonly quantity: number;
  readonly maxPrice: number;
  readonly unitPrice: number;
  readonly acceptedAt: number;
}

const error = (code: string, message: string, extra: Record<string, unknown> = {}) => ({
  error: { code, message },
  ...extra,
});

await runCluster(() => {
  const url = process.env.DATABASE_URL;
  if (url === undefined) throw new Error('DATABASE_URL is required');
  const { sql } = createDb(url, { max: Number(process.env.PG_POOL_SIZE ?? 10), applicationName: 'bench sync' });
  const tokenOf = cacheTokens(sql);
  const auctionOf = cacheAuctions(sql);

  const app = new Hono();
  app.post('/auctions/:id/bids', async (c) => {
    const found = await findBidder(c, tokenOf, auctionOf);
    if (found instanceof Response) return found;
    const { auctionId, auction, buyerId } = found;
    if (auction.format === 'english') {
      const bid = await admitEnglishRequest(c, auctionId, auction.terms, buyerId);
      if (bid instanceof Response) return bid;
      return answerEnglishOutcome(c, bid, await sql.begin((tx) => settleEnglishInTransaction(tx, bid)));
    }
    const admitted = await admitRequest(c, auctionId, auction.terms, buyerId);
    if (admitted instanceof Response) return admitted;
    const outcome = await sql.begin((tx) => settleInTransaction(tx, admitted));
    return answerOutcome(c, admitted, outcome);
  });
  return app.fetch;
});

/** Tokens are read once per process: the bench revokes none while it runs. */
function cacheTokens(sql: Sql): (tokenId: string) => Promise<TokenRow | null> {
  const tokens = new Map<string, Promise<TokenRow | null>>();
  return (tokenId) => {
    let entry = tokens.get(tokenId);
    if (entry === undefined) {
      entry = sql<TokenRow[]>`
        select member_id as "memberId", secret_hash as hash, revoked_at is not null as revoked
        from member_tokens where id = ${tokenId}`.then((rows) => rows[0] ?? null);
      tokens.set(tokenId, entry);
    }
    return entry;
  };
}

/** Terms are read once per auction: the bench edits none while it runs (an English lead is read under the lock). */
function cacheAuctions(sql: Sql): (id: string) => Promise<FormatTerms | null> {
  const auctions = new Map<string, Promise<FormatTerms | null>>();
  return (id) => {
    let entry = auctions.get(id);
    if (entry === undefined) {
      entry = sql<(AuctionTermsRow & EnglishLeadRow)[]>`
        select ${sql.unsafe(AUCTION_TERMS_COLUMNS)} from auctions where id = ${id} and ${auctionNotDeleted(sql)}`.then(
        (rows) => (rows[0] === undefined ? null : formatTermsOf(rows[0])),
      );
      auctions.set(id, entry);
    }
    return entry;
  };
}

/** Authenticates the buyer and finds the auction, as the gateway would; a Response means refused. */
async function findBidder(
  c: Context,
  tokenOf: (tokenId: string) => Promise<TokenRow | null>,
  auctionOf: (id: string) => Promise<FormatTerms | null>,
): Promise<{ auctionId: string; auction: FormatTerms; buyerId: string } | Response> {
  const credential = parseToken(bearerOf(c.req.header('authorization')) ?? '');
  const token = credential === null ? null : await tokenOf(credential.tokenId);
  if (credential === null || token === null || token.revoked || !secretMatches(credential.secret, token.hash)) {
    return c.json(error('UNAUTHENTICATED', 'A valid bearer token is required.'), 401);
  }
  const auctionId = c.req.param('id') as string;
  const auction = UUID.test(auctionId) ? await auctionOf(auctionId) : null;
  if (auction === null) return c.json(error('NOT_FOUND', 'No such auction.'), 404);
  return { auctionId, auction, buyerId: token.memberId };
}

/** Validates and admits a Dutch bid as the gateway would; a Response means refused. */
async function admitRequest(
  c: Context,
  auctionId: string,
  terms: AuctionTerms,
  buyerId: string,
): Promise<AdmittedBid | Response> {
  let body: { quantity?: unknown; maxPrice?: unknown };
  try {
    body = await c.req.json();
  } catch {
    return c.json(error('INVALID_REQUEST', 'body: not JSON'), 400);
  }
  const { quantity, maxPrice } = body;
  if (!Number.isSafeInteger(quantity) || !Number.isSafeInteger(maxPrice)) {
    return c.json(error('INVALID_REQUEST', 'quantity and maxPrice must be whole numbers'), 400);
  }
  const acceptedAt = Date.now();
  // Stock is only known under the lock: admission checks everything else here.
  const bid = { buyerId, quantity: quantity as number, maxPrice: maxPrice as number };
  const admitted = admitBid(terms, Number.MAX_SAFE_INTEGER, bid, acceptedAt);
  if (!admitted.ok) {
    return c.json(
      error(admitted.error.code, admitted.error.message),
      admitted.error.code === 'INVALID_REQUEST' ? 400 : 409,
    );
  }
  return { auctionId, terms, receiptId: uuidv7(), ...bid, unitPrice: admitted.value.unitPrice, acceptedAt };
}

/** Settles one bid under the auction's row lock, writing what the consumer would. */
async function settleInTransaction(tx: Tx, bid: AdmittedBid): Promise<BidOutcome> {
  const { auctionId, buyerId, terms, receiptId, unitPrice, acceptedAt } = bid;
  const [auction] = await tx<{ stock: number; settledCount: number; deleted: boolean }[]>`
    select stock, settled_count as "settledCount", deleted_at is not null as deleted
    from auctions where id = ${auctionId} for update`;
  if (auction === undefined) throw new Error(`auction ${auctionId} vanished`);
  const lockedAt = Date.now();
  // Read after the lock, in statements of their own: under READ COMMITTED a statement sees
  // the snapshot taken when it started, so a read folded into the locking statement would
  // miss what the transaction it waited for committed (the bench caught exactly that).
  const [points, held] = await Promise.all([
    lockMembers(tx, [buyerId, terms.sellerId]),
    tx<{ held: number }[]>`
      select coalesce(sum(quantity), 0)::int8 as held from receipts
      where auction_id = ${auctionId} and buyer_id = ${buyerId} and status = any(${[...HELD_STATUSES]}::text[])`,
  ]);
  const settlement = settleBids(
    terms,
    { stock: auction.stock, points, held: new Map([[buyerId, held[0]?.held ?? 0]]), withdrawn: auction.deleted },
    [{ receiptId, buyerId, quantity: bid.quantity, unitPrice, acceptedAt }],
  );
  const result = settlement.outcomes[0];
  if (result === undefined) throw new Error('settlement decided nothing');
  const seq = auction.settledCount + 1;
  const settledAt = Date.now();
  const writes: Promise<unknown>[] = [
    insertReceipts(tx, { auctionId, sellerId: terms.sellerId, firstSeq: seq, settledAt }, [
      {
        id: receiptId,
        buyerId,
        quantity: result.quantity,
        unitPrice,
        total: result.total,
        status: result.status,
        failureReason: result.status === 'FAILED' ? result.reason : null,
        acceptedAt,
        streamId: `${lockedAt}-${seq}`,
      },
    ]),
    tx`update auctions set stock = ${settlement.stockAfter}, settled_count = ${seq} where id = ${auctionId}`,
  ];
  if (settlement.moves.length > 0) {
    writes.push(
      appendLedger(tx, settlement.moves),
      applyBalanceDeltas(tx, { points: settlement.pointDeltas, held: settlement.heldDeltas }),
    );
  }
  await Promise.all(writes);
  return result;
}

function answerOutcome(c: Context, bid: AdmittedBid, outcome: BidOutcome): Response {
  const receipt = {
    receiptId: bid.receiptId,
    status: outcome.status,
    acceptedAt: new Date(bid.acceptedAt).toISOString(),
    unitPrice: bid.unitPrice,
    quantity: outcome.quantity,
    total: outcome.total,
  };
  if (outcome.status === 'PURCHASED') return c.json(receipt, 200);
  return c.json(error(outcome.reason, `Bid not served: ${outcome.reason}`, receipt), 409);
}
