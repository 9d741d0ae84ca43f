/**
 * Checks on what the run left behind: stock and points, the ledger, the refusals made
 * without a receipt, and whether every request was answered.
 */
import { judgeRefusals, type Spending } from './refusals.ts';
import { fmt, sample } from './verify-format.ts';
import type { Check, OutcomeInput } from './verify-input.ts';

/** 6. Nothing negative. */
export function checkNothingNegative(input: OutcomeInput): Check {
  const negatives: string[] = [];
  for (const a of input.auctions) {
    if (a.stock < 0 || a.stock > a.terms.initialStock)
      negatives.push(`auction ${a.id} stock ${a.stock} of ${a.terms.initialStock}`);
  }
  for (const [id, points] of input.finalPoints) if (points < 0) negatives.push(`member ${id} has ${points} points`);
  const auditNegative = input.audit.filter((p) => / has -\d+ points$/.test(p) || /: stock -?\d+ of/.test(p));
  return {
    name: 'no negative stock or points',
    ok: negatives.length === 0 && auditNegative.length === 0,
    detail:
      `${input.auctions.length} auctions, ${fmt(input.finalPoints.size)} members checked` +
      sample([...negatives, ...auditNegative]),
  };
}

/** 7. Points: every balance moved by exactly its purchases and sales; the ledger agrees. */
export function checkLedgerSums(input: OutcomeInput): Check {
  const expected = new Map(input.startPoints);
  for (const r of input.receipts) {
    if (r.status !== 'PURCHASED') continue;
    const paid = r.total - (input.rebates?.get(r.id) ?? 0);
    expected.set(r.buyerId, (expected.get(r.buyerId) ?? 0) - paid);
    expected.set(r.sellerId, (expected.get(r.sellerId) ?? 0) + paid);
  }
  const drift: string[] = [];
  for (const [id, points] of expected) {
    const final = input.finalPoints.get(id);
    if (final !== points) drift.push(`member ${id}: ${final} points, purchases say ${points}`);
  }
  const auditLedgerLines = input.audit.filter(
    (p) => p.includes('ledger') || p.includes('were charged') || p.includes('purchase and'),
  );
  return {
    name: 'ledger sums = balances',
    ok: drift.length === 0 && auditLedgerLines.length === 0,
    detail:
      `${fmt(expected.size)} balances = start - purchases + sales${input.rebates === undefined ? '' : ' (less rebates)'}; ledger rows = balances (auditLedger)` +
      sample([...drift, ...auditLedgerLines]),
  };
}

/** 8. auditLedger found nothing. */
export function checkAudit(input: Pick<OutcomeInput, 'audit'>): Check {
  return {
    name: 'auditLedger: every promise holds',
    ok: input.audit.length === 0,
    detail: `${input.audit.length} problems${sample(input.audit)}`,
  };
}

/** 9. Every bid refused INSUFFICIENT_POINTS without a receipt was one its buyer could not pay. */
export function checkRefusals(input: OutcomeInput): Check {
  const purchases = new Map<string, Spending[]>();
  for (const r of input.receipts) {
    if (r.status !== 'PURCHASED') continue;
    const list = purchases.get(r.buyerId) ?? [];
    list.push({ total: r.total, settledAt: r.settledAt });
    purchases.set(r.buyerId, list);
  }
  const terms = new Map(input.auctions.map((a) => [a.id, a.terms]));
  const verdict = judgeRefusals(input.refusals, terms, input.startPoints, purchases);
  return {
    name: 'every INSUFFICIENT_POINTS refusal was a bid its buyer could not pay',
    ok: verdict.wrong.length === 0,
    detail:
      `${fmt(input.refusals.length)} bids of ${fmt(verdict.buyers)} buyers refused at once: ` +
      `${fmt(verdict.belowAtStart)} cost more than the buyer had at the start, ` +
      `${fmt(verdict.afterSpending)} more than was left after their purchases settled before the answer; ` +
      `${fmt(verdict.wrong.length)} payable` +
      sample(verdict.wrong),
  };
}

/** 10. Every request was answered, with a status the scenario expects. */
export function checkTransport(input: Pick<OutcomeInput, 'transport'>): Check {
  const t = input.transport;
  const unexpected = Object.entries(t.unexpected).filter(([, n]) => n > 0);
  return {
    name: 'every request answered (no 5xx, timeouts or connection errors)',
    ok: t.transportErrors === 0 && t.timeouts === 0 && t.status5xx === 0 && unexpected.length === 0,
    detail:
      `${t.transportErrors} connection errors, ${t.timeouts} timeouts, ${t.status5xx} 5xx` +
      (unexpected.length > 0 ? `, unexpected ${unexpected.map(([s, n]) => `${s} x${n}`).join(', ')}` : ''),
  };
}
