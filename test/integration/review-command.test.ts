import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ReviewStore } from '../../src/knowledge/review-store.ts';
import { StoreError } from '../../src/store/store.ts';
import { LogCapture } from '../support/slack-double.ts';
import { renderPlainText } from '../../src/reply/plain-text.ts';
import { dispatchLine, type Caller } from '../../src/router/dispatch.ts';
import type { Services } from '../../src/services.ts';
import { makeTestServices } from '../support/services.ts';
import { ENVOY_ARTICLE, learnFrom } from '../support/review-facts.ts';

/**
 * /review as the console types it (`name:value`), through the router and
 * the real services: what an admin sees, what each decision changes in the
 * answers of /whois and /timeline, and the clear errors.
 */

const admin: Caller = { user: { id: 'console-admin', name: 'ada', isAdmin: true }, channel: { id: 'console', platform: 'console' } };
const member: Caller = { user: { id: 'console-user', isAdmin: false }, channel: { id: 'console', platform: 'console' } };

let services: Services;
const say = async (line: string, caller = admin) => dispatchLine(services, line, caller, new Date('2021-03-06T10:00:00Z'));
const text = async (line: string, caller = admin) => renderPlainText(await say(line, caller));

const idOf = (name: string) => {
  const found = services.knowledge.lookup(name);
  if (found.kind !== 'found') throw new Error(`the extractor did not find ${name}`);
  return found.entity.id;
};
/** The envoy article's record that reports Moon Jae-in's role: what /review decides on for that role. */
const moonClaim = () => services.knowledge.reportedRoles('moon-jae-in')[0]!.claim;
const eventId = (phrase: string) => services.knowledge.events().find((e) => e.phrase === phrase && e.sources[0]?.article === ENVOY_ARTICLE.id)!.id;

beforeEach(async () => {
  services = await makeTestServices();
  await learnFrom(services);
});

afterEach(async () => {
  vi.restoreAllMocks();
  await services.close();
});

