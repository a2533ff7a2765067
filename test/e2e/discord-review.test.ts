import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PERMISSIONS, type DiscordDouble, type SentInteraction } from '../support/discord-double.ts';
import { startDiscordE2e, type DiscordE2e } from '../support/discord-e2e.ts';
import { ENVOY_ARTICLE, learnFrom } from '../support/review-facts.ts';
import type { Services } from '../../src/services.ts';
import { escapeMarkdown as md } from '../../src/platform/discord/escape.ts';

/**
 * /review through the real discord.js against the Discord double: an admin
 * lists the unreviewed facts, presses Approve on one and Reject on another
 * (after a restart of the bot: the buttons carry their command lines), and
 * /timeline and /whois answer differently at once.
 */

const EPHEMERAL = 64;
const ADMIN = { id: '900000000000000030', username: 'admin', permissions: PERMISSIONS.admin };
const MEMBER = { id: '900000000000000031', username: 'member', permissions: PERMISSIONS.member };

let e2e: DiscordE2e;
let double: DiscordDouble;
let services: Services;

beforeEach(async () => {
  e2e = await startDiscordE2e({ setup: async (base) => void (await learnFrom(base)), connect: { deferAfterMs: 1000 } });
  ({ double, services } = e2e);
});

afterEach(() => e2e?.stop());

async function answerOf(sent: SentInteraction) {
  return (await double.waitForCallback(sent)).body;
}

type Button = { custom_id: string; label: string; style: number };
const buttonsOf = (data: { components?: Array<{ components: Button[] }> }) => (data.components ?? []).map((row) => row.components.map((b) => [b.label, b.style, b.custom_id]));

const idOf = (name: string) => {
  const found = services.knowledge.lookup(name);
  if (found.kind !== 'found') throw new Error(`the extractor did not find ${name}`);
  return found.entity.id;
};
const thursdayEventId = () => services.knowledge.events().find((e) => e.phrase === 'on Thursday' && e.sources[0]?.article === ENVOY_ARTICLE.id)!.id;

