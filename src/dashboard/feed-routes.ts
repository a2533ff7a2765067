import type { Context } from 'hono';
import type { Reply } from '../reply/reply.ts';
import { dispatchStructured, type Caller } from '../router/dispatch.ts';
import type { Services } from '../services.ts';
import type { DashboardApp, DashboardEnv } from './app.ts';
import { feedBody, feedsBody, parseFeedQuery } from './feeds-page.ts';
import { page, replyNotice } from './layout.ts';
import type { Session } from './sessions.ts';

/**
 * Feeds: the page, and its forms, which run /feeds add, remove, edit,
 * disable, enable and refresh through the router, as the admin, in the channel /dashboard was run
 * in: the same checks, rules and messages as in chat.
 */

/** The signed-in admin, as the router sees a caller. */
export function callerOf(session: Session, channel: Caller['channel'] = session.channel): Caller {
  return { user: { id: session.user.id, ...(session.user.name ? { name: session.user.name } : {}), isAdmin: true }, channel };
}

/** This server's feeds only. */
async function scopedFeeds(services: Services, session: Session) {
  return (await services.feeds.list()).filter((f) => f.scope === session.scope);
}

export function feedRoutes(app: DashboardApp, services: Services): void {
  const render = async (c: Context<DashboardEnv>, reply?: Reply, form?: { url?: string; name?: string; about?: string }) => {
    const session = c.get('session');
    const query = parseFeedQuery(c.req.query());
    const body = feedsBody(await scopedFeeds(services, session), query, session, form);
    return c.html(page({ title: 'Feeds', session, current: '/feeds', notice: reply ? replyNotice(reply) : undefined, body }), reply?.errorCode ? 422 : 200);
  };

  app.get('/feeds', (c) => render(c));

  app.post('/feeds', async (c) => {
    const session = c.get('session');
    const form = await c.req.parseBody();
    const text = (name: string) => (typeof form[name] === 'string' ? (form[name] as string).trim() : '');
    const typed = { url: text('url'), name: text('name'), about: text('about') };
    const options: Record<string, string> = { url: typed.url };
    if (typed.name) options.name = typed.name;
    if (typed.about) options.about = typed.about;
    const reply = await dispatchStructured(services, { name: 'feeds', subcommand: 'add', options }, callerOf(session));
    // A refused feed keeps what was typed in the form, to fix and send again.
    return render(c, reply, reply.errorCode ? typed : undefined);
  });

  app.get('/feeds/:id', async (c) => {
    const session = c.get('session');
    const feed = await services.feeds.registry.get(c.req.param('id'));
    if (!feed || feed.scope !== session.scope) return c.notFound();
    return c.html(page({ title: `Feed “${feed.name}”`, session, current: '/feeds', body: feedBody(feed, session) }));
  });

  app.post('/feeds/:id/:action{remove|disable|enable|edit|refresh}', async (c) => {
    const session = c.get('session');
    const feed = await services.feeds.registry.get(c.req.param('id'));
    // Another server's feed is answered exactly like a feed that does not exist.
    if (!feed || feed.scope !== session.scope) return c.notFound();
    const action = c.req.param('action');
    const options: Record<string, string> = { feed: feed.id };
    if (action === 'edit') {
      const form = await c.req.parseBody();
      if (typeof form.name === 'string' && form.name.trim()) options.name = form.name.trim();
      // The form always shows the topic words: an emptied field clears them (`about:none`).
      if (typeof form.about === 'string') options.about = form.about.trim() || 'none';
    }
    const reply = await dispatchStructured(services, { name: 'feeds', subcommand: action, options }, callerOf(session));
    // After a removal the list; otherwise the feed's own page, as it is now.
    const after = action === 'remove' ? undefined : await services.feeds.registry.get(feed.id);
    if (!after) return render(c, reply);
    return c.html(page({ title: `Feed “${after.name}”`, session, current: '/feeds', notice: replyNotice(reply), body: feedBody(after, session) }), reply.errorCode ? 422 : 200);
  });
}
