import type { ReadinessCheck } from './health-server.ts';

/**
 * Where each configured platform stands, for /readyz and for the parts that
 * wait for a platform (the scheduler catches up when one comes back):
 * - `connecting`: not connected yet since start-up;
 * - `connected`: commands are answered, posts go out;
 * - `reconnecting`: was connected, lost the connection, trying again;
 * - `refused`: the platform refused the credentials; nothing is sent to it
 *   until an operator fixes the setting and restarts.
 */
export type PlatformState = 'connecting' | 'connected' | 'reconnecting' | 'refused';

export interface PlatformStatus {
  state: PlatformState;
  /** The last reason given (why it is not connected, or how it connected). */
  reason: string;
  /** When the state was entered (ISO instant). */
  since: string;
}

export type PlatformListener = (platform: string, status: PlatformStatus) => void;

export class PlatformStates {
  private readonly statuses = new Map<string, PlatformStatus>();
  private readonly listeners: PlatformListener[] = [];

  constructor(
    platforms: readonly string[],
    private readonly now: () => Date = () => new Date(),
  ) {
    for (const platform of platforms) this.statuses.set(platform, { state: 'connecting', reason: 'starting', since: this.now().toISOString() });
  }

  /** Records a state; `refused` is final (only a restart with a new setting lifts it). */
  set(platform: string, state: PlatformState, reason: string): void {
    const before = this.statuses.get(platform);
    if (before?.state === 'refused') return;
    const status = { state, reason, since: before?.state === state ? before.since : this.now().toISOString() };
    this.statuses.set(platform, status);
    for (const listener of this.listeners) listener(platform, status);
  }

  get(platform: string): PlatformStatus | undefined {
    return this.statuses.get(platform);
  }

  platforms(): string[] {
    return [...this.statuses.keys()];
  }

  /** True when every platform was refused: nothing is left that could ever connect. */
  allRefused(): boolean {
    return [...this.statuses.values()].every((s) => s.state === 'refused');
  }

  /** Calls `listener` on every state recorded; returns the function that stops it. */
  onChange(listener: PlatformListener): () => void {
    this.listeners.push(listener);
    return () => {
      const index = this.listeners.indexOf(listener);
      if (index !== -1) this.listeners.splice(index, 1);
    };
  }

  /** The /readyz check of one platform: ready only when connected; the state and reason say why not. */
  check(platform: string): ReadinessCheck {
    const check: ReadinessCheck = async () => {
      const status = this.statuses.get(platform)!;
      return { name: platform, ok: status.state === 'connected', state: status.state, detail: status.reason, since: status.since };
    };
    return check;
  }
}
