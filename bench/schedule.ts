import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BOT_NODE_FLAGS } from './bot-flags.ts';
import { contextFigure, figure, rssMegabytes, type Figure } from './figures.ts';
import { openStore } from '../src/store/open.ts';
import { Schedule } from '../src/schedule/schedule.ts';
import { runTick } from '../src/schedule/run-tick.ts';
import type { ReminderEvent } from '../src/schedule/reminder.ts';
import type { DigestMode, Subscription } from '../src/schedule/subscription.ts';
import type { LoggedArticle } from '../src/schedule/article-log.ts';

/**
 * One tick for 10,000 subscribed channels (100,000 for schedule-100k, issue
 * 16's ten times the load: plan ≤ 5 s, RSS ≤ 300 MB), all with a digest due at once
 * (the worst minute: a catch-up after downtime), in a fresh process so the
 * RSS is the schedule's own:
 * - planning and composing (a dry run: every due digest and reminder
 *   composed, nothing sent) ≤ 1 s;
 * - the same tick for real, posting to a notifier that answers at once and
 *   writing the ledger and cursors to SQLite (in memory);
 * - the process's RSS at the end ≤ 200 MB.
 *
 * The channels spread over 24 time zones, 96 times of day, daily (70 %),
 * weekly (20 %) and instant (10 %) digests, 8 topic filters; 120 articles
 * arrived in the last day, some stories reported by several outlets.
 */
/** The targets per number of channels. The posted tick at 100,000 is measured for context: the issue sets it none. */
const TARGETS: Record<number, { planMs: number; postedMs?: number; rssMb: number; storeOnDisk: boolean }> = {
  10_000: { planMs: 1000, postedMs: 5000, rssMb: 200, storeOnDisk: false },
  // The SQLite file the bot runs with (STORE_URL's default is a file), not one in memory: 100,000 subscriptions,
  // their cursors and ~215,000 ledger rows held in memory would count the database itself as the tick's memory.
  100_000: { planMs: 5000, rssMb: 300, storeOnDisk: true },
};
const ARTICLES = 120;
const AT = new Date('2026-07-27T12:00:00.000Z');

export async function run(channels = 10_000): Promise<Figure[]> {
  const root = join(import.meta.dirname, '..');
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [...BOT_NODE_FLAGS, join(root, 'bin', 'run-ts.mjs'), join(root, 'bench', 'schedule.ts'), '--measure', String(channels)], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`schedule bench exited with ${code}`))));
  });
  return JSON.parse(output.trim().split('\n').at(-1)!) as Figure[];
}

async function measure(channels: number): Promise<Figure[]> {
  const target = TARGETS[channels];
  if (!target) throw new Error(`no targets for ${channels} channels`);
  const dir = mkdtempSync(join(tmpdir(), 'armistice-bench-schedule-'));
  const store = await openStore(target.storeOnDisk ? `sqlite://${join(dir, 'bench.sqlite')}` : 'sqlite::memory:');
  const events = benchEvents();
  const setup = new Schedule(store, () => events);
  for (let i = 0; i < channels; i++) await setup.subscriptions.save(benchSubscription(i));
  await setup.articles.record(benchArticles());

  const silent = { info() {}, warn() {}, error() {}, debug() {} };
  const dryNotifier = { post: async () => ({ ok: true as const }) };

  // A fresh Schedule: nothing remembered in memory, as after a restart.
  const planning = new Schedule(store, () => events);
  let started = performance.now();
  // Only its counts are kept: the dry run's report (every composed post) would otherwise stay alive through the
  // real tick and count as that tick's memory, which a bot (that drops each tick's report) does not hold.
  const { planMs, planRss, digestCount, reminderCount, channelsWithDigest } = await (async () => {
    const dry = await runTick({ schedule: planning, notifier: dryNotifier, log: silent }, AT, { dryRun: true });
    const planMs = performance.now() - started;
    const digests = dry.posts.filter((p) => p.job !== 'reminder' && !p.job.startsWith('reminder:'));
    return { planMs, planRss: rssMegabytes(), digestCount: digests.length, reminderCount: dry.posts.length - digests.length, channelsWithDigest: new Set(digests.map((p) => p.channel)).size };
  })();

  let posted = 0;
  const notifier = { post: async () => ((posted += 1), { ok: true as const }) };
  const real = new Schedule(store, () => events);
  started = performance.now();
  await runTick({ schedule: real, notifier, log: silent }, AT);
  const realMs = performance.now() - started;

  if (channelsWithDigest < channels * 0.9) throw new Error(`only ${channelsWithDigest} channels had a digest due; the bench is not measuring what it says`);
  const rssAfter = rssMegabytes();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  const at = channels === 10_000 ? '' : `, ${channels} channels`;
  const postedName = `the same tick posted and recorded (${posted} posts, SQLite ${target.storeOnDisk ? 'file' : 'in memory'})`;
  return [
    figure(`plan + compose one tick, ${channels} channels (${channelsWithDigest} with a digest, ${digestCount} digest messages, ${reminderCount} reminders)`, planMs, 'ms', target.planMs),
    target.postedMs === undefined ? contextFigure(postedName, realMs, 'ms') : figure(postedName, realMs, 'ms', target.postedMs),
    ...(channels === 10_000 ? [] : [figure(`RSS after planning the tick${at}`, planRss, 'MB', target.rssMb)]),
    figure(`RSS after both ticks${at}`, rssAfter, 'MB', target.rssMb),
  ];
}