describe('/review in the console', () => {
  it('GIVEN facts extracted from a feed article THEN /review lists them, newest first, each with its id, quote and the lines that decide it', async () => {
    const newer = { ...ENVOY_ARTICLE, id: 'feed-7e57a11c1e000002', title: 'Envoy returns', ingestedAt: '2021-03-06T08:00:00.000Z', paragraphs: ['Lindsey Ford of the Brookings Institution said on Friday that sanctions on North Korea would stay.'] };
    const found = await learnFrom(services, newer);
    const fromNewer = found.entities.length + found.events.length;
    expect(fromNewer).toBe(3); // Lindsey Ford, the Brookings Institution, and what she said on Friday
    const reply = await say('/review');
    // The envoy article's four facts, and the role it gives curated Moon Jae-in: 8 in all.
    expect(reply).toMatchObject({ title: 'Unreviewed facts (8)', ephemeral: true, paging: { page: 1, pages: 2, commandLine: '/review' } });
    // The newer article's facts come first.
    expect(reply.items!.map((i) => i.sourceIds)).toEqual([[newer.id], [newer.id], [newer.id], [ENVOY_ARTICLE.id]]);
    const out = await text('/review page:2');
    expect(out).toContain(`• 5. Person: Sung Kim\n  id ${idOf('Sung Kim')} · role: US special envoy (5 March 2021)\n  “South Korean President Moon Jae-in met Sung Kim, the US special envoy, in Seoul on Thursday to discuss an end-of-war declaration.”`);
    expect(out).toContain(`  Approve 5: /review approve:${idOf('Sung Kim')} page:2\n  Reject 5: /review reject:${idOf('Sung Kim')} page:2\n`);
    const first = await text('/review');
    expect(first).toContain('• 2. Person: Lindsey Ford\n');
    expect(out).toContain(`  Approve 7: /review approve:${eventId('on Thursday')} page:2\n  Reject 7: /review reject:${eventId('on Thursday')} page:2`);
    expect(out).toContain('Event: 4 March 2021 — South Korean President Moon Jae-in met Sung Kim');
    expect(out).toContain('who: Moon Jae-in, Sung Kim, Seoul · dated from “on Thursday”');
    expect(out).toContain(`• 8. Role of Moon Jae-in: South Korean president (5 March 2021)\n  id ${moonClaim()} · shown beside the curated record of Moon Jae-in, which stays as it is\n`);
    expect(out).toContain(`  Approve 8: /review approve:${moonClaim()} page:2\n  Reject 8: /review reject:${moonClaim()} page:2`);
  });

  it('GIVEN approve:, reject: and correct: typed as name:value THEN each applies at once and the answer is what is left to review', async () => {
    const approved = await text(`/review approve:${idOf('Sung Kim')}`);
    expect(approved).toMatch(/^== Unreviewed facts \(4\) ==\n\nApproved the person “Sung Kim”: it no longer shows as unreviewed\./);
    const whois = await text('/whois Sung Kim', member);
    expect(whois).not.toContain('extracted, unreviewed');
    expect(whois).toContain('(found by the extractor in a new article and checked by an admin with /review)');

    const rejected = await text(`/review reject:${idOf('Stimson Center')}`);
    expect(rejected).toContain('Rejected the organisation “Stimson Center”: it is gone and will not come back from its article.');
    expect(await text('/whois Stimson Center', member)).toContain('I have nobody and nothing called “Stimson Center”');

    const corrected = await text(`/review correct:${eventId('on Thursday')} date:2021-03-03 summary:"Moon Jae-in meets US envoy Sung Kim in Seoul"`);
    expect(corrected).toContain('Corrected the event');
    expect(corrected).toMatch(/^== Unreviewed facts \(2\) ==/);
    const timeline = await say('/timeline from:2021-03 to:2021-03', member);
    expect(timeline.items).toEqual([
      {
        title: '3 March 2021 — Moon Jae-in meets US envoy Sung Kim in Seoul',
        meta: 'Moon Jae-in, Sung Kim, Seoul',
        text: 'Recorded date: 2021-03-03. Corrected on review; the extractor had read the date 2021-03-04 (from “on Thursday”) and “South Korean President Moon Jae-in met Sung Kim, the US special envoy, in Seoul on Thursday to discuss an end-of-war declaration.” from the article.',
        sourceIds: [ENVOY_ARTICLE.id],
      },
    ]);

    expect(await text(`/review approve:${eventId('January')}`)).toMatch(/^== Unreviewed facts \(1\) ==/);
    const last = await text(`/review approve:${moonClaim()}`);
    expect(last).toMatch(/^== Nothing to review ==\n\nApproved the role “South Korean president” of Moon Jae-in: it no longer shows as unreviewed\./);
  });

  it('GIVEN the last fact of page 2 decided by its button line THEN the answer shows the last page left instead of an error', async () => {
    await learnFrom(services, { ...ENVOY_ARTICLE, id: 'feed-7e57a11c1e000002', ingestedAt: '2021-03-06T08:00:00.000Z', paragraphs: ['Lindsey Ford of the Brookings Institution said on Friday that sanctions on North Korea would stay.'] });
    const reply = await say(`/review reject:${idOf('Sung Kim')} page:2`);
    expect(reply.errorCode).toBeUndefined();
    expect(reply.paging).toMatchObject({ page: 2, pages: 2 });
  });

  it.each([
    ['/review approve:x-nobody', 'UNKNOWN_FACT', '⚠ No unreviewed fact has the id “x-nobody”.\n\nType /review to see the unreviewed facts with their ids.'],
    ['/review approve:moon-jae-in', 'CURATED_FACT', '⚠ “moon-jae-in” is a curated record: it is reviewed already.\n\nCurated records are changed in data/knowledge/ (see README).'],
    ['/review approve:a reject:b', 'ONE_DECISION', '⚠ Give one of approve:, reject: or correct: at a time.\n\nE.g. /review approve:<id>, then /review reject:<other id>.'],
    ['/review role:"Envoy"', 'CORRECT_NEEDS_ID', '⚠ role: goes with correct:<id>.\n\nE.g. /review correct:<id> date:2021-09-21 summary:"…"'],
    ['/review page:9', 'PAGE_OUT_OF_RANGE', '⚠ There are only 2 pages of unreviewed facts.\n\nTry /review page:2'],
  ])('GIVEN %s THEN a clear error (%s)', async (line, code, message) => {
    const reply = await say(line);
    expect(reply.errorCode).toBe(code);
    expect(renderPlainText(reply)).toBe(message);
  });

  it('GIVEN a role reported beside a curated person THEN approving marks it checked, correcting changes it, rejecting removes it; the record itself and its events never change', async () => {
    const moon = structuredClone(services.knowledge.entity('moon-jae-in'));
    const field = (reply: Awaited<ReturnType<typeof say>>, name: string) => reply.fields?.find((f) => f.name === name)?.value;
    const unreviewed = 'Roles in newer articles (extracted, unreviewed)';
    const checked = 'Roles in newer articles (checked by an admin with /review)';
    expect(field(await say('/whois Moon Jae-in', member), unreviewed)).toBe('South Korean president (5 March 2021)');

    expect(await text(`/review correct:${moonClaim()} name:"Moon"`)).toBe('⚠ A role reported beside Moon Jae-in has no name to correct.\n\nCorrect its role:.');
    expect(await text(`/review correct:${moonClaim()} role:"President of South Korea"`)).toContain('Corrected the role “South Korean president” of Moon Jae-in');
    const whois = await say('/whois Moon Jae-in', member);
    expect(field(whois, unreviewed)).toBeUndefined();
    expect(field(whois, checked)).toBe('President of South Korea');
    expect(services.knowledge.entity('moon-jae-in')).toEqual(moon);
    expect((await say('/review')).title).toBe('Unreviewed facts (4)');

    // Rejected, on a fresh set of facts: the role goes, the curated record and the events naming him stay.
    await services.close();
    services = await makeTestServices();
    await learnFrom(services);
    const claim = moonClaim();
    expect(await text(`/review reject:${claim}`)).toContain('Rejected the role “South Korean president” of Moon Jae-in');
    const after = await say('/whois Moon Jae-in', member);
    expect([field(after, unreviewed), field(after, checked)]).toEqual([undefined, undefined]);
    expect(services.knowledge.entity('moon-jae-in')).toEqual(moon);
    expect(services.knowledge.event(eventId('on Thursday'))?.entities).toContain('moon-jae-in');
    expect((await say(`/review approve:${claim}`)).errorCode).toBe('ALREADY_REVIEWED');
  });

  it('GIVEN a corrected name THEN /whois finds the entry by both names and says what the extractor read', async () => {
    await say(`/review correct:${idOf('Stimson Center')} name:"Henry L. Stimson Center"`);
    const whois = await say('/whois Stimson Center', member);
    expect(whois.title).toBe('Henry L. Stimson Center');
    expect(whois.footer).toBe('“Stimson Center”: as the extractor read it');
    expect(whois.text).toContain('Correction: Corrected on review; the extractor had read name “Stimson Center” from the article.');
    expect((await say('/whois Henry L. Stimson Center', member)).title).toBe('Henry L. Stimson Center');
  });

  it('GIVEN a correction that does not fit the fact THEN it says what can be corrected, and nothing changes', async () => {
    const sungKim = idOf('Sung Kim');
    expect(await text(`/review correct:${sungKim} date:2021`)).toBe('⚠ A person or organisation has no date to correct.\n\nCorrect its name: and role:.');
    expect(await text(`/review correct:${eventId('on Thursday')} role:"Envoy"`)).toBe('⚠ An event has no role to correct.\n\nCorrect its name:, date: and summary:.');
    expect(await text(`/review correct:${sungKim}`)).toBe(`⚠ Say what to correct: name:, role:, date: or summary:.\n\nE.g. /review correct:${sungKim} role:"Foreign Minister of South Korea"`);
    expect((await say(`/review correct:${eventId('on Thursday')} date:2021-02-30`)).errorCode).toBe('BAD_OPTION');
    expect(services.knowledge.entity(sungKim)?.status).toBe('extracted');
    expect((await say('/review')).title).toBe('Unreviewed facts (5)');
  });

  it('GIVEN a fact already reviewed THEN a second decision is refused, saying who decided what and when', async () => {
    const stimson = idOf('Stimson Center');
    await say(`/review reject:${stimson}`);
    // The rejected record is gone from the knowledge base; the store still knows its id.
    const again = await say(`/review approve:${stimson}`);
    expect(again.errorCode).toBe('ALREADY_REVIEWED');
    expect(renderPlainText(again)).toBe(`⚠ “${stimson}” was already rejected by ada on 2021-03-06.\n\nA fact is reviewed once. Type /review to see what is left.`);
  });

  it('GIVEN a console user without --admin THEN /review is refused with the way to run it', async () => {
    expect(await text('/review', member)).toBe('⚠ Only admins can use /review.\n\nRun it again with --admin if you operate this bot.');
    expect(await text(`/review approve:${idOf('Sung Kim')}`, member)).toBe('⚠ Only admins can use /review.\n\nRun it again with --admin if you operate this bot.');
    expect(services.knowledge.entity(idOf('Sung Kim'))?.status).toBe('extracted');
  });

  it('GIVEN the store cannot answer THEN other commands still answer (the warning logged) and /review apologises without deciding anything', async () => {
    const logs = new LogCapture('warn');
    services = { ...services, log: logs.logger };
    const down = new StoreError('Could not read knowledge-revisions in the sqlite store: database is locked');
    vi.spyOn(ReviewStore.prototype, 'sync').mockRejectedValueOnce(down);
    expect((await say('/whois Sung Kim', member)).title).toBe('Sung Kim');
    expect(logs.lines).toEqual([expect.objectContaining({ msg: 'review decisions could not be read; answering with those known', command: '/whois' })]);

    vi.spyOn(ReviewStore.prototype, 'get').mockRejectedValueOnce(down);
    const reply = await say(`/review approve:${idOf('Sung Kim')}`);
    expect(reply).toMatchObject({ errorCode: 'INTERNAL', title: 'Sorry — something went wrong while answering /review.' });
    expect(services.knowledge.entity(idOf('Sung Kim'))?.status).toBe('extracted');
  });
});
