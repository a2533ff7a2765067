import type { RespondArguments, RespondFn } from '@slack/bolt';
import type { Services } from '../../services.ts';
import type { Logger } from '../../log.ts';
import { dispatchLine, type Caller } from '../../router/dispatch.ts';
import type { Reply } from '../../reply/reply.ts';
import type { AdminCheck } from './admin.ts';
import type { DeliveryGuard } from './delivery-guard.ts';
import { unescapeSlackText } from './escape.ts';
import { uploadFailureText, type UploadPicture } from './picture-upload.ts';
import { EXPIRED_BUTTON, markStalePage, parseActionValue, parsePageValue } from './paging.ts';
import { renderSlackMessage, withAsker } from './render.ts';

/**
 * What happens after Bolt has acknowledged a slash command or a button
 * click: claim the delivery (retries are answered once), work out who is
 * asking, run the line through the router, answer through response_url.
 * Nothing here knows whether the request came over HTTP or Socket Mode.
 */
export interface SlackDeps {
  services: Services;
  admins: AdminCheck;
  deliveries: DeliveryGuard;
  log: Logger;
  /** Shares a reply's picture in the channel (absent: pictures are not sent). */
  uploadPicture?: UploadPicture;
}

export interface SlackRequester {
  userId: string;
  userName?: string;
  channelId?: string;
  teamId?: string;
}

/** The name of the umbrella command, for workspaces where a command name is taken. */
export const UMBRELLA_COMMAND = 'armistice';

/** `/timeline` + `2018 summit` → `/timeline 2018 summit`. */
export function slashLine(command: string, text: string): string {
  return `/${command} ${unescapeSlackText(text)}`.trim();
}

/** `/armistice timeline 2018` → `/timeline 2018`; a bare `/armistice` is `/help`. */
export function umbrellaLine(text: string): string {
  const rest = unescapeSlackText(text).trim().replace(/^\/+/, '');
  return rest === '' ? '/help' : `/${rest}`;
}

export async function answerSlashCommand(
  deps: SlackDeps,
  line: string,
  requester: SlackRequester,
  deliveryKey: string | undefined,
  respond: RespondFn,
): Promise<void> {
  if (!(await deps.deliveries.claim(deliveryKey))) {
    deps.log.info({ deliveryKey }, 'slack: repeated delivery of a command ignored');
    return;
  }
  const reply = await answer(deps, line, requester);
  await send(deps, respond, responseTo(reply, requester, line), line);
  if (!reply.image) return;
  // Slack has no files only one person sees: a private answer's picture is shared only in a direct message with the bot.
  if (!reply.ephemeral || isDirectMessage(requester.channelId)) await sharePicture(deps, reply, requester, respond, line);
  else await send(deps, respond, { text: PRIVATE_PICTURE_TEXT, response_type: 'ephemeral', replace_original: false }, line);
}

/** Slack's ids of direct-message conversations start with D. */
const isDirectMessage = (channelId: string | undefined) => channelId?.startsWith('D') === true;

const PRIVATE_PICTURE_TEXT =
  'This answer is only for you, and Slack cannot show a picture to one person in a channel, so none was shared here. Ask again in a direct message with the bot to get the picture; the text above has the same facts.';

/** After the text answer, its picture; when Slack refuses it the asker alone is told why. */
async function sharePicture(deps: SlackDeps, reply: Reply, requester: SlackRequester, respond: RespondFn, line: string): Promise<void> {
  if (!deps.uploadPicture || !reply.image) return;
  try {
    if (!requester.channelId) throw Object.assign(new Error('no channel to share the picture in'), { data: { error: 'channel_not_found' } });
    await deps.uploadPicture(reply.image, requester.channelId);
  } catch (error) {
    deps.log.warn({ err: error, line: line.slice(0, 200), channel: requester.channelId }, 'slack: could not share a picture');
    await send(deps, respond, { text: uploadFailureText(error), response_type: 'ephemeral', replace_original: false }, line);
  }
}

/**
 * User errors and anything a command marks private go to the asker alone;
 * the rest is posted in the channel with who asked what, since Slack does
 * not show the others the slash command that produced it.
 */
function responseTo(reply: Reply, requester: SlackRequester, line: string): RespondArguments {
  const message = renderSlackMessage(reply);
  if (reply.ephemeral) return { ...message, response_type: 'ephemeral' };
  return { ...withAsker(message, requester.userName ?? requester.userId, line), response_type: 'in_channel' };
}

/**
 * A button: a page (`/news peace page:3`) or an action on an item
 * (`/review approve:<id>`). Re-run the line it carries, with the clicker's
 * permissions, and replace the message with the answer. Errors go to the
 * clicker alone and leave the message as it was.
 */
export async function answerButton(
  deps: SlackDeps,
  kind: 'page' | 'action',
  value: string | undefined,
  requester: SlackRequester,
  deliveryKey: string | undefined,
  respond: RespondFn,
): Promise<void> {
  if (!(await deps.deliveries.claim(deliveryKey))) return;
  const text = value === undefined ? undefined : unescapeSlackText(value);
  const target = kind === 'page' ? parsePageValue(text) : parseActionValue(text);
  if (!target) {
    await send(deps, respond, { ...renderSlackMessage(EXPIRED_BUTTON), response_type: 'ephemeral', replace_original: false }, 'button');
    return;
  }
  const reply = await answer(deps, target.line, requester);
  const marked = target.page === undefined ? reply : markStalePage(reply, target.page);
  const response: RespondArguments = reply.errorCode
    ? { ...renderSlackMessage(marked), response_type: 'ephemeral', replace_original: false }
    : { ...responseTo(marked, requester, target.line), replace_original: true };
  await send(deps, respond, response, target.line);
}

async function answer(deps: SlackDeps, line: string, requester: SlackRequester): Promise<Reply> {
  try {
    const caller: Caller = {
      user: { id: requester.userId, name: requester.userName, isAdmin: await deps.admins.isAdmin(requester.userId) },
      // The bare Slack id: channelAddress() (src/schedule) prefixes the platform.
      channel: { id: requester.channelId ?? 'unknown', platform: 'slack', guildId: requester.teamId },
    };
    return await dispatchLine(deps.services, line, caller);
  } catch (error) {
    // dispatchLine answers command failures itself; this catches the rest.
    deps.log.error({ err: error, line: line.slice(0, 200), user: requester.userId }, 'slack: answering failed');
    return APOLOGY;
  }
}

/**
 * Bolt's respond() has no timeout of its own; a response_url that never
 * answers must not hold one of the few answering slots (see app.ts).
 */
export const RESPOND_TIMEOUT_MS = 10_000;

async function send(deps: SlackDeps, respond: RespondFn, response: RespondArguments, line: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`response_url did not answer within ${RESPOND_TIMEOUT_MS} ms`)), RESPOND_TIMEOUT_MS);
  });
  try {
    await Promise.race([respond(response), timeout]);
  } catch (error) {
    // The response_url may have expired (30 minutes, five uses) or Slack is unreachable.
    deps.log.error({ err: error, line: line.slice(0, 200) }, 'slack: could not deliver the answer');
  } finally {
    clearTimeout(timer);
  }
}

const APOLOGY: Reply = {
  title: 'Sorry — something went wrong while answering.',
  text: ['It has been logged. Please try again in a moment.'],
  ephemeral: true,
  errorCode: 'INTERNAL',
};
