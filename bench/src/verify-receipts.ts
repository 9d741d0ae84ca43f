/**
 * Checks on the receipts themselves: every answered one is in Postgres as the client was told,
 * none is left pending, and settlement followed stream order.
 */
import { FINAL_STATUSES } from '@dutch/domain';
import { compareStreamIds } from '@dutch/stream';
import type { ReceiptRow } from '@dutch/testkit/receipts';
import { LED_STATUSES } from './verify-english-replay.ts';
import { fmt, sample } from './verify-format.ts';
import type { AnsweredReceipt, Check, OutcomeInput } from './verify-input.ts';
import { outcomeOf } from './verify-replay.ts';

const FINAL = new Set<string>(FINAL_STATUSES);

/** How the answers the client read compare with the receipts in Postgres. */
export interface AnswerComparison {
  readonly seen: ReadonlySet<string>;
  readonly duplicates: readonly string[];
  readonly missing: readonly string[];
  readonly different: readonly string[];
}

export function compareAnswers(
  input: Pick<OutcomeInput, 'answers'>,
  byId: ReadonlyMap<string, ReceiptRow>,
): AnswerComparison {
  const seen = new Set<string>();
  const duplicates: string[] = [];
  const missing: string[] = [];
  const different: string[] = [];
  for (const a of input.answers) {
    if (seen.has(a.receiptId)) duplicates.push(a.receiptId);
    seen.add(a.receiptId);
    const row = byId.get(a.receiptId);
    if (row === undefined) {
      missing.push(a.receiptId);
      continue;
    }
    const wrong = listDifferences(row, a);
    if (wrong.length > 0) different.push(`${a.receiptId}: ${wrong.join(', ')}`);
  }
  return { seen, duplicates, missing, different };
}

function listDifferences(row: ReceiptRow, a: AnsweredReceipt): string[] {
  const wrong: string[] = [];
  if (row.auctionId !== a.auctionId) wrong.push('auction');
  if (row.buyerId !== a.buyerId) wrong.push('buyer');
  if (row.quantity !== a.quantity) wrong.push('quantity');
  if (row.unitPrice !== a.unitPrice) wrong.push('unitPrice');
  if (row.acceptedAt !== a.acceptedAt) wrong.push('acceptedAt');
  // A bid answered LEADING (synchronous English) may have been outbid, won or missed the reserve since.
  const stillLed = a.status === 'LEADING' && LED_STATUSES.includes(row.status);
  const final = a.status !== 'PENDING' && !stillLed;
  if (final && (row.status !== a.status || (a.reason ?? null) !== (row.failureReason ?? null))) {
    wrong.push(`status ${outcomeOf(row)} (answered ${a.reason ?? a.status})`);
  }
  return wrong;
}

/** 1. Every receipt a 2xx named is in Postgres, as the client was told, and nothing else is. */
export function checkAnswers(
  input: Pick<OutcomeInput, 'answers' | 'receipts' | 'unansweredAllowance'>,
  answers: AnswerComparison,
): Check {
  const { seen, duplicates, missing, different } = answers;
  const unanswered = input.receipts.filter((r) => !seen.has(r.id)).length;
  return {
    name: 'every answered receipt accounted for',
    ok:
      duplicates.length === 0 &&
      missing.length === 0 &&
      different.length === 0 &&
      unanswered <= input.unansweredAllowance,
    detail:
      `${fmt(input.answers.length)} answered receipts: ${fmt(missing.length)} missing, ${fmt(different.length)} differing from the answer, ` +
      `${fmt(duplicates.length)} answered twice; ${fmt(unanswered)} settled receipts whose answer was never read ` +
      `(in flight when the load stopped; at most ${fmt(input.unansweredAllowance)})` +
      sample([...missing.map((id) => `${id} missing`), ...different, ...duplicates.map((id) => `${id} twice`)]),
  };
}

/**
 * 2. Nothing is left PENDING: every answered receipt is final in Postgres, Redis is drained.
 * `stillOpen` excuses a receipt that may rightly wait (an open English auction's leader), said in `note`.
 */
export function checkNothingPending(
  input: Pick<OutcomeInput, 'receipts' | 'queue'>,
  missing: readonly string[],
  stillOpen: (receipt: ReceiptRow) => boolean = () => false,
  note = '',
): Check {
  const notFinal = input.receipts.filter((r) => !FINAL.has(r.status) && !stillOpen(r));
  const q = input.queue;
  return {
    name: 'no receipt PENDING at the end',
    ok:
      missing.length === 0 &&
      notFinal.length === 0 &&
      (q === null || (q.pendingReceiptKeys === 0 && q.lag === 0 && q.pending === 0)),
    detail:
      `${fmt(missing.length)} answered receipts not in Postgres, ${fmt(notFinal.length)} not final${note}` +
      (q === null
        ? ' (synchronous: no queue)'
        : `; Redis: ${fmt(q.pendingReceiptKeys)} pending receipts, stream lag ${fmt(q.lag)}, ${fmt(q.pending)} unacknowledged`) +
      sample(notFinal.map((r) => `${r.id} ${r.status}`)),
  };
}

/** 5. Settlement order is stream order: settle_seq 1..n, stream ids increasing along it. */
export function checkSettlementOrder(
  input: Pick<OutcomeInput, 'audit'>,
  byAuction: ReadonlyMap<string, readonly ReceiptRow[]>,
): Check {
  const disorder: string[] = [];
  for (const [auctionId, rows] of byAuction) {
    const ordered = [...rows].sort((a, b) => a.settleSeq - b.settleSeq);
    ordered.forEach((r, i) => {
      if (r.settleSeq !== i + 1) disorder.push(`auction ${auctionId}: settle_seq ${r.settleSeq} at position ${i + 1}`);
      const previous = ordered[i - 1];
      if (previous !== undefined && compareStreamIds(previous.streamId, r.streamId) >= 0) {
        disorder.push(`auction ${auctionId}: ${r.streamId} settled after ${previous.streamId}`);
      }
    });
  }
  const auditOrder = input.audit.filter((p) => p.includes('settled after'));
  return {
    name: 'settlement order = stream order',
    ok: disorder.length === 0 && auditOrder.length === 0,
    detail: `${fmt(disorder.length + auditOrder.length)} out of order${sample([...disorder, ...auditOrder])}`,
  };
}
