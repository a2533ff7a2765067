import { createInterface } from 'node:readline';
import type { Services } from '../../services.ts';
import { dispatchLine, type Caller } from '../../router/dispatch.ts';
import { renderPlainText } from '../../reply/plain-text.ts';
import { pictureLine, writeReplyImage } from '../../reply/image-file.ts';
import { installPromptGuard } from '../../ops/above-prompt.ts';

/**
 * A terminal chat for running the bot without any token (like Hubot's shell
 * adapter). Lines piped on stdin are answered in order and the chat ends at
 * end of input, so `echo "/help" | npm start` works. At a terminal, what the
 * bot prints meanwhile (logs, digests) goes above the prompt, not into it.
 */
export async function runConsoleChat(
  services: Services,
  input: NodeJS.ReadableStream = process.stdin,
  output: NodeJS.WritableStream = process.stdout,
  interactive = Boolean((input as { isTTY?: boolean }).isTTY),
): Promise<void> {
  // The person at the terminal operates the bot, so admin commands are theirs.
  const caller: Caller = {
    user: { id: 'console', name: 'you', isAdmin: true },
    channel: { id: 'console', platform: 'console' },
  };
  const rl = createInterface({ input, output: interactive ? output : undefined, terminal: interactive });
  let answering = false;
  const removeGuard = interactive
    ? installPromptGuard((write) => {
        // While a reply is being written there is no prompt to move.
        if (answering) return write();
        output.write('\r\x1b[2K'); // back to the line's start, the line cleared
        write();
        rl.prompt(true); // the prompt again, with what was typed so far
      })
    : () => undefined;
  if (interactive) {
    output.write('armistice-bot console — type /help for the commands, Ctrl+D to leave.\n');
    rl.setPrompt('armistice> ');
    rl.prompt();
  }
  try {
    for await (const line of rl) {
      if (line.trim() === '') {
        if (interactive) rl.prompt();
        continue;
      }
      answering = true;
      try {
        const reply = await dispatchLine(services, line, caller);
        const picture = reply.image ? `\n${pictureLine(await writeReplyImage(reply.image), reply.image)}` : '';
        output.write(`${renderPlainText(reply)}${picture}\n\n`);
      } finally {
        answering = false;
      }
      if (interactive) rl.prompt();
    }
  } finally {
    removeGuard();
  }
}
