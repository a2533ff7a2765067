import { html, raw } from 'hono/html';
import { digestSummary, describeLocalInstant, RESUME_HINT } from '../schedule/describe.ts';
import type { LedgerEntry, LedgerKey } from '../schedule/ledger.ts';
import { nextDigestAt } from '../schedule/plan.ts';
import type { ReminderEvent } from '../schedule/reminder.ts';
import { instantAt } from '../schedule/zoned-time.ts';
import { nextAnniversary } from '../core/anniversaries.ts';
import { DIGEST_MODES, timeOfDay, type Subscription } from '../schedule/subscription.ts';
import { BASE, csrfField, when, type Html } from './layout.ts';
import type { Session } from './sessions.ts';

/** The Subscriptions and Posts pages: a server's channels as /subscriptions shows them, and the posting ledger. */

/** Values a form sent back after a refusal, so nothing typed is lost. */
export type SubscriptionForm = Partial<Record<'digest' | 'time' | 'timezone' | 'reminders' | 'about', string>>;

function subscriptionCard(s: Subscription, n: number, session: Session, typed: SubscriptionForm | undefined): Html {
  const v = {
    digest: typed?.digest ?? s.digest,
    time: typed?.time ?? s.time,
    timezone: typed?.timezone ?? s.timeZone,
    reminders: typed?.reminders ?? (s.reminders ? 'on' : 'off'),
    about: typed?.about ?? s.about ?? '',
  };
  const id = (field: string) => `sub-${n}-${field}`;
  return html`<form method="post" action="${BASE}/subscriptions" class="card" aria-labelledby="${id('title')}">
<h2 id="${id('title')}">${s.channel}</h2>
<p>${digestSummary(s)} · reminders ${s.reminders ? 'on' : 'off'}${s.about ? ` · about: ${s.about}` : ''}</p>
${s.paused ? html`<p class="state-disabled" role="note">Paused since ${when(s.paused.at)}: ${s.paused.reason}. ${RESUME_HINT} Saving this form resumes it too.</p>` : ''}
${csrfField(session)}<input type="hidden" name="channel" value="${s.channel}">
<label for="${id('digest')}">Digest</label><select id="${id('digest')}" name="digest">${DIGEST_MODES.map((m) => html`<option value="${m}"${m === v.digest ? raw(' selected') : ''}>${m}</option>`)}</select>
<label for="${id('time')}">Time of day (24-hour HH:MM)</label><input type="text" id="${id('time')}" name="time" inputmode="numeric" maxlength="5" value="${v.time}">
<label for="${id('timezone')}">Time zone (Area/City)</label><input type="text" id="${id('timezone')}" name="timezone" maxlength="64" value="${v.timezone}">
<label for="${id('reminders')}">Anniversary reminders</label><select id="${id('reminders')}" name="reminders">${['on', 'off'].map((m) => html`<option value="${m}"${m === v.reminders ? raw(' selected') : ''}>${m}</option>`)}</select>
<label for="${id('about')}">Topic words (empty: every new article)</label><input type="text" id="${id('about')}" name="about" maxlength="200" value="${v.about}">
<p><button type="submit">Save ${s.channel}</button></p>
</form>`;
}

export function subscriptionsBody(subscriptions: readonly Subscription[], session: Session, typed?: { channel: string; form: SubscriptionForm }): Html {
  if (subscriptions.length === 0) {
    return html`<p>No channel of this ${session.channel.platform === 'slack' ? 'workspace' : 'server'} is subscribed. An admin starts one by running /subscribe in the channel.</p>`;
  }
  return html`<p>${subscriptions.length} subscribed channel${subscriptions.length === 1 ? '' : 's'}. Saving a form does what /subscribe does in that channel.</p>
${subscriptions.map((s, i) => subscriptionCard(s, i + 1, session, typed?.channel === s.channel ? typed.form : undefined))}`;
}

const STATUS_WORDS: Record<LedgerEntry['status'], string> = {
  pending: 'being sent',
  sent: 'sent',
  empty: 'nothing new to post',
  skipped: 'skipped (bot was down)',
  unknown: 'unknown (sender stopped)',
  failed: 'failed (channel paused)',
};

/** The channel's next reminder: the soonest anniversary, at the channel's time (an anniversary today may be past). */
function nextReminder(s: Subscription, events: readonly ReminderEvent[], now: Date): { at: Date; what: string } | undefined {
  if (!s.reminders || events.length === 0) return undefined;
  const soonest = events
    .map((event) => ({ event, next: nextAnniversary(event.date, now, s.timeZone) }))
    .reduce((a, b) => (b.next.daysUntil < a.next.daysUntil ? b : a));
  return { at: instantAt(soonest.next.on, timeOfDay(s), s.timeZone), what: `reminder: ${soonest.event.summary.replace(/\.$/, '')} (${soonest.next.years} years)` };
}

export function postsBody(history: ReadonlyArray<LedgerKey & { entry: LedgerEntry }>, subscriptions: readonly Subscription[], events: readonly ReminderEvent[], now: Date, limit = 200): Html {
  const upcoming = subscriptions
    .filter((s) => !s.paused)
    .flatMap((s) => {
      const digest = nextDigestAt(s, now);
      const reminder = nextReminder(s, events, now);
      return [...(digest ? [{ s, at: digest, what: `${digestSummary(s)} digest` }] : []), ...(reminder ? [{ s, ...reminder }] : [])];
    })
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  return html`<h2>Next posts due</h2>
${upcoming.length > 0
  ? html`<div class="table-wrap"><table class="cards"><thead><tr><th scope="col">Channel</th><th scope="col">Post</th><th scope="col">Due</th></tr></thead><tbody>
${upcoming.map((u) => html`<tr><td data-label="Channel">${u.s.channel}</td><td data-label="Post">${u.what}</td><td data-label="Due">${describeLocalInstant(u.at, u.s.timeZone)}</td></tr>`)}
</tbody></table></div>`
  : html`<p>Nothing is scheduled (no subscription, or all are paused or off).</p>`}
<h2>History</h2>
${history.length > 0
  ? html`<p class="muted">Newest first${history.length > limit ? `; the latest ${limit} of ${history.length}` : ''}.</p><div class="table-wrap"><table class="cards"><thead><tr><th scope="col">Channel</th><th scope="col">Job</th><th scope="col">Period</th><th scope="col">Status</th><th scope="col">When</th></tr></thead><tbody>
${history.slice(0, limit).map(
  (h) => html`<tr><td data-label="Channel">${h.channel}</td><td data-label="Job">${h.job}${h.part !== undefined ? ` (part ${h.part})` : ''}</td><td data-label="Period">${h.period}</td><td data-label="Status">${STATUS_WORDS[h.entry.status]}${h.entry.reason ? `: ${h.entry.reason}` : ''}</td><td data-label="When">${when(h.entry.at)}</td></tr>`,
)}
</tbody></table></div>`
  : html`<p>Nothing has been posted to this server’s channels yet.</p>`}`;
}
