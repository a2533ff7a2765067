import type { CommandSpec } from '../src/router/command.ts';
import help from './help.ts';

/** Every command the bot offers, in the order /help lists them. */
export const allCommands: readonly CommandSpec[] = [help];
