import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Services } from '../../src/services.ts';
import { ENVOY_ARTICLE, learnFrom } from '../support/review-facts.ts';
import { blockActionsPayload, formBody, postSigned, slashCommandPayload, type ResponseUrlPost, type SlackDouble } from '../support/slack-double.ts';
import { SECRET, startSlackE2e, type SlackE2e } from '../support/slack-e2e.ts';

/**
 * /review through the real Bolt in HTTP mode against the Slack double:
 * block_actions clicks on the Approve and Reject buttons, by an admin and
 * by a member, and what /whois and /timeline answer afterwards.
 */

let e2e: SlackE2e;
let double: SlackDouble;
let services: Services;
let sequence = 0;

beforeEach(async () => {
  e2e = await startSlackE2e({ setup: async (base) => void (await learnFrom(base)) });
  ({ double, services } = e2e);
});

afterEach(() => e2e?.stop());

async function slash(command: string, text: string, user_id: string, user_name: string): Promise<ResponseUrlPost> {
  const id = `r${++sequence}`;
  const response = await postSigned(e2e.eventsUrl, SECRET, formBody(slashCommandPayload({ command, text, response_url: double.responseUrl(id), user_id, user_name })));
  expect(response.status).toBe(200);
  return double.waitForResponse(id);
}

async function click(button: SlackButton, userId: string): Promise<ResponseUrlPost> {
  const id = `r${++sequence}`;
  const payload = blockActionsPayload({ actionId: button.action_id, value: button.value, responseUrl: double.responseUrl(id), userId });
  const response = await postSigned(e2e.eventsUrl, SECRET, formBody({ payload: JSON.stringify(payload) }));
  expect(response.status).toBe(200);
  return double.waitForResponse(id);
}

interface SlackButton {
  action_id: string;
  value: string;
  style?: string;
  text: { text: string };
}
type Block = { type: string; text?: { text: string }; elements?: SlackButton[] };

const buttonsOf = (answer: ResponseUrlPost) => (answer.body.blocks as Block[]).filter((b) => b.type === 'actions' && b.elements?.[0]?.action_id.startsWith('armistice_do_')).flatMap((b) => b.elements!);
const headerOf = (answer: ResponseUrlPost) => (answer.body.blocks as Block[])[0]!.text!.text;
const idOf = (name: string) => {
  const found = services.knowledge.lookup(name);
  if (found.kind !== 'found') throw new Error(`the extractor did not find ${name}`);
  return found.entity.id;
};
const thursdayEventId = () => services.knowledge.events().find((e) => e.phrase === 'on Thursday' && e.sources[0]?.article === ENVOY_ARTICLE.id)!.id;

describe('Slack over HTTP: /review', () => {
  it('GIVEN facts extracted from a feed article WHEN an admin clicks Approve on one and Reject on another THEN /timeline and /whois show it', async () => {
    const list = await slash('/review', '', 'U0ADMIN', 'admin');
    expect(list.body.response_type).toBe('ephemeral');
    expect(headerOf(list)).toBe('Unreviewed facts (5)');
    const buttons = buttonsOf(list);
    expect(buttons).toHaveLength(8); // the first page: four facts of the five
    const stimson = idOf('Stimson Center');
    expect(buttons.filter((b) => b.value.endsWith(`:${stimson}`)).map((b) => [b.text.text, b.style, b.value])).toEqual([
      ['Approve 1', 'primary', `/review approve:${stimson}`],
      ['Reject 1', 'danger', `/review reject:${stimson}`],
    ]);

    // A restart between the list and the clicks: the buttons carry what they do.
    await e2e.restart();

    const approved = await click(buttons.find((b) => b.value === `/review approve:${thursdayEventId()}`)!, 'U0ADMIN');
    expect(approved.body).toMatchObject({ replace_original: true, response_type: 'ephemeral' });
    expect(headerOf(approved)).toBe('Unreviewed facts (4)');
    expect(JSON.stringify(approved.body.blocks)).toContain('Approved the event');

    const rejected = await click(buttonsOf(approved).find((b) => b.value === `/review reject:${stimson}`)!, 'U0ADMIN');
    expect(headerOf(rejected)).toBe('Unreviewed facts (3)');
    expect(JSON.stringify(rejected.body.blocks)).toContain('Rejected the organisation “Stimson Center”');

    const timeline = await slash('/timeline', 'from:2021-03 to:2021-03', 'U0PERSON', 'person');
    expect(timeline.body.text).toContain('4 March 2021');
    expect(timeline.body.text).not.toContain('extracted, unreviewed');
    const whois = await slash('/whois', 'Stimson Center', 'U0PERSON', 'person');
    expect(whois.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('I have nobody and nothing called “Stimson Center”') });
  });

  it('GIVEN a member WHEN they run /review or click an Approve button THEN only they see a refusal, the message stays and the fact stays unreviewed', async () => {
    const refused = await slash('/review', '', 'U0PERSON', 'person');
    expect(refused.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/^⚠ Only admins can use \/review\./) });
    const button = { action_id: 'armistice_do_0_0', value: `/review approve:${idOf('Sung Kim')}`, text: { text: 'Approve 1' } };
    const clicked = await click(button, 'U0PERSON');
    expect(clicked.body).toMatchObject({ response_type: 'ephemeral', replace_original: false, text: expect.stringMatching(/^⚠ Only admins can use \/review\./) });
    expect(services.knowledge.entity(idOf('Sung Kim'))?.status).toBe('extracted');
  });

  it('GIVEN a correction typed as free text THEN it applies: /whois shows the new name', async () => {
    const corrected = await slash('/review', `correct:${idOf('Stimson Center')} name:"Stimson Center for Security"`, 'U0ADMIN', 'admin');
    expect(JSON.stringify(corrected.body.blocks)).toContain('Corrected the organisation “Stimson Center”');
    const whois = await slash('/whois', 'Stimson Center for Security', 'U0PERSON', 'person');
    expect(whois.body.text).toContain('Correction: Corrected on review; the extractor had read name “Stimson Center” from the article.');
  });
});
