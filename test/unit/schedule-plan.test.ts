import { describe, expect, it } from 'vitest';
import { dueJobs, missedJobs, nextDigestAt, type AnniversaryEvent } from '../../src/schedule/plan.ts';
import type { Subscription } from '../../src/schedule/subscription.ts';

const EVENTS: AnniversaryEvent[] = [
  { id: 'armistice-signed', date: { year: 1953, month: 7, day: 27 } },
  { id: 'leap-day-event', date: { year: 2000, month: 2, day: 29 } },
];

function subscription(settings: Partial<Subscription> = {}): Subscription {
  return {
    channel: 'discord:1',
    digest: 'daily',
    time: '09:00',
    timeZone: 'Asia/Seoul',
    reminders: true,
    createdBy: 'test',
    createdAt: '2026-01-01T00:00:00.000Z',
    activeSince: '2026-01-01T00:00:00.000Z',
    ...settings,
  };
}

const at = (iso: string) => new Date(iso);
const summary = (jobs: ReturnType<typeof dueJobs>) => jobs.map((j) => `${j.job} ${j.period} ${j.dueAt.toISOString()}`);

describe('planning what is due', () => {
  it('GIVEN a daily digest at 09:00 Seoul WHEN it is 08:59 THEN the due digest is yesterday’s; at 09:00 today’s', () => {
    const sub = subscription();
    expect(summary(dueJobs(sub, at('2026-03-10T23:59:00Z'), []))).toEqual(['digest 2026-03-10 2026-03-10T00:00:00.000Z']);
    expect(summary(dueJobs(sub, at('2026-03-11T00:00:00Z'), []))).toEqual(['digest 2026-03-11 2026-03-11T00:00:00.000Z']);
  });

  it('GIVEN a channel subscribed at 10:00 THEN its first digest is the next morning’s', () => {
    const sub = subscription({ activeSince: '2026-03-11T01:00:00.000Z' });
    expect(dueJobs(sub, at('2026-03-11T05:00:00Z'), [])).toEqual([]);
    expect(summary(dueJobs(sub, at('2026-03-12T00:00:00Z'), []))).toEqual(['digest 2026-03-12 2026-03-12T00:00:00.000Z']);
    expect(nextDigestAt(sub, at('2026-03-11T05:00:00Z'))?.toISOString()).toBe('2026-03-12T00:00:00.000Z');
  });

  it('GIVEN a weekly digest THEN it is due on Mondays at the local time, keyed by ISO week', () => {
    const sub = subscription({ digest: 'weekly', time: '08:30', timeZone: 'America/New_York' });
    // Monday 27 July 2026, 08:30 EDT = 12:30Z.
    expect(summary(dueJobs(sub, at('2026-07-27T12:29:00Z'), []))).toEqual(['digest 2026-W30 2026-07-20T12:30:00.000Z']);
    expect(summary(dueJobs(sub, at('2026-07-27T12:30:00Z'), []))).toEqual(['digest 2026-W31 2026-07-27T12:30:00.000Z']);
    expect(summary(dueJobs(sub, at('2026-08-02T23:00:00Z'), []))).toEqual(['digest 2026-W31 2026-07-27T12:30:00.000Z']);
  });

  it('GIVEN an anniversary THEN its reminder is due from the local time to the end of that local day', () => {
    const sub = subscription({ digest: 'off' });
    expect(dueJobs(sub, at('2026-07-26T23:59:00Z'), EVENTS)).toEqual([]);
    const [job] = dueJobs(sub, at('2026-07-27T00:00:00Z'), EVENTS);
    expect(job).toMatchObject({ job: 'reminder:armistice-signed', period: '2026', years: 73 });
    expect(job!.until.toISOString()).toBe('2026-07-27T15:00:00.000Z');
    expect(dueJobs(sub, at('2026-07-27T14:59:00Z'), EVENTS)).toHaveLength(1);
    expect(dueJobs(sub, at('2026-07-27T15:00:00Z'), EVENTS)).toEqual([]);
  });

  it('GIVEN the same reminder THEN Seoul and New York channels get it at their own 09:00', () => {
    const seoul = dueJobs(subscription({ digest: 'off' }), at('2026-07-27T00:00:00Z'), EVENTS);
    const newYork = subscription({ digest: 'off', timeZone: 'America/New_York' });
    expect(seoul[0]!.dueAt.toISOString()).toBe('2026-07-27T00:00:00.000Z');
    expect(dueJobs(newYork, at('2026-07-27T12:59:00Z'), EVENTS)).toEqual([]);
    expect(dueJobs(newYork, at('2026-07-27T13:00:00Z'), EVENTS)[0]!.dueAt.toISOString()).toBe('2026-07-27T13:00:00.000Z');
  });

  it('GIVEN an event of February 29 THEN common years remind it on March 1 and leap years on February 29', () => {
    const sub = subscription({ digest: 'off', timeZone: 'UTC' });
    expect(dueJobs(sub, at('2027-02-28T12:00:00Z'), EVENTS)).toEqual([]);
    expect(dueJobs(sub, at('2027-03-01T12:00:00Z'), EVENTS)).toMatchObject([{ job: 'reminder:leap-day-event', period: '2027', years: 27 }]);
    expect(dueJobs(sub, at('2028-02-29T12:00:00Z'), EVENTS)).toMatchObject([{ job: 'reminder:leap-day-event', period: '2028', years: 28 }]);
    expect(dueJobs(sub, at('2028-03-01T12:00:00Z'), EVENTS)).toEqual([]);
  });

  it('GIVEN reminders off or a paused channel THEN nothing is due', () => {
    expect(dueJobs(subscription({ digest: 'off', reminders: false }), at('2026-07-27T01:00:00Z'), EVENTS)).toEqual([]);
    expect(dueJobs(subscription({ paused: { reason: 'gone', at: '2026-07-01T00:00:00Z' } }), at('2026-07-27T01:00:00Z'), EVENTS)).toEqual([]);
  });
});

