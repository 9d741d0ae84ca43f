import { describe, expect, it } from 'vitest';
import { AllocationMeter, allocatedBetween, parseHeapLine, type Reading } from './gc-trace.ts';

const MB = 1024 * 1024;
/** A GC line of isolate 0x1 (the main thread's once forced) or another. */
const gcLine = (before: number, after: number, isolate = '0x1', reason = 'allocation failure') =>
  `[7:${isolate}]  12 ms: Scavenge ${before.toFixed(1)} (20.0) -> ${after.toFixed(1)} (20.0) MB, 1.0 / 0.0 ms  (average mu = 1.000, current mu = 1.000) ${reason}; `;
const forced = (before: number, after: number) => gcLine(before, after, '0x1', 'testing');
const sample = (bytes: number) => `[bench-heap 7] ${bytes}`;

describe("V8's --trace-gc lines and the hook's heap samples", () => {
  it('reads a scavenge, a mark-compact, a forced GC and a heap sample', () => {
    expect(
      parseHeapLine(
        '[6577:0x333e0ca0]      175 ms: Scavenge 4.1 (4.2) -> 3.9 (5.2) MB, 7.79 / 0.01 ms  (average mu = 1.000, current mu = 1.000) allocation failure; ',
      ),
    ).toEqual({
      kind: 'gc',
      pid: 6577,
      isolate: '0x333e0ca0',
      beforeBytes: Math.round(4.1 * MB),
      afterBytes: Math.round(3.9 * MB),
      forced: false,
    });
    expect(
      parseHeapLine(
        '[12:0x7f2b14000f00]   50123 ms: Mark-Compact (reduce) 120.5 (130.0) -> 80.2 (95.0) MB, 40.1 / 0.0 ms  (+ 5.2 ms in 40 steps since start of marking) finalize incremental marking via task; GC in old space requested',
      ),
    ).toMatchObject({ pid: 12, isolate: '0x7f2b14000f00', beforeBytes: Math.round(120.5 * MB), forced: false });
    expect(
      parseHeapLine(
        '[20147:0x357c5d60]       79 ms: Mark-Compact 4.2 (4.7) -> 3.1 (5.7) MB, 11.64 / 0.01 ms  (average mu = 1.000, current mu = 1.000) testing; GC in old space requested',
      ),
    ).toMatchObject({ kind: 'gc', forced: true });
    expect(parseHeapLine('[bench-heap 6577] 4404019')).toEqual({ kind: 'heap', pid: 6577, usedBytes: 4_404_019 });
    expect(parseHeapLine('{"level":40,"msg":"something"}')).toBeNull();
  });
});

describe('the allocation meter', () => {
  it("adds every rise of the main isolate's heap: freed by GCs plus growth", () => {
    const meter = new AllocationMeter();
    meter.take(forced(10, 9)); // names the main isolate; counting starts at 10 MB
    meter.take(sample(10 * MB)); // +1 MB
    meter.take(gcLine(18, 11)); // +8 MB
    meter.take(sample(15 * MB)); // +4 MB
    meter.take(gcLine(19, 12)); // +4 MB
    expect(meter.totals([7])).toEqual(new Map([[7, 17 * MB]]));
  });

  it("keeps another isolate's GCs (tsx's module hooks thread) apart from the main one's samples", () => {
    const meter = new AllocationMeter();
    meter.take(forced(10, 9));
    meter.take(gcLine(4, 3, '0x7f00')); // another isolate: its own level
    meter.take(sample(12 * MB)); // main: +3 MB, no fall
    meter.take(gcLine(6, 3, '0x7f00')); // other: +3 MB
    expect(meter.totals([7]).get(7)).toBe(6 * MB);
    expect(meter.health).toMatchObject({ falls: 0, fallsBeyondRounding: 0 });
  });

  it('places no sample before the main isolate is known', () => {
    const meter = new AllocationMeter();
    meter.take(sample(5 * MB));
    meter.take(gcLine(8, 4));
    expect(meter.health.samples).toBe(0);
    expect(meter.totals([7]).get(7)).toBe(0);
  });

  it('does not count a fall within the rounding as negative allocation', () => {
    const meter = new AllocationMeter();
    meter.take(forced(18, 11));
    meter.take(sample(11 * MB - 30_000));
    meter.take(sample(12 * MB));
    expect(meter.totals([7]).get(7)).toBe(MB + 30_000);
    expect(meter.health).toMatchObject({ gcs: 1, samples: 2, falls: 1, fallsBeyondRounding: 0, garbled: 0 });
  });

  it('reads once every process has sent two samples more, or gives up', async () => {
    const meter = new AllocationMeter();
    meter.take(forced(1, 0));
    meter.take(sample(100));
    const reading = meter.read([7], 1_000);
    meter.take(sample(300));
    meter.take(sample(600));
    expect((await reading)?.totals).toEqual(new Map([[7, 600]]));
    expect(await meter.read([9], 50)).toBeNull();
  });

  it('measures nothing across a GC that may have been missed', async () => {
    const meter = new AllocationMeter();
    meter.take(forced(10, 9));
    const before = await Promise.all([
      meter.read([7], 1_000),
      meter.take(sample(10 * MB)),
      meter.take(sample(11 * MB)),
    ]);
    // A line cut in two, and a fall of 4 MB with no GC line: the GC between is not counted.
    expect(meter.take('[7:0x1]  2 ms: Scav')).toBe(true);
    expect(meter.take('enge 12.0 (20.0) -> 8.0 (20.0) MB, 1.0 / 0.0 ms')).toBe(true);
    expect(meter.take('{"level":50,"msg":"not a trace line"}')).toBe(false);
    meter.take(sample(7 * MB));
    const after = await Promise.all([meter.read([7], 1_000), meter.take(sample(8 * MB)), meter.take(sample(9 * MB))]);
    expect(meter.health).toMatchObject({ garbled: 2, fallsBeyondRounding: 1 });
    expect(allocatedBetween(before[0], after[0])).toBeNull();
  });
});

describe('the allocation between two readings', () => {
  const reading = (totals: [number, number][], garbled = 0, fallsBeyondRounding = 0): Reading => ({
    totals: new Map(totals),
    garbled,
    fallsBeyondRounding,
  });
  const before = reading([
    [1, 100],
    [2, 1_000],
  ]);

  it('sums the processes', () => {
    const after = reading([
      [1, 150],
      [2, 1_200],
    ]);
    expect(allocatedBetween(before, after)).toBe(250);
  });

  it('says nothing when a reading or a process is missing', () => {
    expect(allocatedBetween(before, reading([[1, 150]]))).toBeNull();
    expect(allocatedBetween(null, before)).toBeNull();
    expect(allocatedBetween(reading([]), reading([]))).toBeNull();
  });
});
