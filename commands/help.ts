import { defineCommand, type CommandSpec } from '../src/router/command.ts';
import { findCommand, usageHints } from '../src/router/parse.ts';
import { usageLine } from '../src/router/usage.ts';
import { userError } from '../src/reply/reply.ts';

/** /help is generated from the command declarations: nothing to keep in sync by hand. */
export default defineCommand({
  name: 'help',
  description: 'List the commands, or explain one',
  ko: { name: '도움말', description: '명령어 목록과 사용법' },
  options: [{ name: 'command', type: 'string', description: 'A command to explain', example: 'timeline', maxLength: 40 }],
  examples: ['help', 'help timeline'],
  run(ctx, args) {
    const commands = ctx.services.commands;
    if (typeof args.command === 'string') {
      const command = findCommand(commands, args.command);
      if (!command) {
        return userError('UNKNOWN_COMMAND', `There is no command /${args.command.replace(/^\//, '')}.`, [
          `Commands: ${commands.map((c) => `/${c.name}`).join(' ')}`,
        ]);
      }
      return explain(command);
    }
    return {
      title: 'armistice-bot commands',
      text: ['Answers about the Korean peace process, from the 1953 armistice to today, each with its sources.'],
      items: commands.map((c) => ({
        title: `/${c.name}${c.admin ? ' (admins)' : ''}`,
        text: c.description,
      })),
      footer: 'Type /help <command> for its options and examples.',
    };
  },
});

function explain(command: CommandSpec) {
  if (command.subcommands) {
    return {
      title: `/${command.name}`,
      text: [command.description],
      items: command.subcommands.map((s) => ({
        title: usageLine(s, command),
        text: `${s.description}${s.admin || command.admin ? ' (admins only)' : ''}`,
      })),
    };
  }
  return {
    title: `/${command.name}`,
    text: [command.description + (command.admin ? ' (admins only)' : ''), ...usageHints(command)],
    fields: (command.options ?? []).map((o) => ({
      name: o.name,
      value: `${o.description}${o.required ? ' (required)' : ''}`,
    })),
  };
}
