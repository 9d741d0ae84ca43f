export * from './backoff.ts';
export * from './retryable-errors.ts';
export * from './shutdown.ts';
