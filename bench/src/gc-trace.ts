/**
 * Bytes allocated by the server workers, from what `profiling/trace-gc.mjs` makes them print:
 * V8's --trace-gc line for every GC of every isolate (heap before and after, in MB with one
 * decimal), and the main thread's exact heap size every 100 ms. A process has more than one
 * isolate: tsx's module hooks run on a thread of their own (busy while modules load, idle
 * after). The hook forces one GC on the main thread at start ("testing"), which names the main
 * isolate, the one the samples belong to.
 *
 * Between two observations a heap only grows by allocation, so an isolate's allocation is the
 * sum of every rise: from one observation to the next sample, or to the next GC's "before".
 * Summed over a run, that is what its GCs freed plus how much the heap grew, to within the
 * rounding of the GC lines (±0.05 MB each); another isolate has GC lines only, so its figure
 * stops at its last GC. A line that names a GC but cannot be read, or a fall of the heap between
 * observations larger than that rounding, would mean a GC missed: a run with either in it is not
 * measured (null), rather than under-counted.
 */
const MB = 1024 * 1024;

/** One GC (heap before → after) of one isolate, or one heap sample of a process's main thread. */
export type HeapEvent =
  | {
      readonly kind: 'gc';
      readonly pid: number;
      readonly isolate: string;
      readonly beforeBytes: number;
      readonly afterBytes: number;
      /** Forced (reason "testing"): the hook's, on the main thread. */
      readonly forced: boolean;
    }
  | { readonly kind: 'heap'; readonly pid: number; readonly usedBytes: number };

// [6577:0x333e0ca0]   175 ms: Scavenge 4.1 (4.2) -> 3.9 (5.2) MB, 7.79 / 0.01 ms  (average mu = ...
// [6577:0x333e0ca0]  5000 ms: Mark-Compact (reduce) 20.5 (25.1) -> 15.2 (26.0) MB, ...
const GC_LINE =
  /^\[(\d+):(0x[0-9a-f]+)\]\s+[\d.]+ ms: [A-Za-z][A-Za-z ()-]*? ([\d.]+) \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB/;
const HEAP_LINE = /^\[bench-heap (\d+)\] (\d+)$/;
/** Either part of a trace line cut in two: a GC missed, so its run is not measured. */
const TRACE_WORDS = /^\[\d+:0x|bench-heap|\) -> [\d.]+ \(| MB, [\d.]+ \/ [\d.]+ ms/;
/** Falls of the heap without a GC line beyond the GC lines' rounding (0.05 MB each) would be a GC missed. */
const ROUNDING_BYTES = 0.25 * MB;

export function parseHeapLine(line: string): HeapEvent | null {
  const gc = GC_LINE.exec(line);
  if (gc !== null)
    return {
      kind: 'gc',
      pid: Number(gc[1]),
      isolate: gc[2] as string,
      beforeBytes: Math.round(Number(gc[3]) * MB),
      afterBytes: Math.round(Number(gc[4]) * MB),
      forced: / testing;/.test(line),
    };
  const heap = HEAP_LINE.exec(line.trimEnd());
  if (heap !== null) return { kind: 'heap', pid: Number(heap[1]), usedBytes: Number(heap[2]) };
  return null;
}

interface IsolateHeap {
  allocated: number;
  /** The heap size last observed, after the last GC or at the last sample. */
  level: number;
}

interface ProcessHeaps {
  readonly isolates: Map<string, IsolateHeap>;
  main: string | null;
  /** Heap samples counted (once the main isolate is known). */
  samples: number;
}

/** What the trace looked like so far: a reading is only trusted when nothing went missing in between. */
export interface TraceHealth {
  gcs: number;
  samples: number;
  garbled: number;
  /** Falls without a GC line: within rounding, and beyond it. */
  falls: number;
  fallsBeyondRounding: number;
}

export interface Reading {
  readonly totals: ReadonlyMap<number, number>;
  readonly garbled: number;
  readonly fallsBeyondRounding: number;
}

/** Running allocation totals per process, fed with every line of the traced processes' stdout. */
export class AllocationMeter {
  private readonly processes = new Map<number, ProcessHeaps>();
  readonly health: TraceHealth = { gcs: 0, samples: 0, garbled: 0, falls: 0, fallsBeyondRounding: 0 };

  /** Takes a line; true if it was one of the trace's (so it is not passed on as output). */
  take(line: string): boolean {
    const event = parseHeapLine(line);
    if (event !== null) this.record(event);
    else if (TRACE_WORDS.test(line)) this.health.garbled++;
    else return false;
    return true;
  }

  record(event: HeapEvent): void {
    const heaps = this.processes.get(event.pid) ?? { isolates: new Map(), main: null, samples: 0 };
    this.processes.set(event.pid, heaps);
    if (event.kind === 'gc') {
      if (event.forced && heaps.main === null) heaps.main = event.isolate;
      const heap = this.observe(heaps, event.isolate, event.beforeBytes);
      heap.level = event.afterBytes;
      this.health.gcs++;
    } else if (heaps.main !== null) {
      // Samples before the main isolate is known cannot be placed (there are none: the hook forces its GC first).
      this.observe(heaps, heaps.main, event.usedBytes);
      heaps.samples++;
      this.health.samples++;
    }
  }

  /** Counts the rise to `reading` as allocation; a fall is rounding (the last "after" was rounded up) or a GC missed. */
  private observe(heaps: ProcessHeaps, isolate: string, reading: number): IsolateHeap {
    const heap = heaps.isolates.get(isolate) ?? { allocated: 0, level: reading };
    heaps.isolates.set(isolate, heap);
    if (reading >= heap.level) heap.allocated += reading - heap.level;
    else {
      this.health.falls++;
      if (heap.level - reading > ROUNDING_BYTES) this.health.fallsBeyondRounding++;
    }
    heap.level = reading;
    return heap;
  }

  /** Bytes allocated by each process (all its isolates) since its first line. */
  totals(pids: readonly number[]): Map<number, number> {
    const totals = new Map<number, number>();
    for (const pid of pids) {
      const heaps = this.processes.get(pid);
      if (heaps === undefined) continue;
      let bytes = 0;
      for (const heap of heaps.isolates.values()) bytes += heap.allocated;
      totals.set(pid, bytes);
    }
    return totals;
  }

  /**
   * The totals once every process has sent two heap samples more than now (so one was taken
   * after this call, and every GC line before it has been read); null if one has not within
   * timeoutMs (a process not traced, or gone).
   */
  async read(pids: readonly number[], timeoutMs = 3_000): Promise<Reading | null> {
    const wanted = new Map(pids.map((pid) => [pid, (this.processes.get(pid)?.samples ?? 0) + 2]));
    const deadline = Date.now() + timeoutMs;
    while ([...wanted].some(([pid, n]) => (this.processes.get(pid)?.samples ?? 0) < n)) {
      if (Date.now() > deadline) return null;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const { garbled, fallsBeyondRounding } = this.health;
    return { totals: this.totals(pids), garbled, fallsBeyondRounding };
  }
}

/**
 * Bytes allocated between two readings, summed over the processes; null if either reading is
 * missing, a process is missing from one, or a GC line may have been missed in between.
 */
export function allocatedBetween(before: Reading | null, after: Reading | null): number | null {
  if (before === null || after === null || before.totals.size === 0) return null;
  if (after.garbled !== before.garbled || after.fallsBeyondRounding !== before.fallsBeyondRounding) return null;
  let bytes = 0;
  for (const [pid, start] of before.totals) {
    const end = after.totals.get(pid);
    if (end === undefined) return null;
    bytes += end - start;
  }
  return bytes;
}
