import { migrate } from './migrate.ts';

const url = process.env.DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/dutch_auction';
await migrate(url);
console.log(`migrated ${new URL(url).pathname.slice(1)}`);