const ZONES = [
  'Asia/Seoul', 'Asia/Tokyo', 'Asia/Shanghai', 'Asia/Kolkata', 'Asia/Dubai', 'Europe/Moscow', 'Europe/Istanbul', 'Europe/Berlin',
  'Europe/London', 'Atlantic/Azores', 'America/Sao_Paulo', 'America/New_York', 'America/Chicago', 'America/Denver',
  'America/Los_Angeles', 'America/Anchorage', 'Pacific/Honolulu', 'Pacific/Auckland', 'Australia/Sydney', 'Australia/Adelaide',
  'Asia/Kathmandu', 'Africa/Lagos', 'Africa/Johannesburg', 'UTC',
];
const TOPICS = [undefined, undefined, 'summit', 'peace treaty', 'nuclear, missile', 'moon, kim', 'dmz', 'remains'];

function benchSubscription(i: number): Subscription {
  const mode: DigestMode = i % 10 < 7 ? 'daily' : i % 10 < 9 ? 'weekly' : 'instant';
  const minutes = (i * 15) % (24 * 60);
  const subscription: Subscription = {
    channel: `discord:${100000 + i}`,
    guildId: `G${i % 50}`,
    digest: mode,
    time: `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`,
    timeZone: ZONES[i % ZONES.length]!,
    reminders: i % 3 !== 0,
    createdBy: 'bench',
    createdAt: '2026-07-01T00:00:00.000Z',
    // Subscribed a week ago and caught up to yesterday: every channel's current digest is due.
    activeSince: '2026-07-01T00:00:00.000Z',
  };
  const topic = TOPICS[i % TOPICS.length];
  if (topic) subscription.about = topic;
  return subscription;
}

function benchArticles(): LoggedArticle[] {
  const subjects = ['summit', 'peace treaty', 'nuclear talks', 'missile test', 'DMZ guard posts', 'war remains', 'Moon and Kim', 'sanctions'];
  const outlets = ['Yonhap', 'The Associated Press', 'Reuters', 'KBS', 'NK News'];
  const out: LoggedArticle[] = [];
  for (let i = 0; i < ARTICLES; i++) {
    // Every third article is another outlet's report of the story before it.
    const story = i - (i % 3 === 2 ? 1 : 0);
    const subject = subjects[story % subjects.length]!;
    out.push({
      id: `feed:${i}`,
      title: `${subject} report ${story} as officials meet in Seoul${i % 3 === 2 ? ' today' : ''}`,
      outlet: outlets[i % outlets.length]!,
      url: `https://news.example/${i}`,
      published: { year: 2026, month: 7, day: 26 },
      feedId: `feed-${i % outlets.length}`,
      ingestedAt: new Date(AT.getTime() - 86_400_000 + i * 10 * 60_000).toISOString(),
      lead: `Officials discussed the ${subject} on ${i % 2 ? 'Monday' : 'Sunday'}, the agency said, as diplomats from both Koreas met.`,
    });
  }
  return out;
}

function benchEvents(): ReminderEvent[] {
  const sources = [{ articleId: '002_6b42de142ce55b91', title: 'Korean War armistice', outlet: 'The Associated Press', date: '2018-03' }];
  return [
    { id: 'korean-war-outbreak', date: { year: 1950, month: 6, day: 25 }, summary: 'The Korean War begins.', sources },
    { id: 'armistice-signed', date: { year: 1953, month: 7, day: 27 }, summary: 'The armistice halts the fighting.', sources },
    { id: 'panmunjom-declaration', date: { year: 2018, month: 4, day: 27 }, summary: 'The Panmunjom Declaration.', sources },
    { id: 'singapore-summit', date: { year: 2018, month: 6, day: 12 }, summary: 'The Singapore summit.', sources },
    { id: 'pyongyang-declaration', date: { year: 2018, month: 9, day: 19 }, summary: 'The Pyongyang Joint Declaration.', sources },
    { id: 'dmz-meeting', date: { year: 2019, month: 6, day: 30 }, summary: 'The DMZ meeting.', sources },
  ];
}

if (process.argv.includes('--measure')) {
  const figures = await measure(Number(process.argv[process.argv.indexOf('--measure') + 1] ?? 10_000));
  process.stdout.write(`${JSON.stringify(figures)}\n`);
} else if (import.meta.filename === process.argv[1]) {
  for (const f of await run()) console.log(`${f.ok ? 'ok  ' : 'FAIL'} ${f.name}: ${f.measured} ${f.unit} (target ${f.target})`);
}
