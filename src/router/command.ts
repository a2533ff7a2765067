import type { Reply } from '../reply/reply.ts';
import type { PartialDate } from '../core/dates.ts';
import type { Services } from '../services.ts';

/**
 * A command is declared once, in commands/<name>.ts. From this declaration
 * come the Discord registration JSON, the parsing of Slack free text and
 * console `name:value` syntax, the typed args, and /help.
 */
export type OptionType = 'string' | 'integer' | 'boolean' | 'date' | 'choice';

export interface OptionSpec {
  name: string;
  type: OptionType;
  description: string;
  required?: boolean;
  /** For `choice`: the allowed values. */
  choices?: readonly string[];
  /** For `integer`: bounds. */
  min?: number;
  max?: number;
  /** For `string`: the longest accepted value. */
  maxLength?: number;
  /** Offer completions (Discord autocomplete) through the command's `autocomplete`. */
  autocomplete?: boolean;
  /**
   * In free text (`/news peace treaty`), this option takes all the words no
   * other option claimed. At most one per command.
   */
  rest?: boolean;
  /** An example value, shown in usage messages. */
  example?: string;
  /** Korean localisation for Discord. */
  ko?: { name: string; description: string };
}

export type OptionValue = string | number | boolean | PartialDate;
export type Args = Record<string, OptionValue | undefined>;

export interface Platform {
  kind: 'console' | 'discord' | 'slack' | 'cli';
}

export interface CommandContext {
  services: Services;
  user: { id: string; name?: string; isAdmin: boolean };
  /** Where the command was issued: `console`, `discord:<channelId>`, `slack:<channelId>`. */
  channel: { id: string; platform: Platform['kind']; guildId?: string };
  /** Options the user gave positionally in free text (e.g. `/timeline 2018`). */
  positional: ReadonlySet<string>;
  now: Date;
}

export interface CommandSpec {
  name: string;
  description: string;
  ko?: { name: string; description: string };
  options?: readonly OptionSpec[];
  /** Leaf subcommands (`/feeds add ...`). A command has options or subcommands. */
  subcommands?: readonly CommandSpec[];
  /** Only server/workspace admins may run it. */
  admin?: boolean;
  /** Examples shown by /help and in usage errors, without the leading slash. */
  examples?: readonly string[];
  run?(ctx: CommandContext, args: Args): Promise<Reply> | Reply;
  /** Completions for an option marked `autocomplete`. */
  autocomplete?(ctx: CommandContext, option: string, partial: string): Promise<string[]> | string[];
}

export function defineCommand<T extends CommandSpec>(spec: T): T {
  return spec;
}
