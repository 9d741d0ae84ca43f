export * from './auction-sql.ts';
export * from './auction-terms.ts';
export * from './auction-values.ts';
export * from './audit.ts';
export * from './client.ts';
export * from './migrate.ts';
export * from './schema.ts';
export * from './sql/index.ts';
