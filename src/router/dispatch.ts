import type { Reply } from '../reply/reply.ts';
import { userError } from '../reply/reply.ts';
import type { Services } from '../services.ts';
import { recordCommand } from '../ops/metrics.ts';
import type { CommandContext } from './command.ts';
import { parseLine, parseStructured, type ParseResult, type StructuredInvocation } from './parse.ts';

/** Who is asking, and where. Platforms fill it in (admin status included). */
export interface Caller {
  user: CommandContext['user'];
  channel: CommandContext['channel'];
}

/** Answers one command line (console, Slack free text, `armistice ask`). */
export function dispatchLine(services: Services, line: string, caller: Caller, now = new Date()): Promise<Reply> {
  return run(services, parseLine(services.commands, line), caller, now, line);
}

/** Answers a command whose options the platform already split (Discord). */
export function dispatchStructured(
  services: Services,
  invocation: StructuredInvocation,
  caller: Caller,
  now = new Date(),
): Promise<Reply> {
  return run(services, parseStructured(services.commands, invocation), caller, now, `/${invocation.name}`);
}

async function run(services: Services, parsed: ParseResult, caller: Caller, now: Date, line: string): Promise<Reply> {
  if (!parsed.ok) return userError(parsed.code, parsed.message, parsed.hints);
  const { command, parent, args, positional } = parsed;
  const name = parent ? `/${parent.name} ${command.name}` : `/${command.name}`;
  if ((command.admin || parent?.admin) && !caller.user.isAdmin) {
    recordCommand(name, 'refused');
    return userError('NOT_ADMIN', `Only admins can use ${name}.`, [
      caller.channel.platform === 'discord'
        ? 'Ask someone with the Manage Server permission to run it.'
        : caller.channel.platform === 'slack'
          ? 'Ask a workspace admin or owner (or a user listed in ADMIN_USER_IDS) to run it.'
          : 'Run it again with --admin if you operate this bot.',
    ]);
  }
  if (!command.run) return userError('UNKNOWN_SUBCOMMAND', `${name} needs a subcommand.`, []);
  const ctx: CommandContext = { services, user: caller.user, channel: caller.channel, positional, now };
  const started = performance.now();
  // Review decisions made on another instance show in this answer (one small read; see review-store.ts).
  // A store that cannot answer leaves the decisions known so far: the other commands need no store.
  await services.reviews?.sync().catch((error: unknown) => services.log.warn({ err: error, command: name }, 'review decisions could not be read; answering with those known'));
  try {
    const reply = await command.run(ctx, args);
    recordCommand(name, reply.errorCode ? 'user_error' : 'ok', (performance.now() - started) / 1000);
    services.log.debug({ command: name, ms: Math.round(performance.now() - started) }, 'command answered');
    return reply;
  } catch (error) {
    recordCommand(name, 'failed', (performance.now() - started) / 1000);
    services.log.error({ err: error, command: name, line: line.slice(0, 200), user: caller.user.id, channel: caller.channel.id }, 'command failed');
    return {
      title: `Sorry — something went wrong while answering ${name}.`,
      text: ['It has been logged. Please try again in a moment.'],
      ephemeral: true,
      errorCode: 'INTERNAL',
    };
  }
}

/** Completions for an option marked `autocomplete`; never throws. */
export async function autocomplete(
  services: Services,
  invocation: { name: string; subcommand?: string; option: string; partial: string },
  caller: Caller,
  now = new Date(),
): Promise<string[]> {
  const top = services.commands.find((c) => c.name === invocation.name);
  const command = invocation.subcommand ? top?.subcommands?.find((s) => s.name === invocation.subcommand) : top;
  if (!command?.autocomplete) return [];
  const ctx: CommandContext = { services, user: caller.user, channel: caller.channel, positional: new Set(), now };
  try {
    return (await command.autocomplete(ctx, invocation.option, invocation.partial)).slice(0, 25);
  } catch (error) {
    services.log.error({ err: error, command: invocation.name }, 'autocomplete failed');
    return [];
  }
}