describe('Discord: /review', () => {
  it('GIVEN facts extracted from a feed article WHEN an admin approves one and rejects another with the buttons THEN /timeline and /whois show it', async () => {
    const list = await answerOf(double.chatInput({ name: 'review', user: ADMIN }));
    expect(list.type).toBe(4);
    expect(list.data.flags).toBe(EPHEMERAL);
    const [embed] = list.data.embeds;
    expect(embed.title).toBe(md('Unreviewed facts (5)'));
    expect(embed.description).toContain('Organisation: Stimson Center');
    expect(embed.description).toContain('Person: Sung Kim');
    // One row per fact: Approve green, Reject red, each carrying its command line.
    const rows = buttonsOf(list.data);
    expect(rows).toHaveLength(5); // the first page: four facts of the five, and the row that turns the page
    expect(rows).toContainEqual([
      ['Approve 1', 3, `do:/review approve:${idOf('Stimson Center')}`],
      ['Reject 1', 4, `do:/review reject:${idOf('Stimson Center')}`],
    ]);
    const approveThursday = rows.flat().find(([, , id]) => id === `do:/review approve:${thursdayEventId()}`);
    expect(approveThursday).toBeDefined();

    // The bot restarts: the buttons still work, nothing about them was kept in memory.
    await e2e.restart();

    const approved = await answerOf(double.button(String(approveThursday![2]), { embeds: list.data.embeds, components: list.data.components }, ADMIN));
    expect(approved.type).toBe(7);
    expect(approved.data.embeds[0].title).toBe(md('Unreviewed facts (4)'));
    expect(approved.data.embeds[0].description).toContain('Approved the event');
    expect(buttonsOf(approved.data).flat().map(([, , id]) => id)).not.toContain(approveThursday![2]);

    const rejectStimson = `do:/review reject:${idOf('Stimson Center')}`;
    const rejected = await answerOf(double.button(rejectStimson, { embeds: approved.data.embeds, components: approved.data.components }, ADMIN));
    expect(rejected.type).toBe(7);
    expect(rejected.data.embeds[0].title).toBe(md('Unreviewed facts (3)'));
    expect(rejected.data.embeds[0].description).toContain('Rejected the organisation “Stimson Center”: it is gone');

    const timeline = await answerOf(double.chatInput({ name: 'timeline', options: { from: '2021-03', to: '2021-03' }, user: MEMBER }));
    const march = timeline.data.embeds[0].description as string;
    expect(march).toContain('4 March 2021');
    expect(march).not.toContain('extracted, unreviewed');

    const whois = await answerOf(double.chatInput({ name: 'whois', options: { name: 'Stimson Center' }, user: MEMBER }));
    expect(whois.data.flags).toBe(EPHEMERAL);
    expect(whois.data.embeds[0].title).toBe('I have nobody and nothing called “Stimson Center” in the articles.');
    // The fact not reviewed yet keeps its mark.
    const sungKim = await answerOf(double.chatInput({ name: 'whois', options: { name: 'Sung Kim' }, user: MEMBER }));
    expect(sungKim.data.embeds[0].description).toContain('extracted, unreviewed');
  });

  it('GIVEN an admin WHEN they correct a fact with the command options THEN /whois shows the corrected role and what the extractor read', async () => {
    const corrected = await answerOf(double.chatInput({ name: 'review', options: { correct: idOf('Sung Kim'), role: 'US Special Representative for North Korea' }, user: ADMIN }));
    expect(corrected.data.flags).toBe(EPHEMERAL);
    expect(corrected.data.embeds[0].description).toContain('Corrected the person “Sung Kim”');
    const whois = await answerOf(double.chatInput({ name: 'whois', options: { name: 'Sung Kim' }, user: MEMBER }));
    expect(whois.data.embeds[0].fields).toContainEqual({ name: 'Roles', value: 'US Special Representative for North Korea' });
    expect(whois.data.embeds[0].description).toContain('Correction: Corrected on review; the extractor had read role “US special envoy” from the article.');
    expect(whois.data.embeds[0].description).not.toContain('extracted, unreviewed');
  });

  it('GIVEN a bad date in a correction, or a fact already reviewed THEN the admin alone gets a clear error and nothing changes', async () => {
    const badDate = await answerOf(double.chatInput({ name: 'review', options: { correct: thursdayEventId(), date: '2021-02-30' }, user: ADMIN }));
    expect(badDate.data.flags).toBe(EPHEMERAL);
    expect(badDate.data.embeds[0].title).toBe(md('The option date must be a year, a year-month or a date (2018, 2018-04, 2018-04-27), not “2021-02-30”.'));
    await answerOf(double.chatInput({ name: 'review', options: { approve: idOf('Sung Kim') }, user: ADMIN }));
    const again = await answerOf(double.chatInput({ name: 'review', options: { reject: idOf('Sung Kim') }, user: ADMIN }));
    expect(again.data.flags).toBe(EPHEMERAL);
    const today = new Date().toISOString().slice(0, 10);
    expect(again.data.embeds[0].title).toBe(md(`“Sung Kim” (${idOf('Sung Kim')}) was already approved by admin on ${today}.`));
    expect(services.knowledge.lookup('Sung Kim').kind).toBe('found');
  });

  it('GIVEN a member WHEN they run /review or press an Approve button THEN they are refused and the fact stays unreviewed', async () => {
    const refused = await answerOf(double.chatInput({ name: 'review', user: MEMBER }));
    expect(refused.data.flags).toBe(EPHEMERAL);
    expect(refused.data.embeds[0].title).toBe('Only admins can use /review.');
    const pressed = await answerOf(double.button(`do:/review approve:${idOf('Sung Kim')}`, {}, MEMBER));
    expect(pressed.type).toBe(4);
    expect(pressed.data.flags).toBe(EPHEMERAL);
    expect(pressed.data.embeds[0].title).toBe('Only admins can use /review.');
    expect(services.knowledge.entity(idOf('Sung Kim'))?.status).toBe('extracted');
  });
});
