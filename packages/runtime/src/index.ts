export * from './backoff.ts';
export * from './process-messages.ts';
export * from './retryable-errors.ts';
export * from './shutdown.ts';
