// Loaded with NODE_OPTIONS=--import=<this file> into every process of the engine when the bench
// runs with --profile: the same V8 CPU profiler as `node --cpu-prof` (which NODE_OPTIONS does
// not allow), started at boot and written to BENCH_PROFILE_DIR when the process exits.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const dir = process.env.BENCH_PROFILE_DIR;
const script = process.argv[1] ?? '';
const roles = [
  ['apps/consumer/', 'consumer'],
  ['apps/gateway/src/server.ts', 'gateway'],
  ['bare-server', 'bare'],
  ['sync-server', 'sync'],
];
const role = roles.find(([part]) => script.includes(part))?.[1] ?? 'launcher';

if (dir !== undefined) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  session.post('Profiler.start');
  process.on('exit', () => {
    // A same-thread inspector session answers synchronously, so this completes before exit.
    session.post('Profiler.stop', (error, result) => {
      if (error === null && result !== undefined) {
        writeFileSync(join(dir, `${role}-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
      }
    });
  });
}
