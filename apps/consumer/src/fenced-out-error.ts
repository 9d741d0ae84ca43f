/** This consumer no longer holds the shard's lock: someone else settles it now. */
export class FencedOutError extends Error {
  constructor(readonly shard: number) {
    super(`shard ${shard} is no longer ours`);
    this.name = 'FencedOutError';
  }
}
