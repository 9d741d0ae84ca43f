/**
 * The report's sections for issue 12's scenarios: English settlement against the synchronous
 * design, what became of the sniped auction, and the uniform-price close.
 */
import { div, mb, ms, n0, table, x } from './report-format.ts';
import type { LeadingRate, RunResults, SnipingFigures, Target, UniformFigures } from './results.ts';

const rateRow = (label: string, s: LeadingRate, versus: string): string[] => [
  label,
  n0(s.receipts),
  n0(s.leading),
  `${n0(s.receiptsPerSecond)}/s`,
  `${n0(s.leadingPerSecond)}/s`,
  versus,
];

/** Leading bids settled per second by the engine over the synchronous design's, or null. */
export function leadingRatio(r: RunResults): number | null {
  return div(r.sniping?.settled.leadingPerSecond, r.references.syncEnglish?.settled.leadingPerSecond);
}

function writeEnglishSettlement(r: RunResults): string[] {
  const { syncEnglish } = r.references;
  const rows: string[][] = [];
  if (syncEnglish)
    rows.push(rateRow('synchronous: one transaction per bid under the row lock', syncEnglish.settled, '1.00×'));
  if (r.sniping)
    rows.push(rateRow('consumers, live, in the last seconds of the auction', r.sniping.settled, x(leadingRatio(r))));
  const header = ['', 'receipts', 'leading bids', 'receipts/s', 'leading bids/s', 'leading bids/s vs synchronous'];
  return ['### English settlement (the same climbing bids)', '', table(header, rows), ''];
}

const outcomeList = (outcomes: Readonly<Record<string, number>>) =>
  Object.entries(outcomes)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n0(n)}`)
    .join(', ');

function writeSnipedAuction(s: SnipingFigures): string[] {
  const a = s.auction;
  const rows = [
    ['buyers (a tenth without points, a tenth with little)', n0(s.buyers)],
    ['accepted (202)', `${n0(s.accepted)} (${n0(s.acceptedPerSecond)}/s)`],
    ['receipts by outcome at their turn', outcomeList(s.outcomes)],
    ['start, reserve, soft close', `${a.startPrice}, ${a.reservePrice ?? 'none'}, ${a.extendSeconds} s`],
    ['scheduled end → final end', `${a.scheduledEndsAt} → ${a.endsAt} (${n0(a.extensions)} extensions)`],
    ['result', `${a.result}${a.highBid === null ? '' : ` at ${n0(a.highBid)}`}`],
    ['closed after the final end', ms(a.closedAfterEndMs)],
    [
      '409 AUCTION_NOT_RUNNING at once: before an extension the gateway had not heard of / after the end',
      `${n0(s.lateness.refusedBeforeExtendedEnd)} / ${n0(s.lateness.refusedAfterEnd)}`,
    ],
    [
      'accept→settle p50 / p99 / max',
      `${ms(s.acceptSettleMs.p50)} / ${ms(s.acceptSettleMs.p99)} / ${ms(s.acceptSettleMs.max)}`,
    ],
  ];
  return ['### The sniped auction', '', table(['', ''], rows), ''];
}

function writeUniformClose(u: UniformFigures): string[] {
  const prices = Object.entries(u.prices)
    .sort((a, b) => Number(b[0]) - Number(a[0]))
    .map(([price, n]) => `${n0(n)} at ${price}`)
    .join(', ');
  const rows = [
    ['accepted (202)', n0(u.accepted)],
    ['receipts', outcomeList(u.outcomes)],
    ['PURCHASED receipts by unit price', prices || 'none'],
    ['clearing price', u.clearingPrice === null ? '–' : String(u.clearingPrice)],
    ['receipts rebated, points given back', `${n0(u.rebated)}, ${n0(u.rebateTotal)}`],
    ['closed after its end', ms(u.closedAfterEndMs)],
  ];
  return ['### Uniform price: one clearing price at the close', '', table(['', ''], rows), ''];
}

/** The section, or nothing when neither scenario ran (older results render as before). */
export function writeVersion2(r: RunResults): string[] {
  if (r.sniping === undefined && r.uniform === undefined && r.references.syncEnglish === undefined) return [];
  return [
    '## English sniping and uniform pricing',
    '',
    ...(r.sniping !== undefined || r.references.syncEnglish !== undefined ? writeEnglishSettlement(r) : []),
    ...(r.sniping ? writeSnipedAuction(r.sniping) : []),
    ...(r.uniform ? writeUniformClose(r.uniform) : []),
  ];
}

export function listVersion2Targets(r: RunResults): Target[] {
  const targets: Target[] = [];
  const s = r.sniping;
  const sync = r.references.syncEnglish;
  if (s !== undefined) {
    targets.push({
      name: `Sniping: leading bids settled/s (one English auction, ${n0(s.buyers)} buyers, live consumers)`,
      value: `${n0(s.settled.leadingPerSecond)}/s (${n0(s.settled.leading)} of ${n0(s.settled.receipts)} receipts)`,
      reference: sync === undefined ? '–' : `synchronous ${n0(sync.settled.leadingPerSecond)}/s`,
      ratio: x(leadingRatio(r)),
      target: '(reported)',
      met: null,
    });
  }
  const u = r.uniform;
  if (u !== undefined) {
    targets.push({
      name: 'Uniform close: clearing price, rebates',
      value: `${u.clearingPrice ?? '–'}; ${n0(u.rebated)} receipts rebated ${n0(u.rebateTotal)} points`,
      reference: '–',
      ratio: '–',
      target: '(verified)',
      met: null,
    });
  }
  return targets;
}

export function memoryRowsV2(r: RunResults): string[][] {
  return [
    ...(r.sniping ? [['sniping', mb(r.sniping.memory.gatewayPeakBytes), mb(r.sniping.memory.consumerPeakBytes)]] : []),
    ...(r.uniform ? [['uniform', mb(r.uniform.memory.gatewayPeakBytes), mb(r.uniform.memory.consumerPeakBytes)]] : []),
  ];
}
