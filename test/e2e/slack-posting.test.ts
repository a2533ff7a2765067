import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTick } from '../../src/schedule/run-tick.ts';
import type { Services } from '../../src/services.ts';
import { DOUBLE_TEAM_ID, LogCapture, type SlackDouble } from '../support/slack-double.ts';
import { BOT_TOKEN, startSlackE2e, type SlackE2e } from '../support/slack-e2e.ts';

/**
 * Digests and reminders posted through the Slack notifier (the real Web API
 * client inside Bolt) to the double's chat.postMessage.
 */

let e2e: SlackE2e;
let double: SlackDouble;
let services: Services;
const logs = new LogCapture();

/** Channels that refuse, are gone, archived or rate-limited; logs captured. */
function withChannelsAndLog(base: Services, double: SlackDouble): Services {
  double.setChannel('C0PRIVATE', { kind: 'error', error: 'not_in_channel' });
  double.setChannel('C0GONE', { kind: 'error', error: 'channel_not_found' });
  double.setChannel('C0OLD', { kind: 'error', error: 'is_archived' });
  double.setChannel('C0BUSY', { kind: 'ratelimited', retryAfterSec: 1, times: 1 });
  double.setChannel('C0JAMMED', { kind: 'ratelimited', retryAfterSec: 120, times: 5 });
  double.setChannel('C0REMIND', { kind: 'error', error: 'not_in_channel' });
  return { ...base, log: logs.logger };
}

beforeAll(async () => {
  e2e = await startSlackE2e({ setup: withChannelsAndLog });
  ({ double, services } = e2e);
});

afterAll(() => e2e?.stop());

const postsTo = (channel: string) => double.callsTo('chat.postMessage').filter((c) => c.args.channel === channel);

