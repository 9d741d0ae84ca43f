import type { ReadBalance } from './points-bounds.ts';

type Balance = { points: number; heldPoints: number };
type ReadMany = (memberIds: readonly string[]) => Promise<ReadonlyMap<string, Balance>>;

interface Waiter {
  readonly memberId: string;
  resolve(balance: Balance | undefined): void;
  reject(error: unknown): void;
}

/**
 * One read for every balance asked for in an event-loop turn. Each caller asked after its
 * request arrived and the read is sent after all of them asked, so it answers each as a read of
 * its own would (points-bounds.ts: a refusal is confirmed by a read issued after the bid came
 * in). A Dutch drop's refusals arrive together; one statement for them costs Postgres and the
 * driver a fraction of one each. A failed read fails every caller of its turn.
 */
export function batchBalanceReads(readMany: ReadMany): ReadBalance {
  let turn: Waiter[] | null = null;

  const send = (waiters: readonly Waiter[]) => {
    readMany([...new Set(waiters.map((w) => w.memberId))]).then(
      (balances) => {
        for (const waiter of waiters) waiter.resolve(balances.get(waiter.memberId));
      },
      (error: unknown) => {
        for (const waiter of waiters) waiter.reject(error);
      },
    );
  };

  return (memberId) =>
    new Promise((resolve, reject) => {
      if (turn === null) {
        const waiters: Waiter[] = [];
        turn = waiters;
        setImmediate(() => {
          turn = null;
          send(waiters);
        });
      }
      turn.push({ memberId, resolve, reject });
    });
}
