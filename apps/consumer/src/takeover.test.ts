import { shardOf } from '@dutch/stream';
import {
  bid,
  createAuction,
  createMember,
  createTestDatabase,
  randomPrefix,
  receiptsOf,
  type SeededAuction,
  sleep,
  type TestDatabase,
} from '@dutch/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ConsumerConnections, openConsumerConnections } from './connections.ts';
import { FencedOutError } from './fenced-out-error.ts';
import { lockOwnedAuction } from './lock-owned-auction.ts';
import { settleAuction } from './settle-auction.ts';
import { lockClassId, ShardLocks } from './shard-locks.ts';

/**
 * Shard takeover at the lock level, where "frozen" is exact: a ShardLocks renews its lease only
 * when asked, so a victim that is not asked is a consumer whose process stopped.
 */
const STALE_MS = 600;
const SHARDS = 4;

let db: TestDatabase;
let classId: number;
let auction: SeededAuction;
let shard: number;
let buyer: string;
const opened: ConsumerConnections[] = [];

beforeEach(async () => {
  db = await createTestDatabase();
  classId = lockClassId(randomPrefix());
  const seller = await createMember(db.sql);
  buyer = await createMember(db.sql, 1_000);
  auction = await createAuction(db.db, seller, { stock: 10 });
  shard = shardOf(auction.id, SHARDS);
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.close()));
  await db.drop();
});

function connect(name: string): { conn: ConsumerConnections; locks: ShardLocks } {
  const conn = openConsumerConnections(db.url, { consumerName: name, poolSize: 2 });
  opened.push(conn);
  return { conn, locks: new ShardLocks(conn.lockSql, classId) };
}

async function backendsOf(applicationName: string): Promise<number[]> {
  const rows = await db.sql<{ pid: number }[]>`
    select pid from pg_stat_activity where application_name = ${applicationName} and datname = ${db.name}`;
  return rows.map((r) => r.pid);
}

describe('taking over a frozen shard owner', () => {
  it('ends a stale holder and every session of its consumer (a transaction frozen mid-way too); its fence no longer commits', async () => {
    const victim = connect('victim');
    const heir = connect('heir');
    expect(await victim.locks.tryAcquire(shard)).toBe(true);
    const victimFence = victim.locks.fence(shard);
    expect(victimFence).not.toBeNull();

    // The victim froze in the middle of a settlement: the auction's row lock is held, nothing commits.
    let rowLocked!: () => void;
    const locked = new Promise<void>((resolve) => {
      rowLocked = resolve;
    });
    const frozenTx = victim.conn.sql
      .begin(async (tx) => {
        await lockOwnedAuction(tx, auction.id, victimFence);
        rowLocked();
        await new Promise(() => {});
      })
      .catch((error: unknown) => error);
    await locked;
    expect((await backendsOf(victim.conn.applicationName)).length).toBe(2);

    expect(await heir.locks.tryAcquire(shard)).toBe(false);
    // Just acquired: the holder is live, nothing is taken.
    expect(await heir.locks.takeOver(shard, STALE_MS)).toBeNull();
    await sleep(STALE_MS + 200);
    const takeover = await heir.locks.takeOver(shard, STALE_MS);
    expect(takeover).toMatchObject({ applicationName: victim.conn.applicationName, terminated: 2 });
    expect(takeover?.silentMs).toBeGreaterThan(STALE_MS);
    expect(await backendsOf(victim.conn.applicationName)).toEqual([]);
    expect(await heir.locks.tryAcquire(shard)).toBe(true);

    // The frozen transaction was rolled back with its session, freeing the row for the heir.
    expect(await frozenTx).toBeInstanceOf(Error);
    const heirFence = heir.locks.fence(shard);
    const first = bid(auction, buyer, 1);
    await settleAuction(heir.conn.sql, auction.id, [{ streamId: '1-0', message: first }], heirFence, Date.now(), null);

    // The victim wakes and retries on a fresh connection, with the fence it had: refused.
    const late = bid(auction, buyer, 2);
    await expect(
      settleAuction(victim.conn.sql, auction.id, [{ streamId: '2-0', message: late }], victimFence, Date.now(), null),
    ).rejects.toBeInstanceOf(FencedOutError);
    expect((await receiptsOf(db.sql, auction.id)).map((r) => r.id)).toEqual([first.receiptId]);

    // Rejoining: its new lock session notices the shards are gone and reports them lost.
    expect(await victim.locks.verify()).toEqual([shard]);
    expect(victim.locks.fence(shard)).toBeNull();
    expect(await victim.locks.tryAcquire(shard)).toBe(false);
  });

  it('never takes over a holder that keeps renewing its lease, and that holder keeps committing', async () => {
    const owner = connect('owner');
    const other = connect('other');
    expect(await owner.locks.tryAcquire(shard)).toBe(true);
    let renewing = true;
    const renewals = (async () => {
      while (renewing) {
        await owner.locks.renew();
        await sleep(STALE_MS / 6);
      }
    })();
    const until = Date.now() + 3 * STALE_MS;
    while (Date.now() < until) {
      expect(await other.locks.takeOver(shard, STALE_MS)).toBeNull();
      expect(await other.locks.tryAcquire(shard)).toBe(false);
      await sleep(50);
    }
    renewing = false;
    await renewals;
    expect((await backendsOf(owner.conn.applicationName)).length).toBeGreaterThan(0);
    const message = bid(auction, buyer, 1);
    await settleAuction(
      owner.conn.sql,
      auction.id,
      [{ streamId: '1-0', message }],
      owner.locks.fence(shard),
      Date.now(),
      null,
    );
    expect((await receiptsOf(db.sql, auction.id)).map((r) => r.status)).toEqual(['PURCHASED']);
  });

  it('a process that wakes past its lease stops using its shards before anyone could take them', async () => {
    const conn = openConsumerConnections(db.url, { consumerName: 'sleeper', poolSize: 1 });
    opened.push(conn);
    const locks = new ShardLocks(conn.lockSql, classId, STALE_MS * 0.8);
    expect(await locks.tryAcquire(shard)).toBe(true);
    expect(locks.fence(shard)).not.toBeNull();
    await sleep(STALE_MS);
    expect(locks.fence(shard)).toBeNull();
    await locks.renew();
    expect(locks.fence(shard)).not.toBeNull();
  });
});
