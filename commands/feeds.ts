import { defineCommand, type Args, type CommandContext } from '../src/router/command.ts';
import { userError, type Reply } from '../src/reply/reply.ts';
import { REASON_EXPLANATIONS, FEED_FAILURE_REASONS, type FeedFailureReason } from '../src/feeds/failure.ts';
import type { FeedRecord } from '../src/feeds/feed-registry.ts';
import type { FeedService, RefreshResult } from '../src/feeds/feed-service.ts';
import type { RoundSummary } from '../src/feeds/poll/poller.ts';
import { describeHealth, describeHoldBack, describeInstant, describeOutcome } from '../src/feeds/present.ts';
import { serverScope } from '../src/dashboard/sign-in-links.ts';
import { channelAddress } from '../src/schedule/channel-address.ts';
import { feedHealthPicture } from '../src/picture/feed-health-picture.ts';

/**
 * /feeds: admins add and remove RSS/Atom feeds and see their health; anyone
 * may list them. The router refuses admin-only subcommands to others.
 */

const feedOption = (required: boolean) =>
  ({
    name: 'feed',
    type: 'string',
    description: 'The feed: its name, id or URL, as /feeds list shows them',
    required,
    autocomplete: true,
    maxLength: 2000,
    example: '38 North',
  }) as const;

function feedsOf(ctx: CommandContext): FeedService {
  return ctx.services.feeds;
}

const add = defineCommand({
  name: 'add',
  description: 'Add an RSS or Atom feed (admins)',
  ko: { name: '추가', description: 'RSS/Atom 피드 추가 (관리자)' },
  admin: true,
  options: [
    { name: 'url', type: 'string', description: 'The feed address (http or https)', required: true, maxLength: 2000, example: 'https://www.38north.org/feed/' },
    { name: 'name', type: 'string', description: 'A short name, shown as the outlet (default: the feed’s title)', maxLength: 100, example: '38 North' },
    {
      name: 'about',
      type: 'string',
      description: 'Comma-separated keywords: keep only items that also mention one of them',
      maxLength: 200,
      example: 'sanctions, summit',
    },
  ],
  examples: ['feeds add url:https://www.38north.org/feed/ name:"38 North"', 'feeds add url:https://en.yna.co.kr/RSS/news.xml about:"north korea, unification"'],
  async run(ctx, args) {
    const result = await feedsOf(ctx).add({
      url: String(args.url ?? ''),
      name: typeof args.name === 'string' ? args.name : undefined,
      about: typeof args.about === 'string' ? args.about : undefined,
      addedBy: ctx.user.id,
      // Platform-qualified (discord:<id>, slack:<id>): the poller tells this channel when the feed is disabled.
      addedInChannel: channelAddress(ctx.channel),
      scope: serverScope(ctx.channel),
    });
    if (!result.ok) {
      if (result.code === 'FEED_EXISTS') {
        return userError('FEED_EXISTS', `That feed is already registered as “${result.existing?.name}”.`, ['See it with /feeds status feed:' + (result.existing?.id ?? '')]);
      }
      if (result.code === 'NAME_TAKEN') {
        return userError('NAME_TAKEN', `Another feed is already called “${result.existing?.name}”.`, ['Choose another name with name:"..."']);
      }
      return refusal(result.code, result.message);
    }
    const { feed, items, baseline } = result;
    return {
      title: `Added feed “${feed.name}”`,
      text: [
        `It has ${items} item${items === 1 ? '' : 's'}; ${baseline.length} about Korea${feed.about.length > 0 ? ` and ${feed.about.join(', ')}` : ''} ${baseline.length === 1 ? 'is' : 'are'} now searchable with /news.`,
        'Those current items are a baseline: they are not posted to channels. New items will be, from the next poll on.',
      ],
      fields: [
        { name: 'Id', value: feed.id, inline: true },
        { name: 'URL', value: feed.url },
      ],
      ephemeral: true,
    };
  },
});

