import { describe, expect, it } from 'vitest';
import { batchReads } from './batch-reads.ts';

describe('batchReads', () => {
  it('reads the rows asked for in one turn with one read, each id once, and answers each caller', async () => {
    const reads: string[][] = [];
    const read = batchReads(async (ids) => {
      reads.push([...ids]);
      return new Map(ids.filter((id) => id !== 'ghost').map((id) => [id, { points: id.length, heldPoints: 0 }]));
    });
    const answers = await Promise.all([read('ada'), read('grace'), read('ada'), read('ghost')]);
    expect(reads).toEqual([['ada', 'grace', 'ghost']]);
    expect(answers).toEqual([
      { points: 3, heldPoints: 0 },
      { points: 5, heldPoints: 0 },
      { points: 3, heldPoints: 0 },
      undefined,
    ]);
    // A later turn is a read of its own: one issued after its callers asked.
    await read('linus');
    expect(reads).toEqual([['ada', 'grace', 'ghost'], ['linus']]);
  });

  it('fails every caller of a turn whose read fails, and reads again on the next turn', async () => {
    let fail = true;
    const read = batchReads(async (ids) => {
      if (fail) throw new Error('connection lost');
      return new Map(ids.map((id) => [id, { points: 1, heldPoints: 0 }]));
    });
    const failed = await Promise.allSettled([read('a'), read('b')]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(read('a')).resolves.toEqual({ points: 1, heldPoints: 0 });
  });

  it('with a window, reads once for the callers of every turn within it', async () => {
    const reads: string[][] = [];
    const read = batchReads(async (ids) => {
      reads.push([...ids]);
      return new Map(ids.map((id) => [id, id.toUpperCase()]));
    }, 20);
    const first = read('a');
    await new Promise((resolve) => setImmediate(resolve));
    const second = read('b');
    expect(await Promise.all([first, second])).toEqual(['A', 'B']);
    expect(reads).toEqual([['a', 'b']]);
  });
});
