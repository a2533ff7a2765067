import type { Services } from '../../services.ts';
import type { PlatformStates } from '../../ops/platform-state.ts';
import { describeDelay, retryUntilConnected, type BackoffPolicy, type ConnectFailure } from '../../ops/retry-backoff.ts';
import { SlackConnectError, type SlackApp, type SlackConnection } from './app.ts';

export interface SuperviseSlackOptions {
  policy?: BackoffPolicy;
  /** Aborted on shutdown: no more attempts, no reconnecting after the socket closes. */
  signal?: AbortSignal;
}

/**
 * Slack for a long-running bot: connects in the background (auth.test, and
 * in Socket Mode the socket), trying again with backoff while Slack is out
 * of reach, and keeps `states.slack` current. In Socket Mode a dropped
 * socket is reopened the same way (`reconnecting` meanwhile). Resolves with
 * the connection once connected; rejects with PlatformRefusedError when
 * Slack refuses a token; resolves undefined when stopped first.
 */
export async function superviseSlack(
  services: Services,
  states: PlatformStates,
  slack: SlackApp,
  options: SuperviseSlackOptions = {},
): Promise<SlackConnection | undefined> {
  const log = services.log.child({ platform: 'slack' });
  const retry = <T>(attempt: () => Promise<T>, state: 'connecting' | 'reconnecting') =>
    retryUntilConnected({
      platform: 'Slack',
      attempt,
      classify: classifySlackFailure,
      policy: options.policy,
      signal: options.signal,
      onUnreachable: (reason, delayMs, failures) => {
        log.warn({ attempt: failures, delayMs }, `${reason}; next try in ${describeDelay(delayMs)}`);
        states.set('slack', state, reason);
      },
    });
  const connection = await retry(() => slack.connect(), 'connecting');
  if (!connection) return undefined;
  states.set('slack', 'connected', `${connection.mode} mode`);
  connection.notifier.whenRefused((code) => {
    const reason = `Slack refused SLACK_BOT_TOKEN mid-run (${code}): the token was revoked or the app uninstalled; reinstall the app and copy the new Bot User OAuth Token (xoxb-...) into SLACK_BOT_TOKEN, then restart.`;
    log.error(reason);
    states.set('slack', 'refused', reason);
    // No more events: commands could not be answered with a refused token anyway.
    void connection.stop().catch((error: unknown) => log.warn({ err: error }, 'slack: stopping after the refusal failed'));
  });
  const { socket, reconnect } = connection;
  if (socket && reconnect) {
    let reconnecting = false;
    socket.on('disconnected', () => {
      if (options.signal?.aborted || reconnecting || states.get('slack')?.state === 'refused') return;
      reconnecting = true;
      log.warn('slack: the Socket Mode connection closed; reconnecting');
      states.set('slack', 'reconnecting', 'Socket Mode connection closed; reconnecting');
      void retry(reconnect, 'reconnecting')
        .then(
          (done) => {
            if (done === undefined && options.signal?.aborted) return;
            log.info('slack: Socket Mode connection open again');
            states.set('slack', 'connected', 'socket mode');
          },
          (error: unknown) => {
            log.error((error as Error).message);
            states.set('slack', 'refused', (error as Error).message);
          },
        )
        .finally(() => {
          reconnecting = false;
        });
    });
  }
  return connection;
}

/** What a failed attempt means (see SlackConnectError); anything else counts as Slack out of reach. */
export function classifySlackFailure(error: unknown): ConnectFailure {
  if (error instanceof SlackConnectError) return error.failure;
  return { kind: 'unreachable', reason: error instanceof Error ? error.message : String(error) };
}
