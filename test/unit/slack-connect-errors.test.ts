import { describe, expect, it } from 'vitest';
import { connectError } from '../../src/platform/slack/app.ts';
import { classifySlackFailure } from '../../src/platform/slack/supervise.ts';

/** Slack's start-up errors as @slack/web-api shapes them, told apart: refused credentials, or Slack out of reach. */
const API = 'https://slack.com/api/';
const refusedMessage = (code: string) => `Slack refused SLACK_BOT_TOKEN (auth.test: ${code})`;
const failureOf = (error: unknown) => classifySlackFailure(connectError(error, API, refusedMessage));

describe('Slack start-up failures', () => {
  it('GIVEN a token Slack refuses (invalid_auth, not_authed, account_inactive, token_revoked, missing_scope) THEN refused, with the how-to-fix message', () => {
    for (const code of ['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'missing_scope']) {
      expect(failureOf({ code: 'slack_webapi_platform_error', data: { ok: false, error: code } })).toEqual({ kind: 'refused', reason: `Slack refused SLACK_BOT_TOKEN (auth.test: ${code})` });
    }
  });

  it('GIVEN a refused connection, a DNS failure, a 5xx, a Slack-side error or a socket closed early THEN unreachable, saying which, never "refused"', () => {
    const network = (code: string) => ({ code: 'slack_webapi_request_error', original: Object.assign(new Error(code), { code }) });
    expect(failureOf(network('ECONNREFUSED'))).toEqual({ kind: 'unreachable', reason: `cannot reach Slack at ${API}: connection refused` });
    expect(failureOf(network('ENOTFOUND')).reason).toBe(`cannot reach Slack at ${API}: host name not found (DNS)`);
    expect(failureOf({ code: 'slack_webapi_http_error', statusCode: 503 }).reason).toBe(`cannot reach Slack at ${API}: Slack answered HTTP 503`);
    expect(failureOf({ code: 'slack_webapi_platform_error', data: { ok: false, error: 'internal_error' } })).toEqual({ kind: 'unreachable', reason: `cannot reach Slack at ${API}: Slack answered internal_error` });
    expect(failureOf(undefined).reason).toBe(`cannot reach Slack at ${API}: the connection closed before Slack said hello`);
  });
});