/** A feed that could not be added: the reason in words, and its code. */
function refusal(code: FeedFailureReason, detail: string): Reply {
  const hints: Partial<Record<FeedFailureReason, string>> = {
    NOT_A_FEED: 'Give the address of the RSS or Atom feed itself, not of the web page (look for an RSS link on the site).',
    BLOCKED_ADDRESS: 'Only public internet addresses can be fetched. For a feed on this machine or network, an operator can list its host:port in FEED_ALLOWED_HOSTS.',
    BAD_URL: 'Use a full address starting with https:// or http://.',
    TOO_LARGE: 'The feed is larger than the limit (FEED_MAX_BYTES); a feed of a single section of the site may be smaller.',
    TIMEOUT: 'Try again later; if it keeps happening the site may be slow or blocking bots.',
    FETCH_FAILED: 'Check the address; the site may be down or unreachable from this bot.',
    RATE_LIMITED: 'The site asked us to slow down. Try again later.',
  };
  const known = (FEED_FAILURE_REASONS as readonly string[]).includes(code);
  return userError(code, `I could not add that feed: ${known ? REASON_EXPLANATIONS[code] : 'it could not be read'} (${code}).`, [
    `Detail: ${detail}`,
    ...(hints[code] ? [hints[code]!] : []),
  ]);
}

const remove = defineCommand({
  name: 'remove',
  description: 'Stop fetching a feed (admins)',
  ko: { name: '삭제', description: '피드 삭제 (관리자)' },
  admin: true,
  options: [feedOption(true)],
  examples: ['feeds remove feed:"38 North"'],
  async run(ctx, args) {
    const reference = String(args.feed ?? '');
    const feed = await feedsOf(ctx).remove(reference);
    if (!feed) return unknownFeed(ctx, reference);
    return {
      title: `Removed feed “${feed.name}”`,
      text: ['It will not be fetched again. Articles it brought stay searchable.'],
      ephemeral: true,
    };
  },
  autocomplete: completeFeed,
});

const edit = defineCommand({
  name: 'edit',
  description: 'Rename a feed or change its topic words (admins)',
  ko: { name: '수정', description: '피드 이름 또는 주제어 변경 (관리자)' },
  admin: true,
  options: [
    feedOption(true),
    { name: 'name', type: 'string', description: 'The new name', maxLength: 100, example: '38 North' },
    { name: 'about', type: 'string', description: 'New comma-separated topic words (“none” clears them)', maxLength: 200, example: 'sanctions, summit' },
  ],
  examples: ['feeds edit feed:"38 North" name:"38 North (Stimson)"', 'feeds edit feed:"38 North" about:none'],
  async run(ctx, args) {
    const reference = String(args.feed ?? '');
    const name = typeof args.name === 'string' && args.name.trim() ? args.name : undefined;
    const about = typeof args.about === 'string' ? args.about : undefined;
    if (name === undefined && about === undefined) {
      return userError('NOTHING_TO_CHANGE', 'Say what to change: name: or about:.', ['E.g. /feeds edit feed:"38 North" about:"sanctions, summit"']);
    }
    const result = await feedsOf(ctx).edit(reference, { name, about });
    if (!result) return unknownFeed(ctx, reference);
    if (!result.ok) return userError('NAME_TAKEN', `Another feed is already called “${result.existing.name}”.`, ['Choose another name with name:"..."']);
    const { feed } = result;
    return {
      title: `Feed “${feed.name}” updated`,
      text: [feed.about.length > 0 ? `From the next poll on, only items that also mention ${feed.about.join(', ')} are kept.` : 'Every item about Korea is kept (no topic words).'],
      ephemeral: true,
    };
  },
  autocomplete: completeFeed,
});

/** /feeds disable and /feeds enable: one declaration, two verbs. */
function switchCommand(enabled: boolean) {
  const verb = enabled ? 'enable' : 'disable';
  return defineCommand({
    name: verb,
    description: enabled ? 'Fetch a disabled feed again (admins)' : 'Stop fetching a feed for now, keeping it listed (admins)',
    ko: enabled ? { name: '사용', description: '중지된 피드 다시 가져오기 (관리자)' } : { name: '중지', description: '피드 가져오기 중지 (관리자)' },
    admin: true,
    options: [feedOption(true)],
    examples: [`feeds ${verb} feed:"38 North"`],
    async run(ctx: CommandContext, args: Args): Promise<Reply> {
      const reference = String(args.feed ?? '');
      const result = await feedsOf(ctx).setEnabled(reference, enabled);
      if (!result) return unknownFeed(ctx, reference);
      const { feed, changed } = result;
      if (!changed) return { title: `Feed “${feed.name}” is already ${enabled ? 'enabled' : 'disabled'}`, text: [describeHealth(feed)], ephemeral: true };
      return {
        title: `${enabled ? 'Enabled' : 'Disabled'} feed “${feed.name}”`,
        text: [enabled ? 'It will be fetched at the next poll round, with its failure count reset.' : 'It will not be fetched until an admin enables it again with /feeds enable. Its articles stay searchable.'],
        ephemeral: true,
      };
    },
    autocomplete: completeFeed,
  });
}

