import { html } from 'hono/html';
import type { Reply } from '../reply/reply.ts';
import { BASE, csrfField, type Html } from './layout.ts';
import type { Session } from './sessions.ts';

/**
 * The Review page is /review's own answer (the same list, order and words),
 * with each fact's approve and reject buttons turned into forms.
 */

/** The fact id behind a /review button (`/review approve:<id> page:2`). */
export function actionTarget(commandLine: string): { action: 'approve' | 'reject'; id: string } | undefined {
  const match = /^\/review (approve|reject):(\S+)/.exec(commandLine);
  return match ? { action: match[1] as 'approve' | 'reject', id: match[2]! } : undefined;
}

export function reviewBody(list: Reply, session: Session): Html {
  if (list.errorCode) return html`<p>${list.title ?? ''}</p>`;
  const paging = list.paging;
  return html`<h2>${list.title ?? ''}</h2>
${(list.text ?? []).map((t) => html`<p>${t}</p>`)}
${(list.items ?? []).length > 0 ? html`<ol class="facts">${(list.items ?? []).map(
    (item) => html`<li><h3>${item.title}</h3>${item.meta ? html`<p class="muted">${item.meta}</p>` : ''}${item.text ? html`<p>${item.text}</p>` : ''}
<div class="actions">${(item.actions ?? []).map((a) => {
      const target = actionTarget(a.commandLine);
      if (!target) return '';
      return html`<form method="post" action="${BASE}/review" class="inline">${csrfField(session)}<input type="hidden" name="action" value="${target.action}"><input type="hidden" name="id" value="${target.id}">${paging ? html`<input type="hidden" name="page" value="${paging.page}">` : ''}<button type="submit" class="${target.action === 'reject' ? 'danger' : ''}">${a.label}</button></form>`;
    })}</div></li>`,
  )}</ol>` : ''}
${paging && paging.pages > 1
  ? html`<nav aria-label="Pages"><p>Page ${paging.page} of ${paging.pages}. ${paging.page > 1 ? html`<a href="${BASE}/review?page=${paging.page - 1}">Previous</a> ` : ''}${paging.page < paging.pages ? html`<a href="${BASE}/review?page=${paging.page + 1}">Next</a>` : ''}</p></nav>`
  : ''}`;
}
