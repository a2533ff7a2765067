import {
  MessageFlags,
  PermissionFlagsBits,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
  type Interaction,
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
} from 'discord.js';
import type { Services } from '../../services.ts';
import type { Reply } from '../../reply/reply.ts';
import { isUserError, userError } from '../../reply/reply.ts';
import { autocomplete, dispatchLine, dispatchStructured, type Caller } from '../../router/dispatch.ts';
import type { StructuredInvocation } from '../../router/parse.ts';
import { findCommand } from '../../router/parse.ts';
import { parseActionButtonId, parsePageButtonId, parsePictureButtonId, renderReply, type DiscordMessage } from './render.ts';
import { clip } from './escape.ts';

/**
 * Answers interactions: slash commands, autocomplete and paging buttons.
 *
 * Deferral: Discord wants a first response within 3 seconds, and whether
 * an answer is ephemeral is only known once the command has run. So the
 * command starts at once and gets `deferAfterMs` (1.5 s by default) to
 * answer directly — ephemeral for user errors. Past that, the reply is
 * deferred publicly ("thinking…") and edited when the answer comes. If that
 * late answer is a user error, the public placeholder is deleted and the
 * error sent as an ephemeral follow-up, so errors stay private either way.
 */
export interface InteractionOptions {
  deferAfterMs: number;
  /** The time commands see (tests fix it). */
  clock: () => Date;
}

export async function handleInteraction(services: Services, interaction: Interaction, options: InteractionOptions): Promise<void> {
  try {
    if (interaction.isChatInputCommand()) await answerCommand(services, interaction, options);
    else if (interaction.isAutocomplete()) await answerAutocomplete(services, interaction, options);
    else if (interaction.isButton() && parsePictureButtonId(interaction.customId)) await showPicture(services, interaction, options);
    else if (interaction.isButton()) await pressButton(services, interaction, options);
  } catch (error) {
    services.log.error({ err: error, interaction: interaction.id, kind: interaction.type }, 'Discord interaction failed');
    await apologise(interaction);
  }
}

// ---- slash commands ---------------------------------------------------------

async function answerCommand(services: Services, interaction: ChatInputCommandInteraction, options: InteractionOptions): Promise<void> {
  const invocation = invocationOf(interaction);
  const refusal = refuseAdminInDm(services, invocation, interaction);
  const pending = refusal ? Promise.resolve(refusal) : dispatchStructured(services, invocation, callerOf(interaction), options.clock());
  await answerAsNewMessage(interaction, pending, options);
}

/** Sends the answer as a new message: at once when it is ready in time, else after deferring (Discord allows 3 s). */
async function answerAsNewMessage(
  interaction: ChatInputCommandInteraction | ButtonInteraction,
  pending: Promise<Reply>,
  options: InteractionOptions,
): Promise<void> {
  const early = await within(pending, options.deferAfterMs);
  if (early) {
    await sendFresh(interaction, early);
    return;
  }
  await interaction.deferReply();
  await sendDeferred(interaction, await pending);
}

export function invocationOf(interaction: ChatInputCommandInteraction | AutocompleteInteraction): StructuredInvocation {
  const data = interaction.options.data;
  const sub = data.length === 1 && data[0]!.options !== undefined && data[0]!.value === undefined ? data[0] : undefined;
  return {
    name: interaction.commandName,
    ...(sub ? { subcommand: sub.name } : {}),
    options: valuesOf(sub ? (sub.options ?? []) : data),
  };
}

function valuesOf(options: readonly CommandInteractionOption[]): Record<string, string | number | boolean> {
  const values: Record<string, string | number | boolean> = {};
  for (const option of options) if (option.value !== undefined && option.value !== null) values[option.name] = option.value;
  return values;
}

/**
 * Who is asking. Admin means Manage Server in this channel, as Discord
 * computed it for this interaction (the member's permissions travel with
 * it), so the router's check rests on the server's own answer.
 */
export function callerOf(interaction: Interaction): Caller {
  const inGuild = interaction.inGuild();
  return {
    user: {
      id: interaction.user.id,
      name: interaction.user.globalName ?? interaction.user.username,
      isAdmin: inGuild && interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) === true,
    },
    channel: {
      // The raw channel id: the platform is its own field (see src/schedule/channel-address.ts).
      id: interaction.channelId ?? 'unknown',
      platform: 'discord',
      ...(interaction.guildId ? { guildId: interaction.guildId } : {}),
    },
  };
}

/** In a DM there is no server whose admin one could be. */
function refuseAdminInDm(services: Services, invocation: StructuredInvocation, interaction: Interaction): Reply | undefined {
  if (interaction.inGuild()) return undefined;
  const command = findCommand(services.commands, invocation.name);
  const sub = invocation.subcommand && command?.subcommands ? findCommand(command.subcommands, invocation.subcommand) : undefined;
  if (!command?.admin && !sub?.admin) return undefined;
  const name = sub ? `/${command!.name} ${sub.name}` : `/${invocation.name}`;
  return userError('ADMIN_IN_DM', `${name} works only in a server channel, not in direct messages.`, [
    'Run it in a channel of your server; it needs the Manage Server permission.',
  ]);
}

// ---- autocomplete -------------------------------------------------------------

async function answerAutocomplete(services: Services, interaction: AutocompleteInteraction, options: InteractionOptions): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const invocation = invocationOf(interaction);
  const choices = await autocomplete(
    services,
    { name: invocation.name, subcommand: invocation.subcommand, option: focused.name, partial: String(focused.value) },
    callerOf(interaction),
    options.clock(),
  );
  // Discord takes at most 25 choices of at most 100 characters.
  await interaction.respond(choices.slice(0, 25).map((c) => ({ name: clip(c, 100), value: clip(c, 100) })));
}

