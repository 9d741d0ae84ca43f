/** Accumulates a points change, dropping members whose changes cancel out. */
export function addDelta(deltas: Map<string, number>, memberId: string, amount: number): void {
  const next = (deltas.get(memberId) ?? 0) + amount;
  if (next === 0) deltas.delete(memberId);
  else deltas.set(memberId, next);
}
