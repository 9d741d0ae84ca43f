/**
 * Real processes for the tests that kill things: a private Redis and PostgreSQL in a sandbox, a
 * Redis Cluster, and the gateway and consumer as child processes.
 */

export * from './ports.ts';
export * from './postgres-server.ts';
export * from './processes.ts';
export * from './redis-cluster.ts';
export * from './redis-server.ts';
export * from './sandbox.ts';
