export * from './events.ts';
export * from './keys.ts';
export * from './message.ts';
export * from './pending-receipt.ts';
export * from './queue-bid-script.ts';
export * from './redis.ts';
export * from './shard.ts';
export * from './stream-id.ts';
