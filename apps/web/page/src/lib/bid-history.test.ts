import { describe, expect, it } from 'vitest';
import type { BoardRow } from '../api/types.ts';
import { describePosition, historyOfBoard } from './bid-history.ts';
import { START } from './english-fixtures.test-util.ts';

function row(position: number, overrides: Partial<BoardRow>): BoardRow {
  return {
    position,
    bidder: 'R***x',
    acceptedAt: new Date(START + position * 1_000 + 7).toISOString(),
    status: 'OUTBID',
    mine: false,
    ...overrides,
  };
}

describe('the bid history, from the public board', () => {
  it('lists every settled English bid in order, the viewer marked, a stale lead shown outbid', () => {
    const rows = [
      row(1, { amount: 100, mine: true, bidder: 'B***a', status: 'LEADING' }),
      row(2, { amount: 105, status: 'FAILED' }),
      row(3, { amount: 120, status: 'LEADING' }),
    ];
    expect(historyOfBoard(rows, 'english')).toEqual([
      {
        position: 1,
        bidder: 'B***a',
        at: START + 1_007,
        mine: true,
        status: 'OUTBID',
        amount: 100,
        words: '100 points',
      },
      {
        position: 2,
        bidder: 'R***x',
        at: START + 2_007,
        mine: false,
        status: 'FAILED',
        amount: 105,
        words: '105 points',
      },
      {
        position: 3,
        bidder: 'R***x',
        at: START + 3_007,
        mine: false,
        status: 'LEADING',
        amount: 120,
        words: '120 points',
      },
    ]);
  });

  it('shows Dutch quantities and unit prices, and no quantity where the stock is hidden', () => {
    const shown = historyOfBoard(
      [
        row(1, { status: 'PURCHASED', quantity: 2, unitPrice: 1_200 }),
        row(2, { status: 'PURCHASED', unitPrice: 1_100 }),
      ],
      'dutch',
    );
    expect(shown.map((entry) => [entry.status, entry.amount, entry.words])).toEqual([
      ['PURCHASED', 1_200, '2 × 1,200 points'],
      ['PURCHASED', 1_100, '1,100 points each'],
    ]);
  });

  it('says where a bid stands in each format', () => {
    expect(describePosition(12, 'dutch')).toBe('#12 in line');
    expect(describePosition(3, 'english')).toBe('Bid #3 in order');
  });
});
