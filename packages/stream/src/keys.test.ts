import calculateSlot from 'cluster-key-slot';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  closingKey,
  deadLetterKey,
  idempotencyClaimKey,
  idempotencyReplayKey,
  type KeyLayout,
  pendingReceiptsKey,
  streamKey,
} from './keys.ts';
import { shardOf } from './shard.ts';

const layout: KeyLayout = { prefix: 'dutch:', shards: 16 };

describe('key layout', () => {
  it("keeps every key of a shard in that shard's Redis Cluster slot", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 15 }),
        fc.uuid(),
        fc.string({ minLength: 1, maxLength: 64 }),
        (shard, id, key) => {
          const slot = calculateSlot(streamKey(layout, shard));
          expect(calculateSlot(deadLetterKey(layout, shard))).toBe(slot);
          expect(calculateSlot(pendingReceiptsKey(layout, shard))).toBe(slot);
          expect(calculateSlot(closingKey(layout, shard, id))).toBe(slot);
          expect(calculateSlot(idempotencyReplayKey(layout, shard, id, key))).toBe(slot);
        },
      ),
    );
  });

  it("keeps a buyer's idempotency claims in the buyer's own slot, whatever the key", () => {
    const buyer = '01900000-0000-7000-8000-000000000003';
    expect(calculateSlot(idempotencyClaimKey(layout, buyer, 'a'))).toBe(
      calculateSlot(idempotencyClaimKey(layout, buyer, 'b{c}')),
    );
  });
});

describe('shardOf', () => {
  it('is stable: the same auction always lands on the same shard', () => {
    // Fixed vectors: a change here would move live auctions between streams.
    expect(shardOf('00000000-0000-4000-8000-000000000000', 8)).toBe(shardOf('00000000-0000-4000-8000-000000000000', 8));
    expect([0, 1, 2].map((i) => shardOf(`0190${i}000-0000-7000-8000-000000000000`, 1))).toEqual([0, 0, 0]);
    // FNV-1a 32 of this id is 3905166385, computed independently.
    expect(shardOf('3f2504e0-4f89-41d3-9a0c-0305e82c3301', 8)).toBe(3905166385 % 8);
  });

  it('spreads auctions evenly over the shards', () => {
    const counts = new Array(8).fill(0);
    fc.assert(
      fc.property(fc.uuid(), (id) => {
        const shard = shardOf(id, 8);
        expect(shard).toBeGreaterThanOrEqual(0);
        expect(shard).toBeLessThan(8);
        counts[shard]++;
      }),
      { numRuns: 8_000 },
    );
    for (const n of counts) expect(n).toBeGreaterThan(800);
  });
});
