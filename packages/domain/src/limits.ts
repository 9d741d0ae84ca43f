/** Bounds the contract states, plus the ones that keep every total an exact JS integer. */
export const MAX_DURATION_SECONDS = 3600;
/** Clock skew tolerated between a client that picks `startsAt = now` and the server. */
export const START_SKEW_MS = 5_000;
/** startPrice <= 10^9 and stock <= 10^6 keep price * quantity below 2^53. */
export const MAX_PRICE = 1_000_000_000;
export const MAX_STOCK = 1_000_000;
export const MAX_CHARGE = 1_000_000_000;
export const MAX_PERCENT = 50;
export const MIN_PERCENT = 1;
export const MAX_AGE = 150;
/** An Idempotency-Key: 1-255 visible ASCII characters (the header's whole grammar). */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
/** The largest request body the API reads. */
export const MAX_BODY_BYTES = 64 * 1024;
/** The longest English auction (before soft-close extensions). */
export const MAX_ENGLISH_DURATION_SECONDS = 7 * 24 * 3600;
/** The longest soft-close extension a seller may choose. */
export const MAX_EXTEND_SECONDS = 600;
/** The largest English bid: the Dutch price bound, so amounts stay exact and fit the database's int. */
export const MAX_BID_AMOUNT = MAX_PRICE;
