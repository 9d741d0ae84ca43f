export * from './auctions.ts';
export * from './bids.ts';
export * from './common.ts';
export * from './members.ts';
export * from './receipts.ts';
