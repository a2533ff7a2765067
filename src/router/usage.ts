import type { CommandSpec } from './command.ts';
import { placeholder } from './values.ts';

/** `/timeline [from:<date>] [to:<date>] [about:<text>]` */
export function usageLine(spec: CommandSpec, parent?: CommandSpec): string {
  const name = parent ? `/${parent.name} ${spec.name}` : `/${spec.name}`;
  if (spec.subcommands) return `${name} <${spec.subcommands.map((s) => s.name).join('|')}> ...`;
  const options = (spec.options ?? []).map((o) => {
    const text = `${o.name}:${placeholder(o)}`;
    return o.required ? text : `[${text}]`;
  });
  return [name, ...options].join(' ');
}

export function examplesOf(spec: CommandSpec): string[] {
  return (spec.examples ?? []).map((e) => `/${e}`);
}
