import { decodeIdempotencyRecord, idempotencyClaimKey } from '@dutch/stream';
import { type AcceptedBid, type BidJob, bidJobs, inFlightAt, openMarket, prng, sleep, waitFor } from '@dutch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { burstUntilAnswered, type FaultStack, reportFigures, settleAndAssert, startFaultStack } from './harness.ts';

/**
 * Fault 4: a gateway process SIGKILLed in the middle of a burst and started again on its port.
 * Every 202 it sent before dying is settled. Its clients lose their connections mid-request and
 * retry with the same Idempotency-Key once it is back: a bid it had queued before dying comes
 * back as the same receipt, and a bid it had not is queued then; no bid is lost or doubled.
 */
const BIDS = 10_000;

let stack: FaultStack;
beforeAll(async () => {
  stack = await startFaultStack('gateway-kill', { gateways: 2, consumers: 2 });
});
afterAll(async () => {
  await stack?.close();
});

async function resend(url: string, bid: AcceptedBid, token: string, maxPrice: number) {
  const response = await fetch(`${url}/auctions/${bid.auctionId}/bids`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      'idempotency-key': bid.idempotencyKey,
    },
    body: JSON.stringify({ quantity: bid.quantity, maxPrice }),
    signal: AbortSignal.timeout(60_000),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('a gateway killed during a burst', () => {
  it('every 202 it sent is settled; retries with the same Idempotency-Key get the same receipt', async () => {
    const [victim, survivor] = stack.gateways as [(typeof stack.gateways)[0], (typeof stack.gateways)[0]];
    const market = await openMarket(survivor.url, { auctions: 6, buyersPerAuction: 30, stock: 2_000 });
    const jobs = bidJobs(market, BIDS, 7);
    const tokens = new Map(market.buyers.map((b) => [b.id, b.token]));

    const inFlight = new Map<string, { job: BidJob; target: number }>();
    const { load } = await burstUntilAnswered(
      jobs,
      { targets: [victim.url, survivor.url], concurrency: 48, inFlight },
      BIDS * 0.4,
      '40% of the burst',
    );

    // Freeze the victim until it is caught holding bids it has queued in Redis (their
    // Idempotency-Key has an answer recorded) but not yet answered, then kill it there.
    const random = prng(8);
    const caught = await waitFor(
      async () => {
        victim.signal('SIGSTOP');
        await sleep(300); // whatever it had sent to Redis is executed; the clients get what it had written
        const queued: { key: string; receiptId: string }[] = [];
        for (const { job, target } of inFlight.values()) {
          if (target !== 0) continue;
          // On a single Redis the buyer's claim on the key records the answer with it.
          const record = await stack.redisClient.get(
            idempotencyClaimKey(stack.layout, job.buyerId, job.idempotencyKey),
          );
          const answer = record === null ? null : decodeIdempotencyRecord(record).answerJson;
          if (answer !== null) queued.push({ key: job.idempotencyKey, receiptId: JSON.parse(answer).receiptId });
        }
        if (queued.length > 0) return queued;
        victim.signal('SIGCONT');
        await sleep(20 + random() * 80);
        return false;
      },
      60_000,
      'the victim holding a queued, unanswered bid',
    );
    const killedAt = Date.now();
    await victim.kill('SIGKILL');
    await sleep(1_000);
    await victim.restart();
    const backAt = Date.now();

    const report = await load;
    expect(report.serverErrors).toEqual([]);
    expect(report.unanswered).toBe(0);
    expect(report.networkErrors).toBeGreaterThan(0);

    // The victim's 202s from before its death, and the bids its clients had in flight when it died.
    const sentByVictim = report.accepted.filter((b) => b.target === 0 && b.answeredAt < killedAt);
    const cutOff = report.accepted.filter((b) => b.target === 0 && b.interrupted);
    expect(cutOff.length).toBeGreaterThan(0);
    // The bids queued before the kill and never answered by the victim: retried after the restart
    // with the same Idempotency-Key, each got the receipt queued before the kill, not a second one.
    const byKey = new Map(report.accepted.map((b) => [b.idempotencyKey, b]));
    for (const { key, receiptId } of caught) {
      const final = byKey.get(key);
      expect(final?.receiptId).toBe(receiptId);
      expect(final?.interrupted).toBe(true);
      expect(final?.target).toBe(0);
    }

    // Clients that did get their 202 before the kill, asking again after the restart: the same receipt.
    const sample = sentByVictim.filter((_, i) => i % Math.max(1, Math.floor(sentByVictim.length / 300)) === 0);
    const replays = await Promise.all(
      sample.map((bid) => resend(victim.url, bid, tokens.get(bid.buyerId) as string, 1_000)),
    );
    for (const [i, replay] of replays.entries()) {
      const bid = sample[i] as AcceptedBid;
      expect(replay.status).toBe(202);
      expect(replay.body).toEqual({
        receiptId: bid.receiptId,
        status: 'PENDING',
        acceptedAt: new Date(bid.acceptedAt).toISOString(),
        unitPrice: bid.unitPrice,
      });
    }

    const checked = await settleAndAssert(stack, market, report.accepted);

    reportFigures('gateway-kill', {
      bidsSent: report.sent,
      accepted202: report.accepted.length,
      refused: Object.fromEntries(report.refused),
      victim202sBeforeKill: sentByVictim.length,
      gatewayDownMs: backAt - killedAt,
      attemptsWithoutAnswer: report.networkErrors,
      bidsInFlightAtKill: cutOff.length,
      accepted202InFlightAtKillBothGateways: inFlightAt(report.accepted, killedAt),
      queuedButUnansweredAtKillSameReceiptOnRetry: caught.length,
      answered202sResentAfterRestartSameReceipt: replays.length,
      settled: checked.settled,
      failed: checked.failed,
      lost: checked.lost,
      duplicates: checked.duplicates,
    });
  });
});
