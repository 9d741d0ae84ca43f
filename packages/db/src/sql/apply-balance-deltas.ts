import type { Tx } from '../client.ts';

/**
 * Applies net changes of free and held points in one statement (the domain's balanceDeltasOf()).
 * A member in only one map moves only that balance.
 */
export function applyBalanceDeltas(
  tx: Tx,
  deltas: { readonly points: ReadonlyMap<string, number>; readonly held: ReadonlyMap<string, number> },
) {
  const ids = [...new Set([...deltas.points.keys(), ...deltas.held.keys()])];
  const points = ids.map((id) => deltas.points.get(id) ?? 0);
  const held = ids.map((id) => deltas.held.get(id) ?? 0);
  return tx`
    update members m set points = m.points + d.points, held_points = m.held_points + d.held
    from unnest(${ids}::uuid[], ${points}::int8[], ${held}::int8[]) as d(id, points, held)
    where m.id = d.id`;
}
