/** Open long-lived responses (SSE), so a shutting-down gateway can end them instead of waiting forever. */
export class OpenConnections {
  private readonly closers = new Set<() => void>();
  /** Live streams per client address, for the per-address cap. */
  private readonly perAddress = new Map<string, number>();

  add(close: () => void): () => void {
    this.closers.add(close);
    return () => this.closers.delete(close);
  }

  /**
   * Takes one of `address`'s `limit` stream slots, or answers null when it holds them all.
   * Synchronous, so requests racing in from one address cannot all pass the check.
   * The returned release is safe to call more than once.
   */
  claim(address: string, limit: number): (() => void) | null {
    const held = this.perAddress.get(address) ?? 0;
    if (held >= limit) return null;
    this.perAddress.set(address, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.perAddress.get(address) ?? 1) - 1;
      if (left <= 0) this.perAddress.delete(address);
      else this.perAddress.set(address, left);
    };
  }

  /** Streams `address` holds open now. */
  heldBy(address: string): number {
    return this.perAddress.get(address) ?? 0;
  }

  get size(): number {
    return this.closers.size;
  }

  closeAll(): void {
    for (const close of [...this.closers]) close();
    this.closers.clear();
  }
}
