import { defineCommand } from '../src/router/command.ts';
import { userError, type Reply } from '../src/reply/reply.ts';
import { channelAddress } from '../src/schedule/channel-address.ts';
import { subscriptionFields, subscriptionItem } from '../src/schedule/describe.ts';
import { DEFAULT_SETTINGS_HINT } from '../src/schedule/subscription.ts';

/** /subscriptions: this channel's subscription, or (admins) every channel's in this server or workspace. */
export default defineCommand({
  name: 'subscriptions',
  description: 'Show this channel’s digest and reminder settings (all:true — every channel, admins)',
  ko: { name: '구독목록', description: '이 채널의 구독 설정 보기' },
  options: [{ name: 'all', type: 'boolean', description: 'Every subscribed channel of this server or workspace (admins)', example: 'true' }],
  examples: ['subscriptions', 'subscriptions all:true'],
  async run(ctx, args): Promise<Reply> {
    const book = ctx.services.schedule.subscriptions;
    if (args.all === true) {
      if (!ctx.user.isAdmin) return userError('NOT_ADMIN', 'Only admins can list every channel’s subscription.', ['/subscriptions without all:true shows this channel’s.']);
      const guildId = ctx.channel.guildId;
      const here = (await book.all())
        .filter((s) => (guildId ? s.guildId === guildId : s.guildId === undefined))
        .sort((a, b) => a.channel.localeCompare(b.channel));
      if (here.length === 0) return { title: 'No subscribed channels', text: [`An admin can run /subscribe in a channel. ${DEFAULT_SETTINGS_HINT}`] };
      const paused = here.filter((s) => s.paused).length;
      return {
        title: `${here.length} subscribed ${here.length === 1 ? 'channel' : 'channels'}`,
        items: here.map(subscriptionItem),
        footer: paused > 0 ? `${paused} paused` : undefined,
      };
    }
    const subscription = await book.get(channelAddress(ctx.channel));
    if (!subscription) {
      return { title: 'This channel has no subscription', text: [`An admin can start one with /subscribe. ${DEFAULT_SETTINGS_HINT}`] };
    }
    return {
      title: subscription.paused ? 'This channel’s subscription is paused' : 'This channel’s subscription',
      fields: subscriptionFields(subscription, ctx.now),
    };
  },
});
