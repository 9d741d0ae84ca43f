/**
 * The verification every run ends with, as a pure function of what was read back from
 * Postgres and Redis and what the load generator was answered. It does not reuse the
 * consumer's settlement code: it replays each auction's receipts in settlement order, one at
 * a time, through the domain's own rules (settleBids), and checks that every outcome, every
 * sold unit and every point moved is what those rules allow.
 */
import type { ReceiptRow } from '@dutch/testkit/receipts';
import { checkAudit, checkLedgerSums, checkNothingNegative, checkRefusals, checkTransport } from './verify-balances.ts';
import type { Check, OutcomeInput } from './verify-input.ts';
import { checkAnswers, checkNothingPending, checkSettlementOrder, compareAnswers } from './verify-receipts.ts';
import { checkOutcomes, checkSold, replayAuctions } from './verify-rules.ts';

export type {
  AnsweredReceipt,
  AuctionFacts,
  Check,
  OutcomeInput,
  QueueState,
  TransportState,
} from './verify-input.ts';
export {
  type AuctionReplay,
  outcomeOf,
  type PointsWindow,
  type ReplayState,
  type Ruling,
  replayAuction,
  ruleOn,
  soldMatchesDemand,
} from './verify-replay.ts';
export type { ReceiptRow };

export function verifyOutcome(input: OutcomeInput): Check[] {
  const byId = new Map(input.receipts.map((r) => [r.id, r]));
  const byAuction = new Map<string, ReceiptRow[]>(input.auctions.map((a) => [a.id, []]));
  for (const r of input.receipts) byAuction.get(r.auctionId)?.push(r);
  const answers = compareAnswers(input, byId);
  const replays = replayAuctions(input, byAuction);
  return [
    checkAnswers(input, answers),
    checkNothingPending(input, answers.missing),
    checkSold(replays),
    checkOutcomes(input, replays),
    checkSettlementOrder(input, byAuction),
    checkNothingNegative(input),
    checkLedgerSums(input),
    checkAudit(input),
    checkRefusals(input),
    checkTransport(input),
  ];
}
