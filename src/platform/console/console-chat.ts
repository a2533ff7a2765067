import { createInterface } from 'node:readline';
import type { Services } from '../../services.ts';
import { dispatchLine, type Caller } from '../../router/dispatch.ts';
import { renderPlainText } from '../../reply/plain-text.ts';
import { pictureLine, writeReplyImage } from '../../reply/image-file.ts';

/**
 * A terminal chat for running the bot without any token (like Hubot's shell
 * adapter). Lines piped on stdin are answered in order and the chat ends at
 * end of input, so `echo "/help" | npm start` works.
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
  if (interactive) {
    output.write('armistice-bot console — type /help for the commands, Ctrl+D to leave.\n');
    rl.setPrompt('armistice> ');
    rl.prompt();
  }
  for await (const line of rl) {
    if (line.trim() === '') {
      if (interactive) rl.prompt();
      continue;
    }
    const reply = await dispatchLine(services, line, caller);
    const picture = reply.image ? `\n${pictureLine(await writeReplyImage(reply.image), reply.image)}` : '';
    output.write(`${renderPlainText(reply)}${picture}\n\n`);
    if (interactive) rl.prompt();
  }
}
