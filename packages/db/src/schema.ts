/**
 * The database's tables, one file per area under schema/ (drizzle-kit reads them through this
 * file). Check constraints are built from the domain's frozen lists; instants are epoch ms at
 * this package's boundary (schema/column-types.ts).
 */
export * from './schema/auctions.ts';
export * from './schema/inbox.ts';
export * from './schema/members.ts';
export * from './schema/receipts.ts';
