import pLimit, { type LimitFunction } from 'p-limit';

/**
 * The work owed after an ack (claiming the delivery, the admin check,
 * dispatch, rendering, respond()). Slack gives a request 3 s to be
 * acknowledged and a burst of commands arrives together, so acks come
 * first: answers wait while any request still owes its ack (and a moment
 * after the last one, for requests already on their way), then run a few
 * at a time. Without this, the first answers' searches, renders and
 * response_url posts share the event loop with the acks of the requests
 * still arriving. The wait is bounded (`maxHoldMs`) so a steady stream of
 * requests cannot starve the answers. stop() can wait for the answers
 * still owed.
 */
export interface AnswerQueueOptions {
  /** Answers worked on at once. */
  concurrency: number;
  /** How long no request may be owed an ack before answers start. */
  quietMs?: number;
  /** The longest an answer waits for acks before it starts anyway. */
  maxHoldMs?: number;
}

/** Requests of one burst arrive within a few ms of each other. */
const QUIET_MS = 5;
/** Far inside Slack's patience for answers (response_url lasts 30 minutes), short for a person. */
const MAX_HOLD_MS = 500;

export class AnswerQueue {
  private readonly limit: LimitFunction;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly quietMs: number;
  private readonly maxHoldMs: number;
  /** Requests received whose HTTP response (the ack) has not been written yet. */
  private acksOwed = 0;
  /** Answers waiting for the acks to go out. */
  private held: Array<() => void> = [];
  private quietTimer: NodeJS.Timeout | undefined;
  private holdTimer: NodeJS.Timeout | undefined;

  constructor(options: AnswerQueueOptions) {
    this.limit = pLimit(options.concurrency);
    this.quietMs = options.quietMs ?? QUIET_MS;
    this.maxHoldMs = options.maxHoldMs ?? MAX_HOLD_MS;
  }

  /**
   * A request arrived that will be acknowledged; call the returned function
   * once its ack is written (calling it again does nothing).
   */
  ackOwed(): () => void {
    this.acksOwed += 1;
    this.clearQuietTimer();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.acksOwed -= 1;
      this.releaseWhenQuiet();
    };
  }

  run(job: () => Promise<void>): Promise<void> {
    const running = this.acksSent().then(() => this.limit(job));
    this.inFlight.add(running);
    void running.finally(() => this.inFlight.delete(running)).catch(() => undefined);
    return running;
  }

  /** Waits for the answers in progress or queued, at most `timeoutMs`. */
  async drain(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    // Held answers are not held back any longer: nothing is arriving now.
    this.release();
    await Promise.race([Promise.allSettled([...this.inFlight]), deadline]);
    clearTimeout(timer);
  }

  private acksSent(): Promise<void> {
    return new Promise((resolve) => {
      this.held.push(resolve);
      this.holdTimer ??= setTimeout(() => this.release(), this.maxHoldMs);
      this.releaseWhenQuiet();
    });
  }

  private releaseWhenQuiet(): void {
    if (this.acksOwed > 0 || this.held.length === 0 || this.quietTimer) return;
    this.quietTimer = setTimeout(() => {
      this.quietTimer = undefined;
      if (this.acksOwed === 0) this.release();
    }, this.quietMs);
  }

  private release(): void {
    this.clearQuietTimer();
    clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    const held = this.held;
    this.held = [];
    for (const start of held) start();
  }

  private clearQuietTimer(): void {
    clearTimeout(this.quietTimer);
    this.quietTimer = undefined;
  }
}
