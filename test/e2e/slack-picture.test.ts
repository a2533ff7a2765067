import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../src/services.ts';
import { decodePng } from '../support/png-pixels.ts';
import { mixedMonth } from '../support/feed-history-month.ts';
import { blockActionsPayload, formBody, postSigned, slashCommandPayload, type ResponseUrlPost, type SlackDouble } from '../support/slack-double.ts';
import { SECRET, startSlackE2e, type SlackE2e } from '../support/slack-e2e.ts';

/**
 * /timeline picture:true through the real Bolt (HTTP mode): the text answer
 * goes to response_url, the PNG is uploaded with the client's filesUploadV2
 * into the channel the command came from.
 */

let e2e: SlackE2e;
let double: SlackDouble;
let services: Services;
let eventsUrl: string;
let sequence = 0;

beforeAll(async () => {
  e2e = await startSlackE2e();
  ({ double, services, eventsUrl } = e2e);
});

afterAll(() => e2e?.stop());

async function slash(text: string, channelId: string): Promise<{ id: string; first: ResponseUrlPost }> {
  const id = `p${++sequence}`;
  const response = await postSigned(eventsUrl, SECRET, formBody(slashCommandPayload({ command: '/timeline', text, channel_id: channelId, response_url: double.responseUrl(id) })));
  expect(response.status).toBe(200);
  return { id, first: await double.waitForResponse(id, 15_000) };
}

describe('Slack: /timeline picture:true', () => {
  it('GIVEN picture:true WHEN asked THEN the text timeline is posted and the PNG is uploaded into the channel with its alt text', async () => {
    const { first } = await slash('2018 picture:true', 'C0PICTURES');
    expect(first.body.response_type).toBe('in_channel');
    expect(String(first.body.text)).toContain('Timeline of 2018');
    const upload = await double.waitForSharedUpload('C0PICTURES', 15_000);
    expect(upload.shared).toEqual({ channelId: 'C0PICTURES', title: 'timeline-from-2018-to-2018' });
    expect(upload.filename).toBe('timeline-from-2018-to-2018.png');
    expect(upload.altText).toMatch(/^Picture: Timeline of 2018: 9 events, 8 Mar 2018 to 19 Sep 2018/);
    const png = decodePng(upload.bytes!);
    expect(png.width).toBe(1200);
    expect(png.pixel(0, 0)).toEqual([0xfa, 0xfa, 0xf7]);
    const [request] = double.callsTo('files.getUploadURLExternal');
    expect(request!.args).toMatchObject({ filename: 'timeline-from-2018-to-2018.png', length: String(upload.bytes!.length) });
  });

  it('GIVEN a channel the bot is not in WHEN a picture is asked for THEN the text still arrives and the asker alone is told how to fix it', async () => {
    double.setChannel('C0OUTSIDE', { kind: 'error', error: 'not_in_channel' });
    const { id, first } = await slash('2019 picture:true', 'C0OUTSIDE');
    expect(String(first.body.text)).toContain('Timeline of 2019');
    const second = await double.waitForNthResponse(id, 2, 15_000);
    expect(second.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('invite the bot to this channel') });
  });

  it('GIVEN picture:true for an empty period THEN a clear message and nothing uploaded', async () => {
    const before = double.callsTo('files.getUploadURLExternal').length;
    const { first } = await slash('1960 picture:true', 'C0PICTURES');
    expect(String(first.body.text)).toContain('No picture was drawn');
    expect(double.callsTo('files.getUploadURLExternal').length).toBe(before);
  });

  it('GIVEN a timeline answer WHEN "Show as picture" is clicked THEN the picture is uploaded into that channel after a text answer', async () => {
    const { first } = await slash('about:Bolton', 'C0BUTTON');
    const actions = (first.body.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>).find((b) => b.type === 'actions')!;
    expect(actions.elements![0]).toMatchObject({ action_id: 'armistice_picture', value: '/timeline about:Bolton picture:true' });
    const id = `click${++sequence}`;
    const payload = blockActionsPayload({ actionId: 'armistice_picture', value: actions.elements![0]!.value, responseUrl: double.responseUrl(id), channelId: 'C0BUTTON' });
    expect((await postSigned(eventsUrl, SECRET, formBody({ payload: JSON.stringify(payload) }))).status).toBe(200);
    const text = await double.waitForResponse(id, 15_000);
    expect(text.body).toMatchObject({ response_type: 'in_channel', text: expect.stringContaining('Timeline about “Bolton”') });
    const upload = await double.waitForSharedUpload('C0BUTTON', 15_000);
    expect(upload.filename).toBe('timeline-about-Bolton.png');
  });

  it('GIVEN a forged picture button naming another command THEN nothing runs and the clicker alone is told the button no longer works', async () => {
    const id = `click${++sequence}`;
    const payload = blockActionsPayload({ actionId: 'armistice_picture', value: '/feeds remove feed:x', responseUrl: double.responseUrl(id), channelId: 'C0BUTTON' });
    await postSigned(eventsUrl, SECRET, formBody({ payload: JSON.stringify(payload) }));
    const answer = await double.waitForResponse(id, 15_000);
    expect(answer.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('This button no longer works.') });
  });
});

describe('Slack: /feeds status picture:true (an answer only the admin sees)', () => {
  async function feedStatus(channelId: string): Promise<string> {
    await services.feeds.registry.save({
      id: 'ab12cd34ef', url: 'https://wire.example/rss', name: 'Peninsula Wire', about: [], addedBy: 'U0ADMIN', addedInChannel: 'slack:C0FEEDS',
      addedAt: '2026-06-01T00:00:00Z', enabled: true, consecutiveFailures: 0, history: mixedMonth(new Date()),
    });
    const id = `f${++sequence}`;
    const payload = slashCommandPayload({ command: '/feeds', text: 'status feed:"Peninsula Wire" picture:true', channel_id: channelId, response_url: double.responseUrl(id) });
    expect((await postSigned(eventsUrl, SECRET, formBody({ ...payload, user_id: 'U0ADMIN', user_name: 'admin' }))).status).toBe(200);
    return id;
  }

  it('GIVEN it is asked in a channel THEN the status comes privately and the admin is told why no picture was shared there; nothing is uploaded', async () => {
    const before = double.callsTo('files.getUploadURLExternal').length;
    const id = await feedStatus('C0FEEDS');
    const first = await double.waitForResponse(id, 15_000);
    expect(first.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('Peninsula Wire') });
    const second = await double.waitForNthResponse(id, 2, 15_000);
    expect(second.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('Ask again in a direct message with the bot to get the picture') });
    expect(double.callsTo('files.getUploadURLExternal').length).toBe(before);
  });

  it('GIVEN it is asked in a direct message with the bot THEN the chart is uploaded there', async () => {
    await feedStatus('D0ADMINDM');
    const upload = await double.waitForSharedUpload('D0ADMINDM', 15_000);
    expect(upload.filename).toBe('feed-ab12cd34ef-30-days.png');
    expect(upload.altText).toMatch(/^Picture: health of feed “Peninsula Wire”, last 30 days \(UTC\)/);
    expect(decodePng(upload.bytes!).width).toBe(720);
  });
});
