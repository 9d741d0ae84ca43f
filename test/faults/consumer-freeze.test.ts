import { lockClassId } from '@dutch/consumer/shard-locks';
import { bidJobs, openMarket, prng, sleep, waitFor } from '@dutch/testkit';
import type { EngineProcess } from '@dutch/testkit/servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  burstUntilAnswered,
  type FaultStack,
  pendingAt,
  reportFigures,
  settleAndAssert,
  startFaultStack,
} from './harness.ts';

/**
 * Fault 6: a consumer frozen with SIGSTOP in the middle of a burst (its connections stay open,
 * its advisory locks stay held) and left frozen. The other consumer ends its sessions once its
 * lock connection has been silent SHARD_TAKEOVER_MS, takes its shards and its unacknowledged
 * entries, and settles every 202. Then the frozen one is thawed: whatever it had in hand must not
 * be applied a second time, and it must rejoin without crashing.
 */
const BIDS = 10_000;
const TAKEOVER_MS = 3_000;
const SHARDS = 4;

let stack: FaultStack;
beforeAll(async () => {
  stack = await startFaultStack('consumer-freeze', {
    gateways: 2,
    consumers: 2,
    shards: SHARDS,
    // Small batches: more of them in flight, so the freeze lands mid-batch. REBALANCE_MS is 250.
    consumerEnv: { BATCH_SIZE: '50', SHARD_TAKEOVER_MS: String(TAKEOVER_MS) },
  });
});
afterAll(async () => {
  for (const consumer of stack?.consumers ?? []) consumer.signal('SIGCONT');
  await stack?.close();
});

/** Shard locks held by one consumer process's sessions (its application_name ends with its name). */
async function shardsHeldBy(consumer: EngineProcess): Promise<number> {
  const [row] = await stack.db.sql<{ n: number }[]>`
    select count(*)::int as n from pg_locks l join pg_stat_activity a on a.pid = l.pid
    where l.locktype = 'advisory' and l.classid = ${lockClassId(stack.env.keyPrefix)}::int::oid and l.granted
      and a.application_name like ${`dutch-consumer % ${consumer.name}`}`;
  return row?.n ?? 0;
}

async function sessionsOf(consumer: EngineProcess): Promise<{ pid: number; state: string | null }[]> {
  return stack.db.sql<{ pid: number; state: string | null }[]>`
    select pid, state from pg_stat_activity where application_name like ${`dutch-consumer % ${consumer.name}`}`;
}

describe('a consumer frozen during a burst', () => {
  it(`${BIDS} bids, one of 2 consumers SIGSTOPped mid-batch: taken over, every 202 settled once, in order; thawed: nothing twice`, async () => {
    const [victim, survivor] = stack.consumers as [EngineProcess, EngineProcess];
    const base = stack.gateways[0]?.url as string;
    const market = await openMarket(base, { auctions: 8, buyersPerAuction: 40, stock: 1_500, perBuyerLimit: 100 });
    const jobs = bidJobs(market, BIDS, 11);
    const { load } = await burstUntilAnswered(
      jobs,
      { targets: stack.gateways.map((g) => g.url), concurrency: 48 },
      BIDS * 0.2,
      '20% of the burst',
    );
    await waitFor(async () => (await shardsHeldBy(victim)) > 0, 30_000, 'the victim to own shards');

    // Freeze it when it holds entries it has read and not acknowledged, as late as the freeze can land.
    const random = prng(12);
    await waitFor(
      async () => {
        victim.signal('SIGSTOP');
        if ((await pendingAt(stack.redisClient, stack.layout, victim.name)) > 0) return true;
        victim.signal('SIGCONT');
        await sleep(5 + random() * 20);
        return false;
      },
      60_000,
      'the victim frozen mid-batch',
    );
    const frozenAt = Date.now();
    const heldAtFreeze = await pendingAt(stack.redisClient, stack.layout, victim.name);
    const sessionsAtFreeze = await sessionsOf(victim);
    const shardsAtFreeze = await shardsHeldBy(victim);

    await waitFor(
      async () => (await shardsHeldBy(victim)) === 0 && (await shardsHeldBy(survivor)) === SHARDS,
      60_000,
      'the survivor to take the frozen consumer’s shards',
    );
    const takeoverMs = Date.now() - frozenAt;
    expect(await sessionsOf(victim)).toEqual([]);

    const report = await load;
    const burstEndedAt = Date.now();
    expect(report.serverErrors).toEqual([]);
    expect(report.unanswered).toBe(0);
    const frozenChecked = await settleAndAssert(stack, market, report.accepted);
    const settledAt = Date.now();

    // Thaw it: its sessions are gone, so what it had in hand is refused by the fence; it rejoins.
    victim.signal('SIGCONT');
    await waitFor(async () => (await shardsHeldBy(victim)) > 0, 30_000, 'the thawed consumer to rejoin');
    await sleep(3_000);
    const checked = await settleAndAssert(stack, market, report.accepted);
    expect(checked.duplicates).toBe(0);
    expect(checked.settled).toBe(frozenChecked.settled);
    for (const consumer of stack.consumers) {
      expect(consumer.alive()).toBe(true);
      expect(consumer.unexpectedExits(), `${consumer.name}:\n${consumer.output().slice(-3_000)}`).toBe(0);
    }

    reportFigures('consumer-freeze', {
      bidsSent: report.sent,
      accepted202: report.accepted.length,
      refused: Object.fromEntries(report.refused),
      burstMs: report.durationMs,
      shardTakeoverMs: TAKEOVER_MS,
      shardsOfTheFrozen: shardsAtFreeze,
      entriesHeldByTheFrozen: heldAtFreeze,
      sessionsOfTheFrozen: sessionsAtFreeze.length,
      sessionsInTransactionAtFreeze: sessionsAtFreeze.filter((s) => s.state?.startsWith('idle in transaction')).length,
      takeoverMs,
      settledMsAfterFreeze: settledAt - frozenAt,
      settledMsAfterBurst: settledAt - burstEndedAt,
      shardsOfTheThawedAfterRejoin: await shardsHeldBy(victim),
      settled: checked.settled,
      purchased: checked.purchased,
      failed: checked.failed,
      unitsSold: checked.unitsSold,
      lost: checked.lost,
      duplicates: checked.duplicates,
    });
  });
});