describe('daylight-saving changes', () => {
  /** The distinct periods seen due by ticks every `step` minutes over a night, with the first instant each was due. */
  function firstDue(sub: Subscription, fromIso: string, hours: number, step = 5) {
    const seen = new Map<string, string>();
    for (let t = Date.parse(fromIso); t < Date.parse(fromIso) + hours * 3_600_000; t += step * 60_000) {
      for (const job of dueJobs(sub, new Date(t), [])) if (!seen.has(job.period)) seen.set(job.period, new Date(t).toISOString());
    }
    return Object.fromEntries(seen);
  }

  it('New York spring forward: a 02:30 digest (a time that does not exist that night) fires at 03:30 EDT', () => {
    const sub = subscription({ time: '02:30', timeZone: 'America/New_York', activeSince: '2026-03-07T12:00:00Z' });
    expect(firstDue(sub, '2026-03-07T12:00:00Z', 24)).toEqual({ '2026-03-08': '2026-03-08T07:30:00.000Z' });
  });

  it('New York fall back: a 01:30 digest (a time that happens twice) is due once, at the first 01:30', () => {
    const sub = subscription({ time: '01:30', timeZone: 'America/New_York', activeSince: '2026-10-31T12:00:00Z' });
    const due = dueJobs(sub, new Date('2026-11-01T06:30:00Z'), []); // the second 01:30 (EST)
    expect(summary(due)).toEqual(['digest 2026-11-01 2026-11-01T05:30:00.000Z']);
    expect(firstDue(sub, '2026-10-31T12:00:00Z', 24)).toEqual({ '2026-11-01': '2026-11-01T05:30:00.000Z' });
  });

  it('London: 01:30 moves to 02:30 BST in March, and fires once (BST) in October', () => {
    const march = subscription({ time: '01:30', timeZone: 'Europe/London', activeSince: '2026-03-28T12:00:00Z' });
    expect(firstDue(march, '2026-03-28T12:00:00Z', 24)).toEqual({ '2026-03-29': '2026-03-29T01:30:00.000Z' });
    const october = subscription({ time: '01:30', timeZone: 'Europe/London', activeSince: '2026-10-24T12:00:00Z' });
    expect(firstDue(october, '2026-10-24T12:00:00Z', 24)).toEqual({ '2026-10-25': '2026-10-25T00:30:00.000Z' });
  });
});

describe('what a bot that was down missed', () => {
  it('lists the jobs whose whole window fell inside the downtime, not those still open', () => {
    const sub = subscription();
    const missed = missedJobs(sub, at('2026-07-25T12:00:00Z'), at('2026-07-27T03:00:00Z'), EVENTS);
    // Digests of 26 July (closed at 27 July 09:00 KST) — 27 July's and the armistice reminder are still open.
    expect(missed.map((j) => `${j.job} ${j.period}`)).toEqual(['digest 2026-07-26']);
    const longer = missedJobs(sub, at('2026-07-25T12:00:00Z'), at('2026-07-28T00:30:00Z'), EVENTS);
    expect(longer.map((j) => `${j.job} ${j.period}`)).toEqual(['digest 2026-07-26', 'digest 2026-07-27', 'reminder:armistice-signed 2026']);
  });
});
