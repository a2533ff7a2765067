import pLimit, { type LimitFunction } from 'p-limit';

/**
 * The work owed after an ack (dispatch, rendering, respond()). Slack gives a
 * request 3 s to be acknowledged and a burst of commands arrives together,
 * so answers run a few at a time: the acks of requests still arriving are
 * not stuck behind a hundred searches. stop() can wait for the answers
 * still owed.
 */
export class AnswerQueue {
  private readonly limit: LimitFunction;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(concurrency: number) {
    this.limit = pLimit(concurrency);
  }

  run(job: () => Promise<void>): Promise<void> {
    const running = this.limit(job);
    this.inFlight.add(running);
    void running.finally(() => this.inFlight.delete(running)).catch(() => undefined);
    return running;
  }

  /** Waits for the answers in progress or queued, at most `timeoutMs`. */
  async drain(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.allSettled([...this.inFlight]), deadline]);
    clearTimeout(timer);
  }
}
