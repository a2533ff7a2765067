import type { Context } from 'hono';
import { html } from 'hono/html';
import type { Reply } from '../reply/reply.ts';
import { dispatchStructured } from '../router/dispatch.ts';
import type { Services } from '../services.ts';
import type { DashboardApp, DashboardEnv } from './app.ts';
import { callerOf } from './feed-routes.ts';
import { page, replyNotice } from './layout.ts';
import { reviewBody } from './review-page.ts';

/**
 * Review: /review's list, and its approve/reject run as /review approve:<id>
 * or reject:<id>. The knowledge base is the bot's, not one server's: every
 * signed-in admin reviews the same facts, as /review does in chat.
 */
export function reviewRoutes(app: DashboardApp, services: Services): void {
  const render = async (c: Context<DashboardEnv>, pageNumber: number, decision?: Reply) => {
    const session = c.get('session');
    const list = await dispatchStructured(services, { name: 'review', options: pageNumber > 1 ? { page: pageNumber } : {} }, callerOf(session));
    const notice = decision ? replyNotice(decision) : list.errorCode ? replyNotice(list) : undefined;
    return c.html(page({ title: 'Review', session, current: '/review', notice, body: reviewBody(list, session) }), decision?.errorCode ? 422 : 200);
  };

  app.get('/review', (c) => render(c, pageOf(c.req.query('page'))));

  app.post('/review', async (c) => {
    const session = c.get('session');
    const form = await c.req.parseBody();
    const action = form.action === 'approve' || form.action === 'reject' ? form.action : undefined;
    const id = typeof form.id === 'string' ? form.id.trim() : '';
    if (!action || !id) {
      return c.html(page({ title: 'Review', session, current: '/review', body: html``, notice: replyNotice({ title: 'Choose approve or reject for a fact.', errorCode: 'BAD_FORM' }) }), 400);
    }
    const decided = await dispatchStructured(services, { name: 'review', options: { [action]: id } }, callerOf(session));
    // /review answers a decision with its outcome first, then the list again: the outcome is the notice.
    const notice: Reply = decided.errorCode ? decided : { title: decided.text?.[0] ?? 'Done.' };
    return render(c, pageOf(typeof form.page === 'string' ? form.page : undefined), notice);
  });
}

function pageOf(value: string | undefined): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= 10_000 ? n : 1;
}
