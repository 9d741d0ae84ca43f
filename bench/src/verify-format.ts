/** How the verification's check details print numbers and examples. */
export const fmt = (n: number) => n.toLocaleString('en-US');

/** A few examples out of a list of problems, naming how many more there are. */
export const sample = (items: readonly string[], n = 3) =>
  items.length === 0
    ? ''
    : ` e.g. ${items.slice(0, n).join('; ')}${items.length > n ? ` (+${items.length - n} more)` : ''}`;
