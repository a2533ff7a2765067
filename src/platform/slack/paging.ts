import type { Reply } from '../../reply/reply.ts';
import { MAX_LINE_LENGTH } from '../../router/parse.ts';

/**
 * A paging button's value is the command line of the page it shows
 * (`/news peace page:3`, see render.ts pageLine). Nothing else is stored, so
 * a click after a restart re-runs the line with the clicker's permissions.
 */
export function parsePageValue(value: string | undefined): { line: string; page: number } | undefined {
  if (!value || value.length > MAX_LINE_LENGTH || !value.startsWith('/')) return undefined;
  const match = /\spage:(\d{1,6})$/.exec(value);
  if (!match) return undefined;
  return { line: value, page: Number(match[1]) };
}

/** An item action's value is the command line it runs (`/review approve:<id>`), checked like a page's. */
export function parseActionValue(value: string | undefined): { line: string; page?: undefined } | undefined {
  if (!value || value.length > MAX_LINE_LENGTH || !value.startsWith('/')) return undefined;
  return { line: value };
}

/**
 * The answer may have changed since the message with the button was posted
 * (new articles, fewer results): when the page shown is not the one the
 * button promised, or that page is gone, say so.
 */
export function markStalePage(reply: Reply, requestedPage: number): Reply {
  if (reply.errorCode === 'PAGE_OUT_OF_RANGE') {
    return { ...reply, text: [STALE_NOTE, ...(reply.text ?? [])] };
  }
  if (reply.errorCode) return reply;
  const shown = reply.paging?.page ?? 1;
  if (shown === requestedPage) return reply;
  const now = reply.paging && reply.paging.pages > 1 ? `page ${shown} of ${reply.paging.pages}` : 'everything on one page';
  return { ...reply, text: [`${STALE_NOTE} Showing ${now} instead of page ${requestedPage}.`, ...(reply.text ?? [])] };
}

const STALE_NOTE = 'The results changed since this message was posted.';

/** Shown when a button's value cannot be read (a message from an older version, say). */
export const EXPIRED_BUTTON: Reply = {
  title: 'This button no longer works.',
  text: ['Run the command again to get fresh results.'],
  ephemeral: true,
  errorCode: 'STALE_BUTTON',
};
