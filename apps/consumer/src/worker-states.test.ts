import { describe, expect, it } from 'vitest';
import {
  createReadStates,
  createSchedulerStates,
  createWorkerStates,
  READ_STATES,
  WORKER_STATES,
} from './worker-states.ts';

describe('the shard worker states', () => {
  it('are frozen lists, and a worker goes created -> active -> stopping -> stopped, never back', () => {
    expect(Object.isFrozen(WORKER_STATES) && Object.isFrozen(READ_STATES)).toBe(true);
    const moves: string[] = [];
    const worker = createWorkerStates((from, to, why) => moves.push(`${from}>${to}: ${why}`));
    worker.moveTo('active', 'started');
    worker.moveTo('stopping', 'asked to');
    worker.moveTo('stopping', 'asked again');
    worker.moveTo('stopped', 'done');
    expect(moves).toEqual(['created>active: started', 'active>stopping: asked to', 'stopping>stopped: done']);
    expect(() => worker.moveTo('active', 'restart')).toThrow(/no transition from stopped to active/);
    expect(worker.state).toBe('stopped');
  });

  it('start a reader recovering, so a new owner settles what is pending before reading new entries', () => {
    const reader = createReadStates();
    expect(reader.state).toBe('recovering');
    reader.moveTo('reading', 'recovered');
    reader.moveTo('recovering', 'the reader reconnected during a read');
    expect(reader.is('recovering')).toBe(true);
  });

  it('give the watch-alert scheduler the same life, under its own name', () => {
    const scheduler = createSchedulerStates();
    expect(scheduler.state).toBe('created');
    scheduler.moveTo('active', 'the consumer started');
    scheduler.moveTo('stopped', 'the last look is done');
    expect(() => scheduler.moveTo('active', 'again')).toThrow(/watch alerts: no transition from stopped to active/);
  });
});
