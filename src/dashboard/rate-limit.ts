/**
 * Failed sign-in attempts (forged, expired or used links) per client
 * address, counted in a fixed window in this process. Links are unguessable
 * (HMAC), so this only stops one client from hammering the page; a
 * per-instance count is enough for that. Only failures count, so admins
 * behind one proxy address are not locked out by each other's sign-ins.
 */
export class AttemptLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly max = 20,
    private readonly windowMs = 10 * 60_000,
    private readonly clock: () => number = Date.now,
  ) {}

  /** True when the client has failed too often in this window: refuse without looking at the link. */
  blocked(client: string): boolean {
    const window = this.windows.get(client);
    return window !== undefined && this.clock() - window.start < this.windowMs && window.count >= this.max;
  }

  /** Counts a failed attempt. */
  fail(client: string): void {
    const now = this.clock();
    let window = this.windows.get(client);
    if (!window || now - window.start >= this.windowMs) {
      // Forget stale clients now and then so the map cannot grow without bound.
      if (this.windows.size > 10_000) for (const [k, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(k);
      window = { start: now, count: 0 };
      this.windows.set(client, window);
    }
    window.count += 1;
  }
}
