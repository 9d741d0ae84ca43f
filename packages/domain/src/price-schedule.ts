import type { Millis, PriceSchedule } from './auction.ts';

/**
 * The price at step k (k = 0 .. stepCount-1), which applies from startsAt + k * interval.
 * Constant drops have a closed form; percentage drops floor at every step, which has none,
 * so their steps are computed once per schedule and cached.
 */
export function stepCount(schedule: PriceSchedule): number {
  return Math.round((schedule.endsAt - schedule.startsAt) / 1000 / schedule.dropIntervalSeconds);
}

export function intervalMs(schedule: PriceSchedule): number {
  return schedule.dropIntervalSeconds * 1000;
}

/** The instant step k begins. */
export function stepStartsAt(schedule: PriceSchedule, step: number): Millis {
  return schedule.startsAt + step * intervalMs(schedule);
}

/** The step in force at `now`; before the start that is step 0, after the end the last step. */
export function stepAt(schedule: PriceSchedule, now: Millis): number {
  if (now <= schedule.startsAt) return 0;
  const step = Math.floor((now - schedule.startsAt) / intervalMs(schedule));
  return Math.min(step, stepCount(schedule) - 1);
}

/** One percentage step, in exact integer arithmetic: floor(p * (100 - percent) / 100). */
export function dropByPercent(price: number, percent: number): number {
  const scaled = price * (100 - percent);
  return (scaled - (scaled % 100)) / 100;
}

/** The step's price before the floor is applied; can be <= 0 for schedules without a floor. */
export function unclampedPriceAtStep(schedule: PriceSchedule, step: number): number {
  const drop = schedule.priceDrop;
  if (drop.kind === 'constant') return schedule.startPrice - step * drop.amount;
  const table = percentageTable(schedule.startPrice, drop.percent);
  return step < table.length ? (table[step] as number) : 0;
}

export function priceAtStep(schedule: PriceSchedule, step: number): number {
  const price = unclampedPriceAtStep(schedule, step);
  return schedule.floorPrice === null ? price : Math.max(price, schedule.floorPrice);
}

/** The price a buyer pays at `now`. Before the start: startPrice; after the end: the last step's. */
export function priceAt(schedule: PriceSchedule, now: Millis): number {
  return priceAtStep(schedule, stepAt(schedule, now));
}

/** The instant the next step begins, or null during the last step and after the end. */
export function nextDropAt(schedule: PriceSchedule, now: Millis): Millis | null {
  if (now >= schedule.endsAt) return null;
  const next = now < schedule.startsAt ? 1 : stepAt(schedule, now) + 1;
  if (next >= stepCount(schedule)) return null;
  return stepStartsAt(schedule, next);
}

export interface PriceView {
  readonly currentPrice: number;
  /** The price from nextDropAt on, or null when there is no further step. */
  readonly nextPrice: number | null;
  readonly nextDropAt: Millis | null;
}

export function priceViewAt(schedule: PriceSchedule, now: Millis): PriceView {
  const at = nextDropAt(schedule, now);
  return {
    currentPrice: priceAt(schedule, now),
    nextPrice: at === null ? null : priceAt(schedule, at),
    nextDropAt: at,
  };
}

/** Every step's price, in order: for charts and for the database's sortable copy. */
export function priceSteps(schedule: PriceSchedule): number[] {
  const count = stepCount(schedule);
  const steps = new Array<number>(count);
  for (let k = 0; k < count; k++) steps[k] = priceAtStep(schedule, k);
  return steps;
}

/** The price at the last step, i.e. the price from the last drop to the end. */
export function finalPrice(schedule: PriceSchedule): number {
  return priceAtStep(schedule, stepCount(schedule) - 1);
}

/**
 * Percentage prices fall by at least 1 per step while above 0, so a table never needs more
 * entries than the start price, and never more than the longest auction has steps.
 */
const MAX_TABLE_STEPS = 3600;
const TABLE_CACHE_LIMIT = 512;
const tables = new Map<string, readonly number[]>();

function percentageTable(startPrice: number, percent: number): readonly number[] {
  const key = `${startPrice}:${percent}`;
  const cached = tables.get(key);
  if (cached !== undefined) return cached;
  const table: number[] = [startPrice];
  let price = startPrice;
  while (price > 0 && table.length < MAX_TABLE_STEPS) {
    price = dropByPercent(price, percent);
    table.push(price);
  }
  if (tables.size >= TABLE_CACHE_LIMIT) {
    const oldest = tables.keys().next().value;
    if (oldest !== undefined) tables.delete(oldest);
  }
  tables.set(key, table);
  return table;
}
