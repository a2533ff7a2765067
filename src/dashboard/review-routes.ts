import type { Context } from 'hono';
import { html } from 'hono/html';
import type { Reply } from '../reply/reply.ts';
import { dispatchStructured } from '../router/dispatch.ts';
import type { Services } from '../services.ts';
import type { DashboardApp, DashboardEnv } from './app.ts';
import { callerOf } from './feed-routes.ts';
import { page, replyNotice } from './layout.ts';
import { CORRECTABLE, reviewBody } from './review-page.ts';

/**
 * Review: /review's list, and its approve/reject/correct run as /review
 * approve:<id>, reject:<id> or correct:<id> <field>:<value>. The knowledge base is the bot's, not one server's: every
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
    const action = form.action === 'approve' || form.action === 'reject' || form.action === 'correct' ? form.action : undefined;
    const id = typeof form.id === 'string' ? form.id.trim() : '';
    const field = CORRECTABLE.find((f) => f === form.field);
    if (!action || !id || (action === 'correct' && !field)) {
      return c.html(page({ title: 'Review', session, current: '/review', body: html``, notice: replyNotice({ title: 'Choose approve, reject or correct (with what to correct) for a fact.', errorCode: 'BAD_FORM' }) }), 400);
    }
    const options: Record<string, string> = { [action]: id };
    if (action === 'correct') options[field!] = typeof form.value === 'string' ? form.value.trim() : '';
    const decided = await dispatchStructured(services, { name: 'review', options }, callerOf(session));
    // /review answers a decision with its outcome first, then the list again: the outcome is the notice.
    const notice: Reply = decided.errorCode ? decided : { title: decided.text?.[0] ?? 'Done.' };
    return render(c, pageOf(typeof form.page === 'string' ? form.page : undefined), notice);
  });
}

function pageOf(value: string | undefined): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= 10_000 ? n : 1;
}
