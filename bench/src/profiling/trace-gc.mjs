// Loaded with NODE_OPTIONS=--import=<this file> into the engine and the bare-hono reference by
// the gateway scenario only, to count the bytes each server worker allocates (Node 20 has no
// total-allocated counter). In node:cluster workers (the gateway workers and the bare server's
// workers; not the launcher, the consumers or a cluster primary) it turns on V8's --trace-gc,
// which NODE_OPTIONS does not allow, so every GC of every isolate prints its heap size before
// and after on stdout; forces one GC on the main thread, whose line ("testing") names the main
// isolate (tsx's module hooks run on a thread, and an isolate, of their own); and prints the
// main thread's exact heap size every 100 ms. bench/src/gc-trace.ts adds it up.
import cluster from 'node:cluster';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

if (cluster.isWorker) {
  setFlagsFromString('--trace-gc');
  // `gc` only in a context of its own, and only for this one call: the server's globals never see it.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc');
  setFlagsFromString('--no-expose-gc');
  gc();
  const sample = () => process.stdout.write(`[bench-heap ${process.pid}] ${getHeapStatistics().used_heap_size}\n`);
  sample();
  setInterval(sample, 100).unref();
}