describe('Slack: posting digests and reminders', () => {
  it('GIVEN a feed item whose title carries <!channel> and a disguised link WHEN a digest is posted THEN both arrive escaped and only the real URL links', async () => {
    const result = await services.notifier.post('slack:C0OPEN', {
      title: 'News digest <!here>',
      items: [
        {
          title: 'Read this <!channel> <https://evil.example|https://bank.example>',
          meta: 'Test Wire · 2026-01-02',
          url: 'https://news.example/x?a=1&b=2',
          sourceIds: ['feed:x'],
        },
      ],
      sources: [{ articleId: 'feed:x', title: '<@U0BOSS> wins & more', outlet: 'Test Wire', date: '2026-01-02', url: 'https://news.example/x?a=1&b=2' }],
    });
    expect(result).toEqual({ ok: true, messageId: expect.stringMatching(/^\d+\.\d+$/) });
    expect(postsTo('C0OPEN').map((c) => ({ token: c.token, args: c.args }))).toEqual([
      {
        token: BOT_TOKEN,
        args: {
          channel: 'C0OPEN',
          text:
            '== News digest &lt;!here&gt; ==\n\n• Read this &lt;!channel&gt; &lt;https://evil.example|https://bank.example&gt;\n  Test Wire · 2026-01-02\n  https://news.example/x?a=1&amp;b=2\n  source: feed:x\n\nSources:\n  [feed:x] &lt;@U0BOSS&gt; wins &amp; more (Test Wire, 2026-01-02) https://news.example/x?a=1&amp;b=2',
          blocks: [
            { type: 'header', text: { type: 'plain_text', text: 'News digest &lt;!here&gt;', emoji: true } },
            {
              type: 'section',
              text: {
                type: 'mrkdwn',
                text: '*<https://news.example/x?a=1&amp;b=2|Read this &lt;!channel&gt; &lt;https://evil.example|https://bank.example&gt;>*\nTest Wire · 2026-01-02\nSource: feed:x',
              },
            },
            {
              type: 'context',
              elements: [{ type: 'mrkdwn', text: '[feed:x] <https://news.example/x?a=1&amp;b=2|&lt;@U0BOSS&gt; wins &amp; more> (Test Wire, 2026-01-02)' }],
            },
          ],
          unfurl_links: 'false',
          unfurl_media: 'false',
        },
      },
    ]);
  });

  it('GIVEN a daily digest subscription WHEN a feed article titled with <!channel> and <https://x|y> is due THEN the real digest arrives escaped', async () => {
    await services.schedule.subscriptions.save({
      channel: 'slack:C0DIGEST',
      guildId: DOUBLE_TEAM_ID,
      digest: 'daily',
      time: '09:00',
      timeZone: 'Asia/Seoul',
      reminders: false,
      createdBy: 'slack:U0ADMIN',
      createdAt: '2026-03-01T00:00:00.000Z',
      activeSince: '2026-03-01T00:00:00.000Z',
    });
    await services.schedule.articles.record([
      {
        id: 'feed:evil',
        title: 'Talks resume <!channel> <https://x.example|y>',
        outlet: 'Test Wire <!here>',
        url: 'https://news.example/talks?a=1&b=2',
        ingestedAt: '2026-03-01T10:00:00.000Z',
        lead: 'Negotiators met again.',
      },
    ]);
    const report = await runTick({ schedule: services.schedule, notifier: services.notifier, log: services.log }, new Date('2026-03-02T00:00:00Z'));
    expect(report.paused).toEqual([]);
    const [post] = postsTo('C0DIGEST');
    expect(post).toBeDefined();
    const evil = 'Talks resume &lt;!channel&gt; &lt;https://x.example|y&gt;';
    const link = `<https://news.example/talks?a=1&amp;b=2|${evil}>`;
    expect(post!.args).toEqual({
      channel: 'C0DIGEST',
      text: `== News digest — 2 March 2026 ==\n\n• ${evil}\n  Test Wire &lt;!here&gt; · 2026-03-01\n  https://news.example/talks?a=1&amp;b=2\n  source: feed:evil\n\nSources:\n  [feed:evil] ${evil} (Test Wire &lt;!here&gt;) https://news.example/talks?a=1&amp;b=2\n\n1 story from 1 new article · /subscribe changes this digest, /unsubscribe stops it`,
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'News digest — 2 March 2026', emoji: true } },
        { type: 'section', text: { type: 'mrkdwn', text: `*${link}*\nTest Wire &lt;!here&gt; · 2026-03-01\nSource: feed:evil` } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: `[feed:evil] ${link} (Test Wire &lt;!here&gt;)` }] },
        { type: 'context', elements: [{ type: 'mrkdwn', text: '1 story from 1 new article · /subscribe changes this digest, /unsubscribe stops it' }] },
      ],
      unfurl_links: 'false',
      unfurl_media: 'false',
    });
    expect(JSON.stringify(post!.args)).not.toMatch(/<!channel>|<!here>|<https:\/\/x\.example/);
  });

  it('GIVEN a channel answering ratelimited with Retry-After WHEN posting THEN the wait is honoured and the post goes through', async () => {
    const result = await services.notifier.post('slack:C0BUSY', { title: 'Reminder' });
    expect(result.ok).toBe(true);
    const [limited, accepted] = postsTo('C0BUSY');
    expect(postsTo('C0BUSY')).toHaveLength(2);
    expect(accepted!.at - limited!.at).toBeGreaterThanOrEqual(1000);
    expect(await logs.waitFor('slack: rate limited; waiting before posting again')).toMatchObject({ channel: 'C0BUSY', retryAfterMs: 1000 });
  });

  it('GIVEN a Retry-After longer than a digest round may wait WHEN posting THEN it fails at once, to be retried later, not paused', async () => {
    const result = await services.notifier.post('slack:C0JAMMED', { title: 'Reminder' });
    expect(result).toEqual({ ok: false, permanent: false, reason: 'ratelimited: Slack asked to wait 120 s' });
    expect(postsTo('C0JAMMED')).toHaveLength(1);
  });

  it('GIVEN channels the bot cannot post in WHEN posting THEN the result is permanent, with the reason', async () => {
    expect(await services.notifier.post('slack:C0PRIVATE', { title: 'x' })).toEqual({
      ok: false,
      permanent: true,
      reason: 'not_in_channel: the bot is not a member of this channel; invite it (/invite @armistice), then subscribe again',
    });
    expect(await services.notifier.post('slack:C0GONE', { title: 'x' })).toEqual({
      ok: false,
      permanent: true,
      reason: 'channel_not_found: the channel was deleted or the bot cannot see it',
    });
    expect(await services.notifier.post('slack:C0OLD', { title: 'x' })).toEqual({ ok: false, permanent: true, reason: 'is_archived: the channel is archived' });
  });

  it('GIVEN several posts WHEN sent at once THEN one channel gets at most one a second while another is not held up', async () => {
    const posts = [
      services.notifier.post('slack:C0PACED', { title: 'first' }),
      services.notifier.post('slack:C0PACED', { title: 'second' }),
      services.notifier.post('slack:C0OTHER', { title: 'elsewhere' }),
    ];
    expect((await Promise.all(posts)).map((r) => r.ok)).toEqual([true, true, true]);
    const [first, second] = postsTo('C0PACED');
    const [other] = postsTo('C0OTHER');
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(990);
    expect(other!.at).toBeLessThan(second!.at);
  });

  it('GIVEN a subscribed channel the bot is not in WHEN the Armistice Day reminder is due THEN the subscription is paused with the reason', async () => {
    await services.schedule.subscriptions.save({
      channel: 'slack:C0REMIND',
      guildId: DOUBLE_TEAM_ID,
      digest: 'off',
      time: '09:00',
      timeZone: 'Asia/Seoul',
      reminders: true,
      createdBy: 'slack:U0ADMIN',
      createdAt: '2026-01-01T00:00:00.000Z',
      activeSince: '2026-01-01T00:00:00.000Z',
    });
    const scheduleServices = { schedule: services.schedule, notifier: services.notifier, log: services.log };
    const report = await runTick(scheduleServices, new Date('2026-07-27T00:00:00Z'));
    expect(report.paused).toEqual([{ channel: 'slack:C0REMIND', reason: expect.stringContaining('not_in_channel') }]);
    expect((await services.schedule.subscriptions.get('slack:C0REMIND'))?.paused?.reason).toContain('invite it (/invite @armistice)');
    await runTick(scheduleServices, new Date('2026-07-27T00:01:00Z'));
    expect(postsTo('C0REMIND')).toHaveLength(1);
  });
});
