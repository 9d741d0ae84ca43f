/** What a settlement transaction checks to prove its consumer still owns the shard (a session advisory lock). */
export interface Fence {
  readonly classId: number;
  readonly shard: number;
  readonly pid: number;
}
