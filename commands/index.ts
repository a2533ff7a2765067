import type { CommandSpec } from '../src/router/command.ts';
import help from './help.ts';
import news from './news.ts';
import source from './source.ts';
import feeds from './feeds.ts';

/** Every command the bot offers, in the order /help lists them. */
export const allCommands: readonly CommandSpec[] = [news, source, feeds, help];
