import { html, raw } from 'hono/html';
import type { FeedRecord } from '../feeds/feed-registry.ts';
import { REASON_EXPLANATIONS } from '../feeds/failure.ts';
import { describeHealth } from '../feeds/present.ts';
import { BASE, csrfField, when, type Html } from './layout.ts';
import type { Session } from './sessions.ts';

/**
 * The Feeds page: the server's feeds as a table that sorts and filters by
 * query string (so it works without JavaScript and a view can be shared as
 * a link), with the add form and per-feed actions.
 */

export const FEED_SORTS = ['name', 'state', 'lastFetch', 'lastNewItem', 'failures', 'nextAttempt'] as const;
export type FeedSort = (typeof FEED_SORTS)[number];
export const FEED_STATES = ['all', 'healthy', 'failing', 'disabled'] as const;
export type FeedState = Exclude<(typeof FEED_STATES)[number], 'all'>;

export interface FeedQuery {
  sort: FeedSort;
  desc: boolean;
  state: (typeof FEED_STATES)[number];
  q: string;
}

/** Unknown values fall back to the defaults: a hand-edited URL still shows the page. */
export function parseFeedQuery(params: Record<string, string | undefined>): FeedQuery {
  const sort = (FEED_SORTS as readonly string[]).includes(params.sort ?? '') ? (params.sort as FeedSort) : 'name';
  const state = (FEED_STATES as readonly string[]).includes(params.state ?? '') ? (params.state as FeedQuery['state']) : 'all';
  return { sort, desc: params.dir === 'desc', state, q: (params.q ?? '').trim().slice(0, 200) };
}

export function feedState(feed: FeedRecord): FeedState {
  if (!feed.enabled) return 'disabled';
  return feed.consecutiveFailures > 0 ? 'failing' : 'healthy';
}

const STATE_ORDER: Record<FeedState, number> = { failing: 0, disabled: 1, healthy: 2 };

function sortKey(feed: FeedRecord, sort: FeedSort): string | number {
  switch (sort) {
    case 'name':
      return feed.name.toLowerCase();
    case 'state':
      return STATE_ORDER[feedState(feed)];
    case 'lastFetch':
      return feed.lastFetchAt ?? '';
    case 'lastNewItem':
      return feed.lastNewItemAt ?? '';
    case 'failures':
      return feed.consecutiveFailures;
    case 'nextAttempt':
      return feed.enabled ? (feed.nextAttemptAt ?? '') : '~';
  }
}

export function selectFeeds(feeds: readonly FeedRecord[], query: FeedQuery): FeedRecord[] {
  const needle = query.q.toLowerCase();
  const chosen = feeds.filter(
    (f) =>
      (query.state === 'all' || feedState(f) === query.state) &&
      (needle === '' || f.name.toLowerCase().includes(needle) || f.url.toLowerCase().includes(needle) || f.about.some((a) => a.toLowerCase().includes(needle))),
  );
  const keyed = chosen.map((f) => ({ f, k: sortKey(f, query.sort) }));
  keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.f.name.localeCompare(b.f.name)) * (query.desc ? -1 : 1));
  return keyed.map((e) => e.f);
}

const HEADINGS: Array<[FeedSort | undefined, string]> = [
  ['name', 'Feed'],
  ['state', 'State'],
  ['lastFetch', 'Last fetch'],
  ['lastNewItem', 'Last new item'],
  ['failures', 'Failures in a row'],
  [undefined, 'Reason'],
  ['nextAttempt', 'Next attempt'],
  [undefined, 'Actions'],
];

function queryString(query: FeedQuery, change: Partial<FeedQuery>): string {
  const q = { ...query, ...change };
  const params = new URLSearchParams();
  if (q.sort !== 'name') params.set('sort', q.sort);
  if (q.desc) params.set('dir', 'desc');
  if (q.state !== 'all') params.set('state', q.state);
  if (q.q) params.set('q', q.q);
  const s = params.toString();
  return s ? `?${s}` : '';
}

function reason(feed: FeedRecord): string {
  const code = feed.enabled ? feed.lastFailureReason : (feed.disabledReason ?? feed.lastFailureReason);
  if (!code || (feed.enabled && feed.consecutiveFailures === 0)) return '—';
  return `${code}: ${REASON_EXPLANATIONS[code]}${feed.lastFailureMessage ? ` (${feed.lastFailureMessage})` : ''}`;
}

function row(feed: FeedRecord): Html {
  const state = feedState(feed);
  return html`<tr id="feed-${feed.id}">
<td data-label="Feed"><strong>${feed.name}</strong><br><span class="muted">${feed.url}</span>${feed.about.length > 0 ? html`<br><span class="muted">about: ${feed.about.join(', ')}</span>` : ''}</td>
<td data-label="State" class="state-${state}">${state}</td>
<td data-label="Last fetch">${when(feed.lastFetchAt)}</td>
<td data-label="Last new item">${when(feed.lastNewItemAt)}</td>
<td data-label="Failures in a row">${feed.consecutiveFailures}</td>
<td data-label="Reason">${reason(feed)}</td>
<td data-label="Next attempt">${feed.enabled ? when(feed.nextAttemptAt) : 'never (disabled)'}</td>
<td data-label="Actions"><a href="${BASE}/feeds/${feed.id}">Manage<span class="visually-hidden"> ${feed.name}</span></a></td>
</tr>`;
}

