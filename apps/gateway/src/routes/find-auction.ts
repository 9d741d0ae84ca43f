// The query lives in @dutch/db; this path stays only until app.ts, auctions.ts and events.ts import it from there.
export { findAuction } from '@dutch/db';
