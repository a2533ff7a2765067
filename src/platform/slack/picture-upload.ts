import type { App } from '@slack/bolt';
import type { ReplyImage } from '../../reply/reply.ts';

/**
 * A reply's picture into a Slack channel, with the Web API client's
 * filesUploadV2 (files.getUploadURLExternal, the bytes to the URL it gives,
 * files.completeUploadExternal). Needs the files:write scope; response_url
 * cannot carry files, so the text answer goes first and the picture follows.
 */
export type UploadPicture = (image: ReplyImage, channelId: string) => Promise<void>;

/** Slack's limit on alt text. */
const ALT_TEXT_MAX = 1000;

export function pictureUploader(client: App['client']): UploadPicture {
  return async (image, channelId) => {
    await client.filesUploadV2({
      channel_id: channelId,
      file: Buffer.from(image.bytes),
      filename: image.filename,
      title: image.filename.replace(/\.png$/, ''),
      alt_text: image.alt.slice(0, ALT_TEXT_MAX),
    });
  };
}

/** What the asker is told when the picture cannot be shared, by Slack's error code. */
export function uploadFailureText(error: unknown): string {
  const code = (error as { data?: { error?: string } }).data?.error;
  if (code === 'not_in_channel' || code === 'channel_not_found') return 'The picture could not be shared here: invite the bot to this channel (/invite) and ask again. The text answer above has every event.';
  if (code === 'missing_scope' || code === 'not_allowed_token_type') return 'The picture could not be shared: the app lacks the files:write scope (reinstall it with the current manifest). The text answer above has every event.';
  return 'The picture could not be shared just now; the text answer above has every event. Please try again in a moment.';
}
