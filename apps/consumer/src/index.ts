export * from './config.ts';
export * from './consumer.ts';
export * from './metrics.ts';