const list = defineCommand({
  name: 'list',
  description: 'The feeds this bot reads',
  ko: { name: '목록', description: '봇이 읽는 피드 목록' },
  examples: ['feeds list'],
  async run(ctx) {
    const service = feedsOf(ctx);
    const feeds = await service.list();
    if (feeds.length === 0) {
      const proposed = await service.proposed();
      return {
        title: 'No feeds yet',
        text:
          proposed.length > 0
            ? ['Suggested Korea news feeds (data/feeds.yaml). An admin can add one with /feeds add:']
            : ['An admin can add one with /feeds add url:https://...'],
        items: proposed.map((p) => ({
          title: p.name,
          meta: p.url,
          text: `/feeds add url:${p.url} name:"${p.name}"${p.about ? ` about:"${p.about}"` : ''}${p.why ? ` — ${p.why}` : ''}`,
        })),
      };
    }
    return {
      title: `Feeds (${feeds.length})`,
      items: feeds.map((feed) => ({
        title: feed.name,
        meta: `${feed.enabled ? 'enabled' : 'disabled'} · id ${feed.id}${feed.about.length > 0 ? ` · about: ${feed.about.join(', ')}` : ''}`,
        text: feed.url,
        url: feed.url,
      })),
    };
  },
});

const status = defineCommand({
  name: 'status',
  description: 'Feed health: last fetch, last new item, failures, next attempt (admins)',
  ko: { name: '상태', description: '피드 상태 (관리자)' },
  admin: true,
  options: [
    feedOption(false),
    { name: 'picture', type: 'boolean', description: 'With feed: also chart its last 30 days (fetches by result, new items)', example: 'true' },
  ],
  examples: ['feeds status', 'feeds status feed:"38 North"', 'feeds status feed:"38 North" picture:true'],
  async run(ctx, args) {
    const service = feedsOf(ctx);
    const reference = typeof args.feed === 'string' ? args.feed : undefined;
    if (reference !== undefined) {
      const feed = await service.find(reference);
      if (!feed) return unknownFeed(ctx, reference);
      const reply: Reply = { title: `Feed “${feed.name}”`, text: [describeHealth(feed)], fields: statusFields(feed, ctx.now), ephemeral: true };
      if (args.picture !== true) return reply;
      // The text status stays: it is the picture's accessible version.
      const image = await feedHealthPicture(feed, ctx.now);
      if (!image) return { ...reply, text: [...reply.text!, 'No picture was drawn: no fetch of this feed is recorded in the last 30 days yet. Its chart starts with the next poll.'] };
      return { ...reply, image };
    }
    const feeds = await service.list();
    if (feeds.length === 0) return { title: 'No feeds yet', text: ['Add one with /feeds add url:https://...'], ephemeral: true };
    return {
      title: `Feed status (${feeds.length})`,
      ...(args.picture === true
        ? { text: [`No picture was drawn: a picture shows one feed. Name it: /feeds status feed:"${feeds[0]!.name}" picture:true`] }
        : {}),
      items: feeds.map((feed) => ({
        title: feed.name,
        meta: describeHealth(feed),
        text: `last fetch ${describeInstant(feed.lastFetchAt, ctx.now)} · next ${feed.enabled ? describeInstant(feed.nextAttemptAt, ctx.now) : 'never (disabled)'}`,
      })),
      ephemeral: true,
    };
  },
  autocomplete: completeFeed,
});

const refresh = defineCommand({
  name: 'refresh',
  description: 'Fetch a feed, or every feed, now instead of waiting for its turn (admins)',
  ko: { name: '새로고침', description: '피드를 지금 가져오기 (관리자)' },
  admin: true,
  options: [feedOption(false)],
  examples: ['feeds refresh', 'feeds refresh feed:"38 North"'],
  async run(ctx, args) {
    const service = feedsOf(ctx);
    const reference = typeof args.feed === 'string' ? args.feed : undefined;
    let feeds: FeedRecord[];
    if (reference !== undefined) {
      const feed = await service.find(reference);
      if (!feed) return unknownFeed(ctx, reference);
      feeds = [feed];
    } else {
      feeds = await service.list();
      if (feeds.length === 0) return { title: 'No feeds yet', text: ['Add one with /feeds add url:https://...'], ephemeral: true };
    }
    return refreshReply(await service.refresh(feeds), ctx.now);
  },
  autocomplete: completeFeed,
});

