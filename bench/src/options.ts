export const SCENARIOS = [
  'references',
  'gateway',
  'burst',
  'sniping',
  'uniform',
  'watchers',
  'spread',
  'sustained',
] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface Options {
  readonly scenarios: readonly Scenario[];
  /** Keep the database and the Redis keys after the run. */
  readonly keep: boolean;
  /** Gateway processes (GATEWAY_WORKERS), and the reference servers' processes. */
  readonly workers: number;
  readonly consumers: number;
  readonly shards: number;
  readonly batchSize: number | null;
  readonly connections: number;
  /** Seconds of each closed-loop and fixed-rate run. */
  readonly seconds: number;
  readonly sustainedSeconds: number;
  /** Bids per second for `sustained`; default: half of a 5 s closed-loop run with live consumers. */
  readonly sustainedRate: number | null;
  readonly fixedRateShare: number;
  readonly buyers: number;
  readonly spreadAuctions: number;
  /** Buyers bidding in the sniping scenario (and as many more for its synchronous reference). */
  readonly snipers: number;
  /** Watchers the watchers scenario's price drop reaches (and a tenth as many more it does not). */
  readonly watchers: number;
  /** CPU-profile the engine's processes (written when they exit) and summarise where the time went. */
  readonly profile: boolean;
  readonly adminUrl: string;
  readonly redisUrl: string;
}

export const USAGE = `usage: npm run bench [-- <scenario...|all>] [options]
scenarios: references, gateway, burst, sniping, uniform, watchers, spread, sustained (default: all)
options:
  --keep                 keep the run's database and Redis keys
  --workers N            gateway processes, and the reference servers' (default 2)
  --consumers N          consumer processes (default 2)
  --shards N             stream shards (default 8)
  --batch-size N         consumer BATCH_SIZE (default: the consumer's own)
  --connections N        autocannon connections (default 100)
  --seconds N            length of each measured run (default 10)
  --sustained-seconds N  length of the sustained run (default 60)
  --sustained-rate N     bids/s for sustained (default: 50% of a 5 s live maximum)
  --buyers N             funded buyers (default 10000)
  --spread-auctions N    auctions in spread and sustained (default 200)
  --snipers N            buyers in the sniping scenario, and as many for its reference (default 5000)
  --watchers N           watchers alerted by the watchers scenario's drop, plus a tenth unreached (default 10000)
  --fixed-rate-share X   fixed-rate runs at this share of the maximum (default 0.7)
  --profile              CPU-profile the gateway and consumer processes
env: BENCH_ADMIN_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres), BENCH_REDIS_URL`;

export function parseOptions(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Options {
  const scenarios = new Set<Scenario>();
  const numbers: Record<string, number> = {};
  let keep = false;
  let profile = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === 'all') for (const s of SCENARIOS) scenarios.add(s);
    else if ((SCENARIOS as readonly string[]).includes(arg)) scenarios.add(arg as Scenario);
    else if (arg === '--keep') keep = true;
    else if (arg === '--profile') profile = true;
    else if (arg.startsWith('--')) {
      const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
      const value = inline ?? argv[++i];
      const n = Number(value);
      if (value === undefined || !Number.isFinite(n) || n <= 0)
        throw new Error(`--${name} needs a positive number\n${USAGE}`);
      numbers[name] = n;
    } else throw new Error(`unknown argument ${arg}\n${USAGE}`);
  }
  const known = [
    'workers',
    'consumers',
    'shards',
    'batch-size',
    'connections',
    'seconds',
    'sustained-seconds',
    'sustained-rate',
    'buyers',
    'spread-auctions',
    'snipers',
    'watchers',
    'fixed-rate-share',
  ];
  for (const name of Object.keys(numbers))
    if (!known.includes(name)) throw new Error(`unknown option --${name}\n${USAGE}`);
  const int = (name: string, fallback: number) => Math.round(numbers[name] ?? fallback);
  return {
    scenarios: scenarios.size === 0 ? [...SCENARIOS] : SCENARIOS.filter((s) => scenarios.has(s)),
    keep,
    profile,
    workers: int('workers', 2),
    consumers: int('consumers', 2),
    shards: int('shards', 8),
    batchSize: numbers['batch-size'] === undefined ? null : int('batch-size', 1000),
    connections: int('connections', 100),
    seconds: numbers.seconds ?? 10,
    sustainedSeconds: numbers['sustained-seconds'] ?? 60,
    sustainedRate: numbers['sustained-rate'] ?? null,
    fixedRateShare: numbers['fixed-rate-share'] ?? 0.7,
    buyers: int('buyers', 10_000),
    spreadAuctions: int('spread-auctions', 200),
    snipers: int('snipers', 5_000),
    watchers: int('watchers', 10_000),
    adminUrl: env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
  };
}
