/**
 * What tests share, in-process: each test's own database and Redis key prefix, seeding, a gateway
 * and consumers started in the test's process, HTTP load bursts and the invariants checked after
 * them. Private servers and the engine as real processes are in `@dutch/testkit/servers`.
 */
export * from './buy-once.ts';
export * from './close-invariants.ts';
export * from './consumers.ts';
export * from './databases.ts';
export * from './gateway.ts';
export * from './invariants.ts';
export * from './load.ts';
export * from './logs.ts';
export * from './market.ts';
export * from './notification-invariants.ts';
export * from './peer-gateway.ts';
export * from './receipts.ts';
export * from './redis.ts';
export * from './seed.ts';
export * from './seed-english.ts';
export * from './sse.ts';
export * from './stack.ts';
export * from './urls.ts';
export * from './wait.ts';
