import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.ts';
import { runConsoleChat } from '../../src/platform/console/console-chat.ts';
import { ConsoleNotifier } from '../../src/platform/console/console-notifier.ts';
import type { Services } from '../../src/services.ts';
import { makeTestServices } from '../support/services.ts';

/** Everything written to the terminal (stdout and stderr), in order, as one text. */
function terminal() {
  let text = '';
  const stream = (mark = '') => new Writable({ write(chunk, _encoding, done) { text += mark + String(chunk); done(); } });
  return { stdout: stream(), stderr: stream(), text: () => text };
}

describe('GIVEN someone typing at the interactive console chat', () => {
  let services: Services;
  beforeAll(async () => {
    services = await makeTestServices();
  });
  afterAll(async () => {
    await services.close();
  });

  it('WHEN the bot logs a line or posts a digest meanwhile THEN it appears above the prompt and the half-typed line is drawn again', async () => {
    const screen = terminal();
    const input = new PassThrough();
    const chat = runConsoleChat(services, input, screen.stdout, true);
    const log = createLogger('info', screen.stderr);
    input.write('/who');
    await new Promise((resolve) => setImmediate(resolve)); // readline reads the keys on the next turn
    log.warn('feed “Yonhap” failed: connection refused');
    await new ConsoleNotifier(screen.stdout).post('console', { text: ['Digest: 1 new article'] });
    input.end('is Moon Jae-in\n');
    await chat;

    const text = screen.text();
    const logAt = text.indexOf('feed “Yonhap” failed');
    const digestAt = text.indexOf('[console] Digest: 1 new article');
    expect(logAt).toBeGreaterThan(0);
    expect(digestAt).toBeGreaterThan(logAt);
    // Each one: the prompt line cleared first, then the prompt drawn again with what was typed.
    for (const at of [logAt, digestAt]) {
      expect(text.lastIndexOf('\r\x1b[2K', at)).toBeGreaterThan(text.lastIndexOf('armistice> /who', at));
      expect(text.indexOf('armistice> /who', at)).toBeGreaterThan(at);
    }
    // The line, finished after the interruptions, is answered whole.
    expect(text).toContain('Moon Jae-in');
    expect(text).toMatch(/President of South Korea|Moon Jae-in \(/);
  });

  it('WHEN the chat has ended THEN log lines are printed plainly again', async () => {
    const screen = terminal();
    const input = new PassThrough();
    const chat = runConsoleChat(services, input, screen.stdout, true);
    input.end();
    await chat;
    const before = screen.text().length;
    createLogger('info', screen.stderr).info('after the chat');
    expect(screen.text().slice(before)).toMatch(/^\{.*"msg":"after the chat"\}\n$/);
  });
});
