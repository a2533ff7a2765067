/**
 * Counts work in progress (replies being composed, posts being sent) so that
 * shutdown can wait for it to finish. Wrap each unit: `inFlight.run(() => answer(interaction))`.
 */
export class InFlight {
  private count = 0;
  private waiters: Array<() => void> = [];

  constructor(private readonly onChange?: (size: number) => void) {}

  get size(): number {
    return this.count;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    this.changeBy(1);
    try {
      return await task();
    } finally {
      this.changeBy(-1);
    }
  }

  /** Resolves once nothing is in progress (at once if nothing is). */
  idle(): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private changeBy(delta: number): void {
    this.count += delta;
    this.onChange?.(this.count);
    if (this.count === 0) {
      const waiters = this.waiters;
      this.waiters = [];
      for (const wake of waiters) wake();
    }
  }
}
