import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { buildServices } from '../../src/main.ts';
import { renderPlainText } from '../../src/reply/plain-text.ts';
import { dispatchLine, type Caller } from '../../src/router/dispatch.ts';
import type { Services } from '../../src/services.ts';
import { WIRE_ITEMS, startWire } from '../support/instances.ts';

/**
 * An instance that was away longer than the change log keeps (here capped
 * at 100 entries) cannot read on from its position: it reloads the feed
 * articles and extracted knowledge from the store, says so in one line, and
 * answers as the instance that wrote them.
 */

const dir = mkdtempSync(join(tmpdir(), 'armistice-catch-up-'));
const open: Services[] = [];
afterAll(async () => {
  for (const services of open) await services.close();
  rmSync(dir, { recursive: true, force: true });
});
const admin: Caller = { user: { id: 'U-admin', isAdmin: true }, channel: { id: 'console:ops', platform: 'console' } };

describe('an instance further behind than the change log keeps', () => {
  it('GIVEN a follower stopped while more changes than the log keeps were written WHEN it reads on THEN it reloads, says so once, and answers /news and /whois', async () => {
    const { server, publish } = await startWire();
    const lines: Array<{ msg: string; level: number }> = [];
    let onLine: ((line: { msg: string }) => void) | undefined;
    const start = async () => {
      const config = readConfig({ STORE_URL: `sqlite://${join(dir, 'shared.sqlite')}`, CHANGE_LOG_MAX_ENTRIES: '100', FEED_ALLOWED_HOSTS: server.hostPort, DATA_DIR: join(import.meta.dirname, '..', '..', 'data') });
      const sink = new Writable({
        write(chunk, _encoding, done) {
          for (const text of String(chunk).split('\n').filter(Boolean)) {
            const line = JSON.parse(text) as { msg: string; level: number };
            lines.push(line);
            onLine?.(line);
          }
          done();
        },
      });
      const services = await buildServices(config, createLogger('info', sink));
      open.push(services);
      return services;
    };
    const writer = await start();
    const follower = await start();

    expect((await dispatchLine(writer, `/feeds add url:${server.url('/wire.xml')}`, admin)).errorCode).toBeUndefined();
    publish([WIRE_ITEMS.envoy, WIRE_ITEMS.quiet]);
    const [feed] = await writer.feeds.list();
    await writer.feeds.registry.save({ ...feed!, nextAttemptAt: undefined });
    expect((await writer.feeds.pollRound()).newArticles).toBe(1);
    // Other writes push those out of the capped log before the follower reads it.
    for (let i = 0; i < 400; i++) await writer.store.changes.append('elsewhere', `padding-${i}`, 'another-instance');
    expect(renderPlainText(await dispatchLine(follower, '/whois Sung Kim', admin))).not.toContain('extracted, unreviewed');

    const reloaded = new Promise<void>((resolve) => {
      onLine = (line) => line.msg.startsWith('change log: this instance was away longer than the log keeps') && resolve();
    });
    follower.instanceSync!.start();
    await reloaded;
    expect(renderPlainText(await dispatchLine(follower, '/whois Sung Kim', admin))).toContain('extracted, unreviewed');
    expect(renderPlainText(await dispatchLine(follower, '/news end-of-war declaration', admin))).toContain(WIRE_ITEMS.envoy.title);
    expect(lines.filter((l) => l.msg.startsWith('change log: this instance was away'))).toHaveLength(1);
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
  });
});