export function feedsBody(all: readonly FeedRecord[], query: FeedQuery, session: Session, form: { url?: string; name?: string; about?: string } = {}): Html {
  const shown = selectFeeds(all, query);
  const failing = all.filter((f) => feedState(f) !== 'healthy').length;
  return html`<p>${all.length} feed${all.length === 1 ? '' : 's'} added in this ${session.channel.platform === 'slack' ? 'workspace' : 'server'}${failing > 0 ? `, ${failing} failing or disabled` : ''}.</p>
<form method="get" action="${BASE}/feeds" class="filters" role="search">
<div><label for="q">Filter</label><input type="search" id="q" name="q" value="${query.q}" placeholder="name, address or topic"></div>
<div><label for="state">State</label><select id="state" name="state">${FEED_STATES.map((s) => html`<option value="${s}"${s === query.state ? raw(' selected') : ''}>${s}</option>`)}</select></div>
<div><label for="sort">Sort by</label><select id="sort" name="sort">${HEADINGS.filter(([s]) => s !== undefined).map(([s, label]) => html`<option value="${s}"${s === query.sort ? raw(' selected') : ''}>${label}</option>`)}</select></div>
<div><label for="dir">Order</label><select id="dir" name="dir"><option value="asc">ascending</option><option value="desc"${query.desc ? raw(' selected') : ''}>descending</option></select></div>
<div><button type="submit" class="secondary">Apply</button></div>
</form>
<div class="table-wrap"><table class="cards">
<caption class="muted">${shown.length === all.length ? `${all.length} feed${all.length === 1 ? '' : 's'}` : `${shown.length} of ${all.length} feeds`}, sorted by ${HEADINGS.find(([s]) => s === query.sort)?.[1] ?? query.sort}${query.desc ? ' (descending)' : ''}</caption>
<thead><tr>${HEADINGS.map(([sort, label]) =>
    sort
      ? html`<th scope="col"${query.sort === sort ? raw(` aria-sort="${query.desc ? 'descending' : 'ascending'}"`) : ''}><a href="${BASE}/feeds${queryString(query, { sort, desc: query.sort === sort ? !query.desc : false })}">${label}</a></th>`
      : html`<th scope="col">${label}</th>`,
  )}</tr></thead>
<tbody>${shown.length > 0 ? shown.map(row) : html`<tr><td colspan="8">No feed matches.</td></tr>`}</tbody>
</table></div>
<h2 id="add">Add a feed</h2>
<form method="post" action="${BASE}/feeds" class="card">
${csrfField(session)}
<label for="add-url">Feed address (http or https)</label><input type="url" id="add-url" name="url" required maxlength="2000" value="${form.url ?? ''}" placeholder="https://www.38north.org/feed/">
<label for="add-name">Name (optional)</label><input type="text" id="add-name" name="name" maxlength="100" value="${form.name ?? ''}">
<label for="add-about">Topic words, comma-separated (optional)</label><input type="text" id="add-about" name="about" maxlength="200" value="${form.about ?? ''}">
<p><button type="submit">Add feed</button></p>
</form>`;
}

/** One feed: its health in full, and the forms that change it. */
export function feedBody(feed: FeedRecord, session: Session): Html {
  const state = feedState(feed);
  return html`<p><a href="${BASE}/feeds">← All feeds</a></p>
<dl>
<dt>Address</dt><dd>${feed.url}</dd>
<dt>State</dt><dd class="state-${state}">${describeHealth(feed)}</dd>
<dt>Topic words</dt><dd>${feed.about.length > 0 ? feed.about.join(', ') : 'none (every item about Korea)'}</dd>
<dt>Last fetch</dt><dd>${when(feed.lastFetchAt)}</dd>
<dt>Last success</dt><dd>${when(feed.lastSuccessAt)}</dd>
<dt>Last new item</dt><dd>${when(feed.lastNewItemAt)}</dd>
<dt>Failures in a row</dt><dd>${feed.consecutiveFailures}</dd>
<dt>Reason</dt><dd>${reason(feed)}</dd>
<dt>Next attempt</dt><dd>${feed.enabled ? when(feed.nextAttemptAt) : 'never (disabled)'}</dd>
<dt>Added</dt><dd>${when(feed.addedAt)} by ${feed.addedBy}</dd>
<dt>Id</dt><dd>${feed.id}</dd>
</dl>
<h2>Rename or change topic words</h2>
<form method="post" action="${BASE}/feeds/${feed.id}/edit" class="card">${csrfField(session)}
<label for="edit-name">Name</label><input type="text" id="edit-name" name="name" maxlength="100" required value="${feed.name}">
<label for="edit-about">Topic words, comma-separated (empty: none)</label><input type="text" id="edit-about" name="about" maxlength="200" value="${feed.about.join(', ')}">
<p><button type="submit">Save</button></p>
</form>
<h2>Fetching</h2>
<div class="actions">
${feed.enabled ? html`<form method="post" action="${BASE}/feeds/${feed.id}/refresh" class="inline">${csrfField(session)}<button type="submit" class="secondary">Refresh ${feed.name} now</button></form>` : ''}
<form method="post" action="${BASE}/feeds/${feed.id}/${feed.enabled ? 'disable' : 'enable'}" class="inline">${csrfField(session)}<button type="submit" class="secondary">${feed.enabled ? 'Disable' : 'Enable'} ${feed.name}</button></form>
<form method="post" action="${BASE}/feeds/${feed.id}/remove" class="inline">${csrfField(session)}<button type="submit" class="danger">Remove ${feed.name}</button></form>
</div>`;
}
