export * from './common.ts';
export * from './env.ts';
