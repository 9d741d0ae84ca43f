import { Writable } from 'node:stream';
import pino from 'pino';

/** A logger whose every line is kept, parsed, for a test to read (what the gateway logs, and what it must not). */
export function captureLogs(level: pino.Level = 'info'): { logger: pino.Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line !== '') lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level }, sink), lines };
}
