import { parseArgs } from 'node:util';
import { DiscordAPIError, HTTPError, REST, Routes } from 'discord.js';
import type { CommandSpec, OptionSpec } from '../../router/command.ts';
import { readConfig, ConfigError, type Config } from '../../config.ts';
import { allCommands } from '../../../commands/index.ts';
import { clip } from './escape.ts';

/**
 * Slash-command registration from the single command declaration. Deploying
 * fetches what is registered, compares it (normalised: Discord adds ids,
 * versions and defaults) and writes only when something changed, so a
 * deploy on every start costs one GET.
 */

/** Discord's option types. */
const OPTION_TYPE = { subcommand: 1, string: 3, integer: 4, boolean: 5 } as const;
/** The Manage Server permission bit, as Discord wants it: a decimal string. */
export const MANAGE_GUILD = '32';
const DESCRIPTION_MAX = 100;

export interface CommandOptionJSON {
  type: number;
  name: string;
  description: string;
  required?: boolean;
  choices?: Array<{ name: string; value: string }>;
  min_value?: number;
  max_value?: number;
  max_length?: number;
  autocomplete?: boolean;
  options?: CommandOptionJSON[];
  name_localizations?: Record<string, string>;
  description_localizations?: Record<string, string>;
}

export interface CommandJSON {
  name: string;
  description: string;
  type: 1;
  options?: CommandOptionJSON[];
  default_member_permissions?: string;
  dm_permission?: boolean;
  name_localizations?: Record<string, string>;
  description_localizations?: Record<string, string>;
}

export function commandsToJSON(specs: readonly CommandSpec[]): CommandJSON[] {
  return specs.map(commandToJSON);
}

export function commandToJSON(spec: CommandSpec): CommandJSON {
  const options = spec.subcommands ? spec.subcommands.map((s) => subcommandToJSON(s, spec)) : optionsToJSON(spec.options ?? []);
  return {
    name: spec.name,
    description: clip(spec.description, DESCRIPTION_MAX),
    type: 1,
    ...(options.length > 0 ? { options } : {}),
    // Admin commands are hidden from members without Manage Server and from
    // DMs; the bot re-checks permissions anyway (server settings can change this).
    ...(isAdminTree(spec) ? { default_member_permissions: MANAGE_GUILD, dm_permission: false } : {}),
    ...localisations(spec.ko),
  };
}

/** A command whose every leaf is admin-only is registered as an admin command. */
function isAdminTree(spec: CommandSpec): boolean {
  if (spec.admin) return true;
  return Boolean(spec.subcommands && spec.subcommands.length > 0 && spec.subcommands.every((s) => s.admin));
}

function subcommandToJSON(sub: CommandSpec, _parent: CommandSpec): CommandOptionJSON {
  const options = optionsToJSON(sub.options ?? []);
  return {
    type: OPTION_TYPE.subcommand,
    name: sub.name,
    description: clip(sub.description, DESCRIPTION_MAX),
    ...(options.length > 0 ? { options } : {}),
    ...localisations(sub.ko),
  };
}

/** Discord wants required options first; the router binds by name, so order is free. */
function optionsToJSON(options: readonly OptionSpec[]): CommandOptionJSON[] {
  const required = options.filter((o) => o.required);
  const optional = options.filter((o) => !o.required);
  return [...required, ...optional].map(optionToJSON);
}

export function optionToJSON(option: OptionSpec): CommandOptionJSON {
  const base = {
    name: option.name,
    description: clip(describe(option), DESCRIPTION_MAX),
    ...(option.required ? { required: true } : {}),
  };
  const ko = localisations(option.ko);
  switch (option.type) {
    case 'string':
    case 'date':
      return {
        type: OPTION_TYPE.string,
        ...base,
        ...(option.maxLength !== undefined ? { max_length: option.maxLength } : {}),
        ...(option.autocomplete ? { autocomplete: true } : {}),
        ...ko,
      };
    case 'integer':
      return {
        type: OPTION_TYPE.integer,
        ...base,
        ...(option.min !== undefined ? { min_value: option.min } : {}),
        ...(option.max !== undefined ? { max_value: option.max } : {}),
        ...(option.autocomplete ? { autocomplete: true } : {}),
        ...ko,
      };
    case 'boolean':
      return { type: OPTION_TYPE.boolean, ...base, ...ko };
    case 'choice':
      return {
        type: OPTION_TYPE.string,
        ...base,
        choices: (option.choices ?? []).slice(0, 25).map((c) => ({ name: c, value: c })),
        ...ko,
      };
  }
}

/** Discord has no date option: the description tells what to type. */
function describe(option: OptionSpec): string {
  if (option.type !== 'date') return option.description;
  return `${option.description} (YYYY, YYYY-MM or YYYY-MM-DD)`;
}

function localisations(ko: { name: string; description: string } | undefined) {
  if (!ko) return {};
  return { name_localizations: { ko: ko.name }, description_localizations: { ko: clip(ko.description, DESCRIPTION_MAX) } };
}

