import type { Args, CommandSpec, OptionSpec } from './command.ts';
import { tokenize, type Token } from './tokenize.ts';
import { parseOptionValue } from './values.ts';
import { examplesOf, usageLine } from './usage.ts';

export const MAX_LINE_LENGTH = 2000;

/** A parsed invocation of a leaf command, or the reason it could not be parsed. */
export type ParseResult =
  | { ok: true; command: CommandSpec; parent?: CommandSpec; args: Args; positional: Set<string> }
  | { ok: false; code: string; message: string; hints: string[] };

/** Options as a platform delivers them (Discord): already split by name. */
export interface StructuredInvocation {
  name: string;
  subcommand?: string;
  options: Record<string, string | number | boolean>;
}

// C0/C1 controls except tab/newline, and the bidi overrides that can make
// text display in another order than it reads.
const FORBIDDEN_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

export function findCommand(commands: readonly CommandSpec[], name: string): CommandSpec | undefined {
  const lower = name.toLowerCase().replace(/^\//, '');
  return commands.find((c) => c.name === lower);
}

export function parseLine(commands: readonly CommandSpec[], line: string): ParseResult {
  if (line.length > MAX_LINE_LENGTH) {
    return fail('INPUT_TOO_LONG', `That message is too long (${line.length} characters; the limit is ${MAX_LINE_LENGTH}).`, [
      'Shorten it, for example: /news peace treaty',
    ]);
  }
  if (FORBIDDEN_CHARACTERS.test(line)) {
    return fail('INVALID_CHARACTERS', 'That message contains control or text-direction characters I cannot read.', [
      'Type the command again without them, for example: /whois Moon Jae-in',
    ]);
  }
  const trimmed = line.trim();
  const match = /^\/?(\S+)\s*([\s\S]*)$/.exec(trimmed);
  if (!match || trimmed === '') return fail('EMPTY_COMMAND', 'Type a command, for example /help.', []);
  const command = findCommand(commands, match[1]!);
  if (!command) return unknownCommand(commands, match[1]!);
  let tokens = tokenize(match[2]!);
  if (command.subcommands) {
    const first = tokens[0];
    const sub = first && !first.name ? findCommand(command.subcommands, first.value) : undefined;
    if (!sub) return missingSubcommand(command, first?.name ? undefined : first?.value);
    tokens = tokens.slice(1);
    return bindTokens(sub, command, tokens);
  }
  return bindTokens(command, undefined, tokens);
}

export function parseStructured(commands: readonly CommandSpec[], invocation: StructuredInvocation): ParseResult {
  const command = findCommand(commands, invocation.name);
  if (!command) return unknownCommand(commands, invocation.name);
  let leaf = command;
  let parent: CommandSpec | undefined;
  if (command.subcommands) {
    const sub = invocation.subcommand ? findCommand(command.subcommands, invocation.subcommand) : undefined;
    if (!sub) return missingSubcommand(command, invocation.subcommand);
    leaf = sub;
    parent = command;
  }
  const tokens: Token[] = Object.entries(invocation.options).map(([name, value]) => ({ name, value: String(value) }));
  return bindTokens(leaf, parent, tokens);
}

function bindTokens(command: CommandSpec, parent: CommandSpec | undefined, tokens: Token[]): ParseResult {
  const options = command.options ?? [];
  const args: Args = {};
  const positional = new Set<string>();
  const usage = () => usageHints(command, parent);

  for (const token of tokens.filter((t) => t.name !== undefined)) {
    const spec = options.find((o) => o.name === token.name);
    if (!spec) {
      const known = options.map((o) => o.name).join(', ') || 'none';
      return fail('UNKNOWN_OPTION', `${commandName(command, parent)} has no option “${token.name}”. Its options: ${known}.`, usage());
    }
    const parsed = parseOptionValue(spec, token.value);
    if (!parsed.ok) return fail('BAD_OPTION', `The option ${spec.name} ${parsed.problem}.`, usage());
    args[spec.name] = parsed.value;
  }

  // Free words fill the remaining options in declaration order while they
  // fit their type; the `rest` option (if any) takes everything after that.
  const words = tokens.filter((t) => t.name === undefined).map((t) => t.value);
  const open = options.filter((o) => args[o.name] === undefined);
  let w = 0;
  for (const spec of open) {
    if (w >= words.length) break;
    if (spec.rest) {
      const text = words.slice(w).join(' ');
      const parsed = parseOptionValue(spec, text);
      if (!parsed.ok) return fail('BAD_OPTION', `The option ${spec.name} ${parsed.problem}.`, usage());
      args[spec.name] = parsed.value;
      positional.add(spec.name);
      w = words.length;
      break;
    }
    const parsed = parseOptionValue(spec, words[w]!);
    if (!parsed.ok) {
      if (open.some((o) => o.rest)) continue;
      return fail('BAD_OPTION', `The option ${spec.name} ${parsed.problem}.`, usage());
    }
    args[spec.name] = parsed.value;
    positional.add(spec.name);
    w++;
  }
  if (w < words.length) {
    const extra = words.slice(w).join(' ');
    return fail('UNEXPECTED_TEXT', `I did not understand “${clip(extra)}” in ${commandName(command, parent)}.`, usage());
  }

  const missing = options.filter((o: OptionSpec) => o.required && args[o.name] === undefined);
  if (missing.length > 0) {
    return fail('MISSING_OPTION', `${commandName(command, parent)} needs ${missing.map((o) => o.name).join(' and ')}.`, usage());
  }
  return { ok: true, command, parent, args, positional };
}

export function usageHints(command: CommandSpec, parent?: CommandSpec): string[] {
  const examples = examplesOf(command);
  return [`Usage: ${usageLine(command, parent)}`, ...(examples.length ? [`Example: ${examples.join('  ·  ')}`] : [])];
}

function commandName(command: CommandSpec, parent?: CommandSpec): string {
  return parent ? `/${parent.name} ${command.name}` : `/${command.name}`;
}

function unknownCommand(commands: readonly CommandSpec[], name: string): ParseResult {
  return fail('UNKNOWN_COMMAND', `There is no command /${clip(name.replace(/^\//, ''))}.`, [
    `Commands: ${commands.map((c) => `/${c.name}`).join(' ')}`,
    'Type /help for what each one does.',
  ]);
}

function missingSubcommand(command: CommandSpec, given?: string): ParseResult {
  const subs = command.subcommands ?? [];
  const message = given
    ? `/${command.name} has no subcommand “${clip(given)}”.`
    : `/${command.name} needs a subcommand: ${subs.map((s) => s.name).join(', ')}.`;
  return fail('UNKNOWN_SUBCOMMAND', message, subs.map((s) => `${usageLine(s, command)} — ${s.description}`));
}

function fail(code: string, message: string, hints: string[]): ParseResult {
  return { ok: false, code, message, hints };
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
