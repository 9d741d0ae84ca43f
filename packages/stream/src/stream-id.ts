/**
 * Redis stream ids "<ms>-<seq>" in the order Redis gives them: numerically, part by part
 * ("…-10" after "…-9"). Both parts are 64-bit, so they are compared as BigInt.
 */
export function compareStreamIds(a: string, b: string): number {
  const [am = 0n, as = 0n] = a.split('-').map(BigInt);
  const [bm = 0n, bs = 0n] = b.split('-').map(BigInt);
  if (am !== bm) return am < bm ? -1 : 1;
  return as === bs ? 0 : as < bs ? -1 : 1;
}
