import { defineCommand } from '../src/router/command.ts';
import { userError } from '../src/reply/reply.ts';
import { LINK_LIFETIME_MS, serverScope } from '../src/dashboard/sign-in-links.ts';

/**
 * /dashboard: a one-time link that signs the admin who asked into the web
 * dashboard for this server or workspace only (src/dashboard). Ephemeral:
 * the link is as good as a password for ten minutes.
 */
export default defineCommand({
  name: 'dashboard',
  description: 'A one-time sign-in link to the web dashboard for this server',
  ko: { name: '대시보드', description: '이 서버의 웹 대시보드 일회용 로그인 링크 (관리자)' },
  admin: true,
  examples: ['dashboard'],
  async run(ctx) {
    const scope = serverScope(ctx.channel);
    if (!scope || (ctx.channel.platform !== 'discord' && ctx.channel.platform !== 'slack')) {
      return userError('NO_SERVER', 'The dashboard opens one server or workspace: run /dashboard in one of its channels.', [
        'Direct messages and the console belong to no server.',
      ]);
    }
    const base = ctx.services.dashboard.baseUrl;
    if (!base) {
      return userError('DASHBOARD_OFF', 'This bot does not serve the web dashboard: its operator has not set PORT.', [
        'An operator can set PORT (and PUBLIC_URL, the address people open) and restart the bot.',
      ]);
    }
    const { token, expiresAt } = await ctx.services.dashboard.links.create({
      scope,
      channel: { id: ctx.channel.id, platform: ctx.channel.platform, guildId: ctx.channel.guildId! },
      user: { id: ctx.user.id, ...(ctx.user.name ? { name: ctx.user.name } : {}) },
    });
    const minutes = Math.round(LINK_LIFETIME_MS / 60_000);
    return {
      title: 'Your dashboard link',
      text: [
        `It signs you in to this ${ctx.channel.platform === 'slack' ? 'workspace' : 'server'}’s dashboard: feeds, subscriptions, posts and review. It works once, for ${minutes} minutes (until ${expiresAt.toISOString().slice(11, 16)} UTC). Do not share it.`,
      ],
      items: [{ title: 'Open the dashboard', url: `${base}/dashboard/sign-in?t=${token}` }],
      ephemeral: true,
    };
  },
});