// ---- "Show as picture" ------------------------------------------------------------

/** The picture comes as a new message under the one with the button, which stays as it is. */
async function showPicture(services: Services, interaction: ButtonInteraction, options: InteractionOptions): Promise<void> {
  const line = parsePictureButtonId(interaction.customId)!;
  await answerAsNewMessage(interaction, dispatchLine(services, line, callerOf(interaction), options.clock()), options);
}

// ---- buttons: paging and item actions ----------------------------------------------

/**
 * A button carries the command line it runs (see render.ts): a page of
 * results, or an action on an item (`/review approve:<id>`). The line runs
 * with the presser's permissions; its answer replaces the message, and a
 * user error goes to the presser alone, leaving the message as it was.
 */
async function pressButton(services: Services, interaction: ButtonInteraction, options: InteractionOptions): Promise<void> {
  const paging = parsePageButtonId(interaction.customId);
  const action = paging ? undefined : parseActionButtonId(interaction.customId);
  if (!paging && !action) {
    await sendFresh(interaction, userError('UNKNOWN_BUTTON', 'This button no longer does anything.', ['Run the command again.']));
    return;
  }
  const line = paging ? `${paging.commandLine} page:${paging.page}` : action!.commandLine;
  const pending = dispatchLine(services, line, callerOf(interaction), options.clock()).then((reply) =>
    paging ? pageOrStale(reply, paging.page, paging.commandLine) : reply,
  );
  const early = await within(pending, options.deferAfterMs);
  if (early && isUserError(early)) {
    await sendFresh(interaction, early);
    return;
  }
  if (early) {
    const [page, ...more] = pageMessages(early);
    await interaction.update(asEdit(page!));
    await sendFollowUps(interaction, more, false);
    return;
  }
  await interaction.deferUpdate();
  const reply = await pending;
  if (isUserError(reply)) {
    await sendFollowUps(interaction, renderReply(reply), true);
    return;
  }
  const [page, ...more] = pageMessages(reply);
  await interaction.editReply(asEdit(page!));
  await sendFollowUps(interaction, more, false);
}

/** The requested page, or an ephemeral note that it is gone (results changed since). */
function pageOrStale(reply: Reply, page: number, commandLine: string): Reply {
  if (isUserError(reply)) return reply;
  if (reply.paging?.page === page) return reply;
  if (!reply.paging && page === 1) return reply;
  return userError('PAGE_GONE', `Page ${page} no longer exists: the results have changed.`, [
    reply.paging ? `There are now ${reply.paging.pages} pages. Run ${commandLine} again.` : `Run ${commandLine} again.`,
  ]);
}

/**
 * A page replaces the message in place, buttons moved onto it. Pages are
 * short; should one need the plain-text fallback in several messages, the
 * rest follow as messages of their own.
 */
function pageMessages(reply: Reply): DiscordMessage[] {
  const [first, ...rest] = renderReply(reply);
  const buttons = rest.at(-1)?.components ?? first!.components ?? [];
  return [{ ...first!, components: buttons }, ...rest.map(({ components: _moved, ...message }) => message)];
}

// ---- sending ----------------------------------------------------------------------

type Answerable = ChatInputCommandInteraction | ButtonInteraction;

async function sendFresh(interaction: Answerable, reply: Reply): Promise<void> {
  const [first, ...rest] = renderReply(reply);
  await interaction.reply(asReply(first!, reply.ephemeral === true));
  await sendFollowUps(interaction, rest, reply.ephemeral === true);
}

async function sendDeferred(interaction: Answerable, reply: Reply): Promise<void> {
  const messages = renderReply(reply);
  if (reply.ephemeral) {
    // The public "thinking…" placeholder cannot become private: replace it.
    await interaction.deleteReply();
    await sendFollowUps(interaction, messages, true);
    return;
  }
  const [first, ...rest] = messages;
  await interaction.editReply(asEdit(first!));
  await sendFollowUps(interaction, rest, false);
}

async function sendFollowUps(interaction: Answerable, messages: readonly DiscordMessage[], ephemeral: boolean): Promise<void> {
  for (const message of messages) await interaction.followUp(asReply(message, ephemeral));
}

function asReply(message: DiscordMessage, ephemeral: boolean): InteractionReplyOptions {
  return {
    ...(asEdit(message) as InteractionReplyOptions),
    ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
  };
}

function asEdit(message: DiscordMessage): InteractionEditReplyOptions & { flags?: never } {
  return {
    ...(message.content !== undefined ? { content: message.content } : {}),
    ...(message.embeds ? { embeds: message.embeds } : {}),
    ...(message.components ? { components: message.components as never } : {}),
    ...(message.files ? { files: message.files.map((f) => ({ attachment: Buffer.from(f.data), name: f.name, description: f.description })) } : {}),
    allowedMentions: message.allowed_mentions,
  };
}

/** A short apology, wherever the conversation got to. Never throws. */
async function apologise(interaction: Interaction): Promise<void> {
  if (!interaction.isRepliable()) return;
  const sorry = asReply(
    renderReply({ title: 'Sorry — something went wrong.', text: ['It has been logged. Please try again in a moment.'], ephemeral: true, errorCode: 'INTERNAL' })[0]!,
    true,
  );
  try {
    if (interaction.deferred || interaction.replied) await interaction.followUp(sorry);
    else await interaction.reply(sorry);
  } catch {
    // The interaction may have expired; the error is already logged.
  }
}

/** The promise's value if it settles within `ms`, else undefined (it keeps running). */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
