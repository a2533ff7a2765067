import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { Reply } from '../reply/reply.ts';
import type { Session } from './sessions.ts';

/**
 * The page frame and the small pieces every page uses. Everything goes
 * through hono's `html` tag, which escapes each interpolated value: feed
 * titles, names and messages can never become markup.
 */

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

export const BASE = '/dashboard';

const SECTIONS = [
  { path: '/feeds', label: 'Feeds' },
  { path: '/subscriptions', label: 'Subscriptions' },
  { path: '/posts', label: 'Posts' },
  { path: '/review', label: 'Review' },
] as const;

export function page(options: { title: string; session?: Session; current?: string; notice?: Html; body: Html }): Html {
  const { title, session, current, notice, body } = options;
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · armistice-bot</title>
<link rel="stylesheet" href="${BASE}/style.css">
</head>
<body>
<header>
<p class="brand">armistice-bot dashboard${session ? html` <span class="scope">${session.scope}</span>` : ''}</p>
${session
  ? html`<nav aria-label="Sections"><ul>${SECTIONS.map(
      (s) => html`<li><a href="${BASE}${s.path}"${current === s.path ? raw(' aria-current="page"') : ''}>${s.label}</a></li>`,
    )}</ul>
<form method="post" action="${BASE}/sign-out" class="inline">${csrfField(session)}<button type="submit">Sign out</button></form></nav>`
  : ''}
</header>
<main>
<h1>${title}</h1>
${notice ?? ''}
${body}
</main>
</body>
</html>`;
}

export function csrfField(session: Session): Html {
  return html`<input type="hidden" name="csrf" value="${session.csrf}">`;
}

/** A command's answer, shown above the page: an error as an alert, anything else as a status. */
export function replyNotice(reply: Reply): Html {
  const error = reply.errorCode !== undefined;
  return html`<section class="notice ${error ? 'error' : 'ok'}" role="${error ? 'alert' : 'status'}">
<p class="notice-title">${reply.title ?? (error ? 'That did not work.' : 'Done.')}${error ? html` <span class="code">(${reply.errorCode})</span>` : ''}</p>
${(reply.text ?? []).map((t) => html`<p>${t}</p>`)}
${reply.fields && reply.fields.length > 0 ? html`<dl>${reply.fields.map((f) => html`<dt>${f.name}</dt><dd>${f.value}</dd>`)}</dl>` : ''}
${reply.footer ? html`<p class="muted">${reply.footer}</p>` : ''}
</section>`;
}

/** `2026-12-04 17:22 UTC`, or a dash. */
export function when(iso: string | undefined): string {
  return iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : '—';
}
