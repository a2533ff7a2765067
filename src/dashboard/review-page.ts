import { html } from 'hono/html';
import type { Reply, ReplyItem } from '../reply/reply.ts';
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

/** The fields /review correct: takes; the command says which fit a person and which an event. */
export const CORRECTABLE = ['name', 'role', 'date', 'summary'] as const;

function pageField(paging: Reply['paging']): Html | string {
  return paging ? html`<input type="hidden" name="page" value="${paging.page}">` : '';
}

/** A folded form (no script: <details>) for /review correct:<id> with one field. */
function correctForm(item: ReplyItem, session: Session, paging: Reply['paging']): Html | string {
  const id = (item.actions ?? []).map((a) => actionTarget(a.commandLine)).find((t) => t !== undefined)?.id;
  if (!id) return '';
  const n = /^(\d+)\./.exec(item.title)?.[1] ?? id;
  return html`<details><summary>Correct ${n}</summary><form method="post" action="${BASE}/review">${csrfField(session)}<input type="hidden" name="action" value="correct"><input type="hidden" name="id" value="${id}">${pageField(paging)}
<label for="field-${id}">What is wrong</label><select id="field-${id}" name="field">${CORRECTABLE.map((f) => html`<option value="${f}">${f}</option>`)}</select>
<label for="value-${id}">The right value (a date as YYYY-MM-DD)</label><input type="text" id="value-${id}" name="value" maxlength="300" required>
<p><button type="submit">Save correction ${n}</button></p></form></details>`;
}

export function reviewBody(list: Reply, session: Session): Html {
  if (list.errorCode) return html`<p>${list.title ?? ''}</p>`;
  const paging = list.paging;
  return html`<h2>${list.title ?? ''}</h2>
${(list.text ?? []).map((t) => html`<p>${t}</p>`)}
${(list.items ?? []).length > 0 ? html`<ul class="facts">${(list.items ?? []).map(
    (item) => html`<li><h3>${item.title}</h3>${item.meta ? html`<p class="muted">${item.meta}</p>` : ''}${item.text ? html`<p>${item.text}</p>` : ''}
<div class="actions">${(item.actions ?? []).map((a) => {
      const target = actionTarget(a.commandLine);
      if (!target) return '';
      return html`<form method="post" action="${BASE}/review" class="inline">${csrfField(session)}<input type="hidden" name="action" value="${target.action}"><input type="hidden" name="id" value="${target.id}">${pageField(paging)}<button type="submit" class="${target.action === 'reject' ? 'danger' : ''}">${a.label}</button></form>`;
    })}</div>${correctForm(item, session, paging)}</li>`,
  )}</ul>` : ''}
${paging && paging.pages > 1
  ? html`<nav aria-label="Pages"><p>Page ${paging.page} of ${paging.pages}. ${paging.page > 1 ? html`<a href="${BASE}/review?page=${paging.page - 1}">Previous</a> ` : ''}${paging.page < paging.pages ? html`<a href="${BASE}/review?page=${paging.page + 1}">Next</a>` : ''}</p></nav>`
  : ''}`;
}
