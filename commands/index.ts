import type { CommandSpec } from '../src/router/command.ts';
import help from './help.ts';
import subscribe from './subscribe.ts';
import unsubscribe from './unsubscribe.ts';
import subscriptions from './subscriptions.ts';
import news from './news.ts';
import source from './source.ts';
import feeds from './feeds.ts';
import whois from './whois.ts';
import ask from './ask.ts';
import timeline from './timeline.ts';
import anniversaries from './anniversaries.ts';
import review from './review.ts';
import dashboard from './dashboard.ts';

/** Every command the bot offers, in the order /help lists them. */
export const allCommands: readonly CommandSpec[] = [timeline, whois, ask, anniversaries, news, source, feeds, review, subscribe, unsubscribe, subscriptions, dashboard, help];
