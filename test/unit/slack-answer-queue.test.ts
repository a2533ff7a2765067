import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AnswerQueue } from '../../src/platform/slack/answer-queue.ts';

/** An answer job that records when it starts and finishes when told to. */
function job(started: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    run: async () => {
      started.push(name);
      await done;
    },
    finish: () => finish(),
  };
}

describe('Slack answer queue: acks first, then answers', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('GIVEN requests still owed their acks WHEN answers are queued THEN none starts until every ack is sent', async () => {
    const queue = new AnswerQueue({ concurrency: 8, quietMs: 5, maxHoldMs: 500 });
    const started: string[] = [];
    const first = queue.ackOwed();
    const second = queue.ackOwed();
    const a = job(started, 'a');
    void queue.run(a.run);
    first();
    await vi.advanceTimersByTimeAsync(100);
    expect(started).toEqual([]);
    second();
    await vi.advanceTimersByTimeAsync(5);
    expect(started).toEqual(['a']);
    a.finish();
  });

  it('GIVEN a request arriving during the quiet moment after the last ack THEN the answers wait for its ack too', async () => {
    const queue = new AnswerQueue({ concurrency: 8, quietMs: 5, maxHoldMs: 500 });
    const started: string[] = [];
    queue.ackOwed()();
    void queue.run(job(started, 'a').run);
    await vi.advanceTimersByTimeAsync(3);
    const late = queue.ackOwed();
    await vi.advanceTimersByTimeAsync(20);
    expect(started).toEqual([]);
    late();
    await vi.advanceTimersByTimeAsync(5);
    expect(started).toEqual(['a']);
  });

  it('GIVEN acks that keep being owed (a steady stream) THEN an answer still starts after maxHoldMs', async () => {
    const queue = new AnswerQueue({ concurrency: 8, quietMs: 5, maxHoldMs: 500 });
    const started: string[] = [];
    queue.ackOwed();
    void queue.run(job(started, 'a').run);
    await vi.advanceTimersByTimeAsync(499);
    expect(started).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(started).toEqual(['a']);
  });

  it('GIVEN no HTTP request owed (Socket Mode) THEN an answer starts after the quiet moment', async () => {
    const queue = new AnswerQueue({ concurrency: 8, quietMs: 5, maxHoldMs: 500 });
    const started: string[] = [];
    void queue.run(job(started, 'a').run);
    await vi.advanceTimersByTimeAsync(5);
    expect(started).toEqual(['a']);
  });

  it('GIVEN more answers than the concurrency THEN the rest start as earlier ones finish', async () => {
    const queue = new AnswerQueue({ concurrency: 2, quietMs: 5, maxHoldMs: 500 });
    const started: string[] = [];
    const jobs = ['a', 'b', 'c'].map((name) => job(started, name));
    const runs = jobs.map((j) => queue.run(j.run));
    await vi.advanceTimersByTimeAsync(5);
    expect(started).toEqual(['a', 'b']);
    jobs[0]!.finish();
    await runs[0];
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual(['a', 'b', 'c']);
    jobs[1]!.finish();
    jobs[2]!.finish();
    await Promise.all(runs);
  });

  it('GIVEN held answers WHEN the queue is drained for a stop THEN they start at once and are waited for', async () => {
    const queue = new AnswerQueue({ concurrency: 8, quietMs: 5, maxHoldMs: 500 });
    const started: string[] = [];
    queue.ackOwed();
    const a = job(started, 'a');
    let answered = false;
    void queue.run(a.run).then(() => (answered = true));
    const drained = queue.drain(1000);
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual(['a']);
    a.finish();
    await drained;
    expect(answered).toBe(true);
  });
});
