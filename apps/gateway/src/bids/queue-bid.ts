/**
 * The bid script lives in @dutch/stream beside the idempotency record it writes; this module
 * keeps the gateway's existing imports working until they name @dutch/stream themselves.
 */
export { defineQueueBid, type QueueBidArgs, type QueueBidKeys, type QueueMode, queueBid } from '@dutch/stream';
