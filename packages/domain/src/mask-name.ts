/** What stands for the hidden middle of a name; also the whole mask of an empty name. */
const HIDDEN = '***';

/**
 * A bidder's name on the public board: first and last character with the middle hidden
 * ("Bella" -> "B***a", "B" -> "B***"), so a buyer can recognise their own row without anyone
 * learning who bid. Characters are code points, so a name is never cut inside a surrogate pair.
 * Total: a blank name (the API requires one, but rows outlive rules) is "***". The mask never
 * shows how long the name is.
 */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  const first = chars[0];
  if (first === undefined) return HIDDEN;
  const last = chars.length > 1 ? chars[chars.length - 1] : '';
  return `${first}${HIDDEN}${last}`;
}
