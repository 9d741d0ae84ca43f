import type { Tx } from '../client.ts';

/** Applies net point changes in one statement. */
export function applyPointDeltas(tx: Tx, deltas: ReadonlyMap<string, number>) {
  const ids = [...deltas.keys()];
  const amounts = [...deltas.values()];
  return tx`
    update members m set points = m.points + d.delta
    from unnest(${ids}::uuid[], ${amounts}::int8[]) as d(id, delta)
    where m.id = d.id`;
}
