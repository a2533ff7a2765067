/**
 * The platform-neutral answer of a command. Every string in a Reply is plain,
 * untrusted text: renderers escape it for their platform (Discord markdown,
 * Slack mrkdwn) so nothing a feed or a user wrote can become a mention, a link
 * or markup. Links only travel in `url` fields, which renderers validate.
 */
export interface Reply {
  title?: string;
  /** Paragraphs of body text. */
  text?: string[];
  /** Short labelled values (Discord embed fields, Slack section fields). */
  fields?: ReplyField[];
  /** A list of results: search hits, timeline events, feeds... */
  items?: ReplyItem[];
  /** The articles the answer rests on. */
  sources?: SourceRef[];
  /** A footer line (outlet and date, counts, hints). */
  footer?: string;
  /** Present when the answer is one page of several. */
  paging?: Paging;
  /** Shown only to the person who asked. User errors always are. */
  ephemeral?: boolean;
  /** Set on user errors: a stable code such as `UNKNOWN_ENTITY`. */
  errorCode?: string;
  /** A picture of the answer; the text parts stay as its accessible version. */
  image?: ReplyImage;
  /** The command line that draws this answer as a picture: platforms offer it as a "Show as picture" button. */
  pictureCommand?: string;
}

/** A PNG to attach (Discord) or upload (Slack), or write to a file (console). */
export interface ReplyImage {
  bytes: Uint8Array;
  filename: string;
  mimeType: 'image/png';
  /** Alt text / description for screen readers. */
  alt: string;
}

export interface ReplyField {
  name: string;
  value: string;
  inline?: boolean;
}

export interface ReplyItem {
  title: string;
  /** A second line: date, outlet, kind... */
  meta?: string;
  text?: string;
  url?: string;
  /** Article ids this item cites. */
  sourceIds?: string[];
  /** A mark shown beside the item, e.g. "extracted, unreviewed". */
  note?: string;
  /** Buttons acting on this item (approve, reject...). */
  actions?: ReplyAction[];
}

/**
 * A button that runs a command line, e.g. `/review approve:x-chung-eui-yong
 * page:2`. Like paging, the state lives in the button: a press after a
 * restart, or on another instance, re-runs the line with the presser's
 * permissions, and the answer replaces the message.
 */
export interface ReplyAction {
  label: string;
  commandLine: string;
  /** How the button looks: `approve` green, `reject` red, `neutral` grey. */
  style?: 'approve' | 'reject' | 'neutral';
}

export interface SourceRef {
  articleId: string;
  title: string;
  outlet?: string;
  /** Human-readable date of the article ("2020-10-09", "2018-03", "2019"). */
  date?: string;
  url?: string;
  quote?: string;
}

export interface Paging {
  page: number;
  pages: number;
  /**
   * The command line that produced this page, without the page option.
   * Buttons re-run it with another page: state lives in the button, so it
   * keeps working after a restart.
   */
  commandLine: string;
}

/** A user error: a friendly message only the asker sees. */
export function userError(code: string, message: string, hint?: string[]): Reply {
  return {
    title: message,
    text: hint && hint.length > 0 ? hint : undefined,
    ephemeral: true,
    errorCode: code,
  };
}

export function isUserError(reply: Reply): boolean {
  return reply.errorCode !== undefined;
}