// ---- comparison -----------------------------------------------------------

/**
 * The parts of a command that matter, with Discord's defaults filled in, so
 * what we would send and what Discord returns compare equal when unchanged.
 */
export function normaliseCommand(command: Record<string, unknown>): unknown {
  return {
    name: command.name,
    description: command.description,
    type: command.type ?? 1,
    options: normaliseOptions(command.options),
    default_member_permissions: command.default_member_permissions ?? null,
    // dm_permission is left out: it follows `admin` exactly as
    // default_member_permissions does (compared above), and Discord omits it
    // for guild commands and is replacing it with `contexts`.
    name_localizations: nonEmpty(command.name_localizations),
    description_localizations: nonEmpty(command.description_localizations),
  };
}

function normaliseOptions(options: unknown): unknown[] {
  if (!Array.isArray(options)) return [];
  return options.map((o: Record<string, unknown>) => ({
    type: o.type,
    name: o.name,
    description: o.description,
    required: o.required ?? false,
    choices: Array.isArray(o.choices) ? o.choices.map((c: Record<string, unknown>) => ({ name: c.name, value: c.value })) : [],
    min_value: o.min_value ?? null,
    max_value: o.max_value ?? null,
    max_length: o.max_length ?? null,
    autocomplete: o.autocomplete ?? false,
    options: normaliseOptions(o.options),
    name_localizations: nonEmpty(o.name_localizations),
    description_localizations: nonEmpty(o.description_localizations),
  }));
}

function nonEmpty(value: unknown): unknown {
  return value && typeof value === 'object' && Object.keys(value).length > 0 ? value : null;
}

export function sameCommands(wanted: readonly CommandJSON[], registered: ReadonlyArray<Record<string, unknown>>): boolean {
  const canonical = (list: ReadonlyArray<Record<string, unknown>>) =>
    JSON.stringify([...list].sort((a, b) => String(a.name).localeCompare(String(b.name))).map(normaliseCommand));
  return canonical(wanted as unknown as Array<Record<string, unknown>>) === canonical(registered);
}

// ---- deploying ------------------------------------------------------------

export interface DeployResult {
  scope: 'global' | 'guild';
  guildId?: string;
  /** True when the registration was written. */
  changed: boolean;
  count: number;
}

export async function deployCommands(
  config: Config,
  options: { guild?: string; commands?: readonly CommandSpec[] } = {},
): Promise<DeployResult> {
  const token = config.DISCORD_TOKEN;
  const applicationId = config.DISCORD_APPLICATION_ID;
  if (!token || !applicationId) {
    throw new ConfigError([
      'DISCORD_TOKEN and DISCORD_APPLICATION_ID are needed to register commands (see README: creating the Discord application)',
    ]);
  }
  const guildId = options.guild ?? config.DISCORD_GUILD_ID;
  const rest = new REST({ api: config.DISCORD_API_URL }).setToken(token);
  const route = guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId);
  const wanted = commandsToJSON(options.commands ?? allCommands);
  // Without with_localizations Discord leaves the Korean names out, and every deploy would look changed.
  const registered = (await rest.get(route, { query: new URLSearchParams({ with_localizations: 'true' }) })) as Array<
    Record<string, unknown>
  >;
  const scope = guildId ? { scope: 'guild' as const, guildId } : { scope: 'global' as const };
  if (sameCommands(wanted, registered)) return { ...scope, changed: false, count: wanted.length };
  await rest.put(route, { body: wanted });
  return { ...scope, changed: true, count: wanted.length };
}

export interface DeployIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
}

/** `armistice deploy-commands [--guild ID]`. Exit 0 done, 1 Discord refused, 2 misuse. */
export async function deployCommandsCli(argv: string[], io: DeployIO): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { guild: { type: 'string' } }, allowPositionals: false });
  if (values.guild !== undefined && !/^\d{5,25}$/.test(values.guild)) {
    io.stderr.write(`armistice deploy-commands: --guild takes a numeric server id (for example --guild 1234567890123456789), not “${values.guild}”.\n`);
    return 2;
  }
  const config = readConfig(io.env);
  let result: DeployResult;
  try {
    result = await deployCommands(config, { guild: values.guild });
  } catch (error) {
    if (!(error instanceof DiscordAPIError || error instanceof HTTPError)) throw error;
    const hint =
      error.status === 401
        ? 'check DISCORD_TOKEN'
        : error.status === 403 || error.status === 404
          ? 'check DISCORD_APPLICATION_ID, and that the bot was invited to that server with the applications.commands scope'
          : 'try again later';
    io.stderr.write(`armistice deploy-commands: Discord answered ${error.status} (${error.message}): ${hint}.\n`);
    return 1;
  }
  const where = result.scope === 'guild' ? `server ${result.guildId}` : 'all servers (global; Discord may take up to an hour to show changes)';
  io.stdout.write(
    result.changed
      ? `Registered ${result.count} commands for ${where}.\n`
      : `The ${result.count} commands registered for ${where} are up to date; nothing written.\n`,
  );
  return 0;
}
