/**
 * A refresh that fails without a verdict on the grant (a captive portal, a
 * broken or hanging server) never costs a still-valid token: each case is a
 * real local server misbehaving on purpose.
 */
import test from 'ava';
import type http from 'node:http';
import { freshSettings } from '../../src/credential/index.js';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { sendJson, storeFor, tokenEndpoint } from './helpers.js';

type Res = http.ServerResponse;
const good = { access_token: 'new-access', token_type: 'Bearer', expires_in: 3600, refresh_token: 'new-refresh' };

const CASES: [string, (res: Res) => void][] = [
  ['an HTML 200 (a captive portal)', (res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<html><body>Please sign in to the guest network</body></html>');
  }],
  ['a 200 without access_token', (res) => sendJson(res, 200, { token_type: 'Bearer', expires_in: 3600 })],
  ['a 200 without token_type', (res) => sendJson(res, 200, { access_token: 'new-access', expires_in: 3600 })],
  ['a negative expires_in', (res) => sendJson(res, 200, { ...good, expires_in: -30 })],
  ['truncated JSON', (res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"access_token":"new-access","token_type":"Bea');
  }],
  ['a huge body', (res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    const chunk = 'x'.repeat(64 * 1024);
    let sent = 0;
    const more = (): void => {
      // 8 MiB at most, stopped as soon as the client hangs up
      while (sent < 128 && !res.destroyed) {
        sent += 1;
        if (!res.write(chunk)) return void res.once('drain', more);
      }
      res.end();
    };
    res.on('error', () => undefined);
    res.write('{"access_token":"');
    more();
  }],
  ['a 302 redirect', (res) => {
    res.writeHead(302, { Location: 'http://127.0.0.1:9/login' });
    res.end();
  }],
];

for (const [what, answer] of CASES) {
  test(`${what} while the token is still valid: token prints it (exit 0) and warns; nothing is lost`, async (t) => {
    const ep = await tokenEndpoint(t, (_req, res) => answer(res));
    const { store, home, base } = await storeFor(t, ep, { secondsLeft: 30 });
    const r = await runCli(['token', 'svc'], { env: cleanEnv(base, { OAUTH_HANDOFF_HOME: home }) });
    t.is(r.code, 0, r.stderr);
    t.is(r.stdout, 'old-access\n');
    t.regex(r.stderr, /warning: could not refresh "svc"/);
    t.is(ep.refreshes.length, 1);
    const s = await store.read('svc');
    t.is(s.token.refresh_token, 'old-refresh');
    t.is(s.health.state, 'ok');
    t.is(s.health.refresh_started_at, undefined);
  });
}

test('a hanging token endpoint: the refresh is bounded by the validity left, and the old token is printed while it is still valid', async (t) => {
  const ep = await tokenEndpoint(t, () => undefined); // never answers
  // 30 s left, the HTTP timeout is 30 s: unbounded, the token would expire during the wait
  const { store, home, base } = await storeFor(t, ep, { secondsLeft: 30 });
  const expiresAt = Date.parse((await store.read('svc')).token.expires_at as string);
  const r = await runCli(['token', 'svc'], { env: cleanEnv(base, { OAUTH_HANDOFF_HOME: home }) });
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, 'old-access\n');
  t.regex(r.stderr, /warning: could not refresh "svc"/);
  t.true(Date.now() < expiresAt, 'the process ended before the token it printed expired');
});

test('a 200 carrying {"error":"invalid_grant"} with validity left: marked for re-authorization, the token is still served until it expires, and says so', async (t) => {
  const ep = await tokenEndpoint(t, (_req, res) => sendJson(res, 200, { error: 'invalid_grant', error_description: 'grant revoked' }));
  const { store, home, base } = await storeFor(t, ep, { secondsLeft: 600, edit: (s) => s });
  const env = cleanEnv(base, { OAUTH_HANDOFF_HOME: home });
  // due: --min-valid 900 (capped at half the lifetime: 1800 s)
  const r = await runCli(['token', 'svc', '--min-valid', '900'], { env });
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, 'old-access\n');
  t.regex(r.stderr, /warning: .*re-authoriz/);
  const st = await runCli(['status', 'svc', '--json'], { env });
  t.is(st.code, 3, 'status names the state');
  t.is(JSON.parse(st.stdout).state, 'reauthorization_required');
  // later calls keep serving it without asking the server again
  const again = await runCli(['token', 'svc'], { env });
  t.is(again.code, 0, again.stderr);
  t.is(again.stdout, 'old-access\n');
  t.regex(again.stderr, /warning: .*re-authoriz/);
  t.is(ep.refreshes.length, 1);
  // once it has expired: exit 3 (REAUTH_REQUIRED)
  const expiresAt = Date.parse((await store.read('svc')).token.expires_at as string);
  await t.throwsAsync(() => freshSettings(store, 'svc', { now: () => expiresAt + 1000, serveValidOnFailure: true }), { code: 'REAUTH_REQUIRED' } as never);
});

test('a definite 400 invalid_grant still ends serving at once (exit 3)', async (t) => {
  const ep = await tokenEndpoint(t, (_req, res) => sendJson(res, 400, { error: 'invalid_grant' }));
  const { home, base } = await storeFor(t, ep, { secondsLeft: 30 });
  const r = await runCli(['token', 'svc'], { env: cleanEnv(base, { OAUTH_HANDOFF_HOME: home }) });
  t.is(r.code, 3, r.stderr);
  t.is(r.stdout, '');
});
