import type { Notifier, PostResult } from '../../notify.ts';
import type { Reply } from '../../reply/reply.ts';
import { renderPlainText } from '../../reply/plain-text.ts';
import { printAbovePrompt } from '../../ops/above-prompt.ts';

/**
 * Posts to the terminal: `[channel] text`. Serves the `console` address
 * (the console chat) and, with another `platform`, stands in for a platform
 * this process is not connected to (`armistice tick` prints what it posts).
 */
export class ConsoleNotifier implements Notifier {
  constructor(
    private readonly output: NodeJS.WritableStream = process.stdout,
    readonly platform: string = 'console',
  ) {}

  async post(channelId: string, reply: Reply): Promise<PostResult> {
    const address = this.platform === 'console' ? 'console' : `${this.platform}:${channelId}`;
    printAbovePrompt(() => this.output.write(`[${address}] ${renderPlainText(reply)}\n\n`));
    return { ok: true };
  }
}
