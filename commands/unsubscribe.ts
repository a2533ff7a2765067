import { defineCommand } from '../src/router/command.ts';
import { userError } from '../src/reply/reply.ts';
import { channelAddress } from '../src/schedule/channel-address.ts';

/** /unsubscribe: no more digests or reminders in this channel. */
export default defineCommand({
  name: 'unsubscribe',
  description: 'Stop the digests and reminders in this channel',
  ko: { name: '구독취소', description: '이 채널의 뉴스 요약과 알림 중지' },
  admin: true,
  options: [],
  examples: ['unsubscribe'],
  async run(ctx) {
    const channel = channelAddress(ctx.channel);
    const removed = await ctx.services.schedule.subscriptions.remove(channel);
    if (!removed) {
      return userError('NOT_SUBSCRIBED', 'This channel has no subscription to stop.', ['/subscriptions all:true lists the subscribed channels of this server.']);
    }
    await ctx.services.schedule.cursors.remove(channel);
    return { title: 'Unsubscribed', text: ['No more digests or reminders will be posted in this channel. /subscribe starts them again.'] };
  },
});