/** What a refresh did, per feed: fetched (and what came), held back (until when, why), disabled, or asked of the polling instance. */
function refreshReply(result: RefreshResult, now: Date): Reply {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const notFetched = (heldBack: RoundSummary['heldBack'], disabled: FeedRecord[]) => [
    ...heldBack.map(({ feed, hold }) => ({ title: feed.name, text: describeHoldBack(feed, hold, now) })),
    ...disabled.map((feed) => ({
      title: feed.name,
      text: `not fetched: disabled (${feed.disabledReason ?? 'unknown'}). To try it again, remove it with /feeds remove and add it again with /feeds add.`,
    })),
  ];
  if (result.kind === 'requested') {
    const { requested } = result;
    return {
      title: requested.length > 0 ? `Asked for ${plural(requested.length, 'feed')} to be fetched now` : 'No feed can be fetched now',
      text:
        requested.length > 0
          ? [
              `This instance does not poll feeds: ${result.holder ?? 'another instance'} holds the leader lease and fetches ${requested.length === 1 ? 'it' : 'them'} in its next round, within a minute. /feeds status shows the result.`,
            ]
          : undefined,
      items: [...requested.map((feed) => ({ title: feed.name, text: 'asked for' })), ...notFetched(result.heldBack, result.disabled)],
      ephemeral: true,
    };
  }
  const { summary } = result;
  const fetched = summary.outcomes.length;
  const failed = summary.outcomes.filter((o) => o.kind === 'failed' || o.kind === 'error').length;
  const outcomes = [...summary.outcomes].sort((a, b) => a.feed.name.localeCompare(b.feed.name));
  return {
    title: fetched > 0 ? `Fetched ${plural(fetched, 'feed')} now` : 'No feed was fetched',
    text:
      fetched > 0
        ? [`${plural(summary.newArticles, 'new article')}${failed > 0 ? `, ${failed} failed` : ''}.${summary.newArticles > 0 ? ' New articles go to subscribed channels as usual.' : ''}`]
        : undefined,
    items: [...outcomes.map((o) => ({ title: o.feed.name, text: describeOutcome(o, now) })), ...notFetched(summary.heldBack, summary.disabled)],
    ephemeral: true,
  };
}

function statusFields(feed: FeedRecord, now: Date) {
  return [
    { name: 'Last fetch', value: describeInstant(feed.lastFetchAt, now), inline: true },
    { name: 'Last success', value: describeInstant(feed.lastSuccessAt, now), inline: true },
    { name: 'Last new item', value: describeInstant(feed.lastNewItemAt, now), inline: true },
    { name: 'Consecutive failures', value: String(feed.consecutiveFailures), inline: true },
    { name: 'Last failure', value: feed.lastFailureReason ? `${feed.lastFailureReason}: ${feed.lastFailureMessage ?? ''}`.trim() : 'none', inline: true },
    { name: 'Next attempt', value: feed.enabled ? describeInstant(feed.nextAttemptAt, now) : `never: disabled (${feed.disabledReason ?? 'by an admin'})`, inline: true },
    { name: 'URL', value: feed.url },
    { name: 'Id', value: feed.id, inline: true },
    { name: 'Added', value: `${describeInstant(feed.addedAt, now)} by ${feed.addedBy}`, inline: true },
  ];
}

async function unknownFeed(ctx: CommandContext, reference: string): Promise<Reply> {
  const feeds = await feedsOf(ctx).list();
  return userError(
    'UNKNOWN_FEED',
    `No feed is called “${reference}”.`,
    feeds.length > 0 ? [`Feeds: ${feeds.map((f) => f.name).join(', ')}`] : ['No feed is registered yet.'],
  );
}

async function completeFeed(ctx: CommandContext, _option: string, partial: string): Promise<string[]> {
  const lower = partial.toLowerCase();
  return (await feedsOf(ctx).list())
    .filter((f) => f.name.toLowerCase().includes(lower) || f.id.startsWith(lower))
    .map((f) => f.name)
    .slice(0, 25);
}

export default defineCommand({
  name: 'feeds',
  description: 'News feeds the bot reads: list them; admins add, remove, check and refresh them',
  ko: { name: '피드', description: '봇이 읽는 뉴스 피드' },
  subcommands: [add, remove, edit, switchCommand(false), switchCommand(true), list, status, refresh],
  examples: ['feeds list', 'feeds add url:https://www.38north.org/feed/', 'feeds status', 'feeds refresh'],
});
