import { defineCommand } from '../src/router/command.ts';
import { userError, type Reply } from '../src/reply/reply.ts';
import { isTimeZone } from '../src/config.ts';
import { channelAddress } from '../src/schedule/channel-address.ts';
import { subscriptionFields } from '../src/schedule/describe.ts';
import { DIGEST_MODES, type DigestMode, type Subscription } from '../src/schedule/subscription.ts';
import { formatTimeOfDay, parseTimeOfDay } from '../src/schedule/zoned-time.ts';

const TIME_EXAMPLES = ['time:09:00', 'time:18:30', 'time:7:45'];
const ZONE_EXAMPLES = ['timezone:Asia/Seoul', 'timezone:Europe/London', 'timezone:America/New_York', 'timezone:UTC'];

/**
 * /subscribe: digests of new articles and anniversary reminders for this
 * channel. Running it again changes the settings given and keeps the
 * others; on a paused subscription it also resumes posting.
 */
export default defineCommand({
  name: 'subscribe',
  description: 'Post news digests and anniversary reminders in this channel',
  ko: { name: '구독', description: '이 채널에 뉴스 요약과 기념일 알림 게시' },
  admin: true,
  options: [
    { name: 'digest', type: 'choice', choices: DIGEST_MODES, description: 'How often to post new articles (default daily)', example: 'daily' },
    { name: 'time', type: 'string', description: 'Local time of day, HH:MM (default 09:00)', maxLength: 5, example: '09:00' },
    { name: 'timezone', type: 'string', description: 'IANA time zone, Area/City (default the bot’s)', maxLength: 64, example: 'Asia/Seoul' },
    { name: 'reminders', type: 'choice', choices: ['on', 'off'], description: 'Anniversary reminders (default on)', example: 'on' },
    {
      name: 'about',
      type: 'string',
      description: 'Only articles with these words; commas separate alternatives (“none” clears it)',
      rest: true,
      maxLength: 200,
      example: 'summit, peace treaty',
    },
  ],
  examples: ['subscribe', 'subscribe digest:weekly time:08:30 timezone:Europe/London', 'subscribe digest:instant about:summit', 'subscribe reminders:off'],
  async run(ctx, args): Promise<Reply> {
    const book = ctx.services.schedule.subscriptions;
    const channel = channelAddress(ctx.channel);
    const now = ctx.now;

    // In free text (`/subscribe daily summit`) words fill time and timezone
    // first; words that are not a time or a zone, nor look like an attempt
    // at one (`9h`, `Mars/Base`), were meant as the topic.
    const stray: string[] = [];
    if (ctx.positional.has('time') && typeof args.time === 'string' && !parseTimeOfDay(args.time) && !/^\d/.test(args.time)) {
      stray.push(args.time);
      args = { ...args, time: undefined };
    }
    if (ctx.positional.has('timezone') && typeof args.timezone === 'string' && !isTimeZone(args.timezone.trim()) && !args.timezone.includes('/')) {
      stray.push(args.timezone);
      args = { ...args, timezone: undefined };
    }
    if (stray.length > 0) args = { ...args, about: [...stray, typeof args.about === 'string' ? args.about : ''].join(' ').trim() };

    let time: string | undefined;
    if (typeof args.time === 'string') {
      const parsed = parseTimeOfDay(args.time);
      if (!parsed) {
        return userError('BAD_TIME', `“${args.time}” is not a time of day: use 24-hour HH:MM.`, [`For example ${TIME_EXAMPLES.join(', ')}.`]);
      }
      time = formatTimeOfDay(parsed);
    }
    let timeZone: string | undefined;
    if (typeof args.timezone === 'string') {
      timeZone = args.timezone.trim();
      if (!isTimeZone(timeZone)) {
        return userError('BAD_TIMEZONE', `“${timeZone}” is not a time zone I know: use an IANA name, Area/City.`, [
          `For example ${ZONE_EXAMPLES.join(', ')}.`,
        ]);
      }
    }
    const about = typeof args.about === 'string' ? args.about.trim() : undefined;

    const existing = await book.get(channel);
    const resumed = existing?.paused !== undefined;
    const subscription: Subscription = {
      channel,
      digest: (args.digest as DigestMode | undefined) ?? existing?.digest ?? 'daily',
      time: time ?? existing?.time ?? '09:00',
      timeZone: timeZone ?? existing?.timeZone ?? ctx.services.config.DEFAULT_TIMEZONE,
      reminders: args.reminders === undefined ? (existing?.reminders ?? true) : args.reminders === 'on',
      createdBy: existing?.createdBy ?? ctx.user.id,
      createdAt: existing?.createdAt ?? now.toISOString(),
      // A new or resumed subscription starts now: nothing from before is made up for.
      activeSince: existing && !resumed ? existing.activeSince : now.toISOString(),
    };
    const guildId = ctx.channel.guildId ?? existing?.guildId;
    if (guildId) subscription.guildId = guildId;
    const keptAbout = about === undefined ? existing?.about : about.toLowerCase() === 'none' || about === '' ? undefined : about;
    if (keptAbout) subscription.about = keptAbout;

    await book.save(subscription);
    // Digests start with the articles that arrive from now on, not the backlog.
    if (!existing || resumed) await ctx.services.schedule.cursors.set(channel, { through: now.toISOString() });

    const title = !existing ? 'This channel is subscribed' : resumed ? 'Subscription resumed' : 'Subscription updated';
    const text: string[] = [];
    if (resumed) text.push(`Posting had been paused: ${existing.paused!.reason}. It starts again now; make sure the bot can post here.`);
    if (subscription.digest === 'off' && !subscription.reminders) text.push('Both the digest and reminders are off: nothing will be posted. /unsubscribe removes the subscription.');
    return {
      title,
      text: text.length > 0 ? text : undefined,
      fields: subscriptionFields(subscription, now),
      footer: 'Change any setting with /subscribe, stop with /unsubscribe, see all with /subscriptions.',
    };
  },
});
