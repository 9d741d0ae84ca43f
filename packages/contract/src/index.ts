export * from './auctions.ts';
export * from './bid-board.ts';
export * from './bids.ts';
export * from './common.ts';
export * from './members.ts';
export * from './notifications.ts';
export * from './receipts.ts';
export * from './watches.ts';
