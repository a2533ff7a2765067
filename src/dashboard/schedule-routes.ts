import type { Context } from 'hono';
import type { Reply } from '../reply/reply.ts';
import { dispatchStructured } from '../router/dispatch.ts';
import type { Services } from '../services.ts';
import type { Subscription } from '../schedule/subscription.ts';
import type { DashboardApp, DashboardEnv } from './app.ts';
import { callerOf } from './feed-routes.ts';
import { page, replyNotice } from './layout.ts';
import { postsBody, subscriptionsBody, type SubscriptionForm } from './schedule-pages.ts';
import type { Session } from './sessions.ts';

/**
 * Subscriptions and Posts. A saved subscription form runs /subscribe in that
 * channel through the router: the same validation, defaults and messages.
 */

/** The subscriptions of the signed-in server or workspace, as /subscriptions all:true lists them. */
async function scopedSubscriptions(services: Services, session: Session): Promise<Subscription[]> {
  const prefix = `${session.channel.platform}:`;
  return (await services.schedule.subscriptions.all())
    .filter((s) => s.guildId === session.channel.guildId && s.channel.startsWith(prefix))
    .sort((a, b) => a.channel.localeCompare(b.channel));
}

const FIELDS = ['digest', 'time', 'timezone', 'reminders', 'about'] as const;

export function scheduleRoutes(app: DashboardApp, services: Services): void {
  const renderSubscriptions = async (c: Context<DashboardEnv>, reply?: Reply, typed?: { channel: string; form: SubscriptionForm }) => {
    const session = c.get('session');
    const body = subscriptionsBody(await scopedSubscriptions(services, session), session, typed);
    return c.html(page({ title: 'Subscriptions', session, current: '/subscriptions', notice: reply ? replyNotice(reply) : undefined, body }), reply?.errorCode ? 422 : 200);
  };

  app.get('/subscriptions', (c) => renderSubscriptions(c));

  app.post('/subscriptions', async (c) => {
    const session = c.get('session');
    const form = await c.req.parseBody();
    const channel = typeof form.channel === 'string' ? form.channel : '';
    const subscription = (await scopedSubscriptions(services, session)).find((s) => s.channel === channel);
    if (!subscription) return c.notFound();
    const typed: SubscriptionForm = {};
    for (const field of FIELDS) if (typeof form[field] === 'string') typed[field] = (form[field] as string).trim();
    const options: Record<string, string> = {};
    for (const field of FIELDS) if (typed[field]) options[field] = typed[field]!;
    // An emptied topic clears it, as `/subscribe about:none` does.
    if (typed.about === '') options.about = 'none';
    const id = channel.slice(channel.indexOf(':') + 1);
    const reply = await dispatchStructured(services, { name: 'subscribe', options }, callerOf(session, { ...session.channel, id }));
    return renderSubscriptions(c, { ...reply, title: reply.errorCode ? reply.title : `${channel}: ${reply.title ?? 'saved'}` }, reply.errorCode ? { channel, form: typed } : undefined);
  });

  app.get('/posts', async (c) => {
    const session = c.get('session');
    const subscriptions = await scopedSubscriptions(services, session);
    const history = await services.schedule.ledger.history(new Set(subscriptions.map((s) => s.channel)));
    return c.html(page({ title: 'Posts', session, current: '/posts', body: postsBody(history, subscriptions, services.schedule.events(), new Date()) }));
  });
}
