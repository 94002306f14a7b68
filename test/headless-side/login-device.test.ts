/**
 * `oauth-handoff login --device` (RFC 8628): against oidc-provider with its
 * device flow on (a real browser enters the user code and approves), and
 * against a small scripted device-grant server on 127.0.0.1 that answers
 * slow_down, expired_token, access_denied and 503 when told to.
 */
import test from 'ava';
import type { ExecutionContext } from 'ava';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CODES, HandoffError } from '../../src/errors.js';
import { pollDeviceToken, resolveLoginTarget } from '../../src/headless-side/index.js';
import type { DevicePollEvent } from '../../src/headless-side/index.js';
import { createHttpClient } from '../../src/oauth/index.js';
import type { DeviceAuthorization } from '../../src/oauth/index.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { createOutput } from '../../src/terminal/index.js';
import { runCli } from '../helpers/cli.js';
import { approveDeviceCode, startOidcProvider } from '../helpers/oidc-server.js';
import { browserFor } from '../helpers/browser.js';
import { loginOnce, machine, startLogin, storedNames } from './helpers.js';

// ─── a scripted device-grant server ───

interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

const pending: Answer = { status: 400, body: { error: 'authorization_pending' } };
const slowDown: Answer = { status: 400, body: { error: 'slow_down' } };
const granted: Answer = { status: 200, body: { access_token: 'device-access-token-1', token_type: 'Bearer', expires_in: 3600, refresh_token: 'device-refresh-token-1' } };

interface DeviceServer {
  issuer: string;
  /** ms timestamps of the token requests */
  polls: number[];
  /** grant_type and device_code of each token request */
  forms: URLSearchParams[];
}

/** RFC 8414 metadata, a device authorization endpoint, and a token endpoint that plays `script` (the last answer repeats). */
async function deviceServer(t: ExecutionContext, script: Answer[], device: { interval?: number; expires_in: number }): Promise<DeviceServer> {
  const polls: number[] = [];
  const forms: URLSearchParams[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const send = (status: number, value: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(value));
      };
      if (req.method === 'GET' && req.url === '/.well-known/oauth-authorization-server') {
        return send(200, { issuer, token_endpoint: `${issuer}/token`, device_authorization_endpoint: `${issuer}/device`, grant_types_supported: ['urn:ietf:params:oauth:grant-type:device_code'] });
      }
      if (req.method === 'POST' && req.url === '/device') {
        return send(200, {
          device_code: 'dc-123',
          user_code: 'WDJB-MJHT',
          verification_uri: `${issuer}/activate`,
          verification_uri_complete: `${issuer}/activate?user_code=WDJB-MJHT`,
          ...device,
        });
      }
      if (req.method === 'POST' && req.url === '/token') {
        polls.push(Date.now());
        forms.push(new URLSearchParams(body));
        const a = script[Math.min(polls.length - 1, script.length - 1)] as Answer;
        return send(a.status, a.body, a.headers);
      }
      send(404, { error: 'not_found' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t.teardown(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return { issuer, polls, forms };
}

/** A clock that only moves when the flow sleeps: intervals are checked exactly, without waiting. */
function fakeTime() {
  let now = 1_700_000_000_000;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
  };
}

async function deviceTarget(t: ExecutionContext, srv: DeviceServer) {
  const http = await createHttpClient({ timeoutMs: 30_000 });
  const target = await resolveLoginTarget({ issuer: srv.issuer, clientId: 'cli' }, { http: async () => http, out: createOutput(), env: {} });
  t.is(target.client.auth_method, 'none', 'a client without a secret is a public client');
  return { http, target };
}

const authorization = (o: Partial<DeviceAuthorization> = {}): DeviceAuthorization => ({
  device_code: 'dc-123',
  user_code: 'WDJB-MJHT',
  verification_uri: 'http://127.0.0.1/activate',
  expires_in: 600,
  interval: 2,
  raw: {},
  ...o,
});

// ─── the protocol rules, through the library with a fake clock ───

test('polling waits the server interval, and slow_down adds 5 s to this and every later poll (RFC 8628 §3.5)', async (t) => {
  const srv = await deviceServer(t, [pending, slowDown, pending, slowDown, granted], { expires_in: 600 });
  const { http, target } = await deviceTarget(t, srv);
  const time = fakeTime();
  const events: DevicePollEvent[] = [];
  const tokens = await pollDeviceToken(target, authorization({ interval: 2 }), { http, now: time.now, sleep: time.sleep, timeoutMs: 600_000, onPoll: (e) => events.push(e) });
  t.is(tokens.access_token, 'device-access-token-1');
  t.deepEqual(time.sleeps, [2000, 2000, 7000, 7000, 12000]);
  t.deepEqual(events.map((e) => `${e.outcome}:${e.interval}`), ['authorization_pending:2', 'slow_down:7', 'authorization_pending:7', 'slow_down:12']);
  t.is(srv.polls.length, 5);
  t.true(srv.forms.every((f) => f.get('grant_type') === 'urn:ietf:params:oauth:grant-type:device_code' && f.get('device_code') === 'dc-123' && f.get('client_id') === 'cli'));
});

test('a server that is down for a while is retried with a growing wait while the code lives; other errors end the flow', async (t) => {
  const down: Answer = { status: 503, body: { error: 'temporarily_unavailable' }, headers: { 'retry-after': '3' } };
  const srv = await deviceServer(t, [down, down, pending, granted], { expires_in: 600 });
  const { http, target } = await deviceTarget(t, srv);
  const time = fakeTime();
  const tokens = await pollDeviceToken(target, authorization({ interval: 2 }), { http, now: time.now, sleep: time.sleep, timeoutMs: 600_000 });
  t.is(tokens.refresh_token, 'device-refresh-token-1');
  t.deepEqual(time.sleeps, [2000, 3000, 6000, 2000], 'Retry-After, then doubling, then the normal interval again');

  const bad = await deviceServer(t, [{ status: 401, body: { error: 'invalid_client' } }], { expires_in: 600 });
  const b = await deviceTarget(t, bad);
  const e = await t.throwsAsync(pollDeviceToken(b.target, authorization(), { http: b.http, now: time.now, sleep: time.sleep, timeoutMs: 600_000 }));
  t.is((e as HandoffError).code, CODES.PROVIDER_ERROR);
  t.is(bad.polls.length, 1);
});

test('a device code that runs out while pending ends the flow by our own clock, after a bounded number of polls', async (t) => {
  const srv = await deviceServer(t, [pending], { expires_in: 600 });
  const { http, target } = await deviceTarget(t, srv);
  const time = fakeTime();
  const e = await t.throwsAsync(pollDeviceToken(target, authorization({ interval: 2, expires_in: 9 }), { http, now: time.now, sleep: time.sleep, timeoutMs: 600_000 }));
  t.is((e as HandoffError).code, CODES.ABORTED);
  t.regex((e as Error).message, /the device code expired \(after 9 s\); nothing was stored/);
  t.is(srv.polls.length, 4, 'polls at 2, 4, 6 and 8 s, none after 9 s');
});

// ─── the CLI against the scripted server ───

test('login picks the device grant when the metadata offers it, says so, and stores the tokens', async (t) => {
  const srv = await deviceServer(t, [pending, granted], { interval: 1, expires_in: 60 });
  const m = await machine(t);
  const run = startLogin(t, ['--issuer', srv.issuer, '--client-id', 'cli', '--name', 'dev', '--no-qr'], m.env);
  const r = await run.done;
  t.is(r.code, 0, r.stderr);
  t.regex(r.stderr, /offers the device authorization grant \(RFC 8628\): using --device/);
  t.regex(r.stderr, /open http:\/\/127\.0\.0\.1:\d+\/activate and enter this code:\n\n {4}WDJB-MJHT\n/);
  t.regex(r.stderr, /\/activate\?user_code=WDJB-MJHT/);
  t.is(srv.polls.length, 2);
  t.true((srv.polls[1] as number) - (srv.polls[0] as number) >= 900, 'waited the interval between polls');
  const tok = await runCli(['token', 'dev'], { env: m.env });
  t.is(tok.stdout, 'device-access-token-1\n');
  const st = await runCli(['status', 'dev', '--json'], { env: m.env });
  t.is(JSON.parse(st.stdout).created.via, 'login --device');
});

test('slow_down from the server makes the CLI poll 5 s more slowly', async (t) => {
  const srv = await deviceServer(t, [slowDown, granted], { interval: 1, expires_in: 60 });
  const m = await machine(t);
  const r = await loginOnce(t, ['--device', '--issuer', srv.issuer, '--client-id', 'cli', '--no-qr'], m.env);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stderr, /asked to poll more slowly: every 6 s now/);
  t.true((srv.polls[1] as number) - (srv.polls[0] as number) >= 5900, 'the second poll came 6 s after the first');
  t.deepEqual(await storedNames(m.home), ['generic']);
});

test('expired_token and access_denied from the server, and --timeout, end the CLI with exit 1 and nothing stored', async (t) => {
  const expired = await deviceServer(t, [{ status: 400, body: { error: 'expired_token' } }], { interval: 1, expires_in: 60 });
  const denied = await deviceServer(t, [{ status: 400, body: { error: 'access_denied', error_description: 'the user said no' } }], { interval: 1, expires_in: 60 });
  const waiting = await deviceServer(t, [pending], { interval: 1, expires_in: 60 });
  const m = await machine(t);
  const args = (s: DeviceServer, ...more: string[]) => ['--device', '--issuer', s.issuer, '--client-id', 'cli', '--no-qr', ...more];
  const [e, d, w] = await Promise.all([
    loginOnce(t, args(expired), m.env),
    loginOnce(t, args(denied), m.env),
    loginOnce(t, args(waiting, '--timeout', '2'), m.env),
  ]);
  t.is(e.code, 1, e.stderr);
  t.regex(e.stderr, /the device code expired before the approval; nothing was stored/);
  t.is(d.code, 1, d.stderr);
  t.regex(d.stderr, /the authorization was denied \(the user said no\); nothing was stored/);
  t.is(w.code, 1, w.stderr);
  t.regex(w.stderr, /no approval within 2 s; nothing was stored/);
  t.deepEqual(await storedNames(m.home), []);
});

test('--device where the server offers no device grant is a usage error; without a mode login falls back to paste and says so', async (t) => {
  const sb = await startSandbox({ profile: 'generic' });
  t.teardown(() => sb.close());
  const m = await machine(t);
  const r = await loginOnce(t, ['--device', '--issuer', sb.url, '--client-id', sb.client.id], m.env);
  t.is(r.code, 2, r.stderr);
  t.regex(r.stderr, /offers no device authorization endpoint \(RFC 8628\): use --paste, or give --device-authorization-endpoint/);
  const auto = await loginOnce(t, ['--issuer', sb.url, '--client-id', sb.client.id, '--redirect-uri', 'http://127.0.0.1:53682/callback'], m.env);
  t.regex(auto.stderr, /offers no device authorization grant: using --paste/);
  t.is(auto.code, 2, 'then stdin was empty');
});

// ─── oidc-provider with its device flow, and a real browser ───

test('oidc-provider: a real browser enters the user code shown by login and approves; the stored grant works', async (t) => {
  const op = await startOidcProvider({ deviceFlow: true });
  t.teardown(() => op.close());
  const m = await machine(t, { OAUTH_HANDOFF_CLIENT_SECRET: op.client.secret });
  const run = startLogin(t, ['--issuer', op.issuer, '--client-id', op.client.id, '--scope', 'openid offline_access', '--name', 'op'], m.env);
  const shown = await run.waitForStderr(/open (\S+) and enter this code:\n\n {4}(\S+)\n/);
  await run.waitForStderr(/waiting for the approval/);
  t.regex(run.stderr(), /using --device/);
  t.notRegex(run.stderr(), /▄/, 'no QR code into a pipe: nobody can scan it there');

  await approveDeviceCode(await (await browserFor(t)).newPage(t), shown[1] as string, shown[2] as string);

  const r = await run.done;
  t.is(r.code, 0, r.stderr);
  t.regex(r.stderr, /refresh token: +present/);
  const tok = await runCli(['token', 'op'], { env: m.env });
  t.is(tok.code, 0, tok.stderr);
  const me = await fetch(`${op.issuer}/me`, { headers: { authorization: `Bearer ${tok.stdout.trim()}` } });
  t.is(me.status, 200, 'the access token is accepted by the server');
  t.is(((await me.json()) as { sub: string }).sub, 'user-1');
  const rf = await runCli(['refresh', 'op'], { env: m.env });
  t.is(rf.code, 0, `the stored refresh token works: ${rf.stderr}`);
});

test('oidc-provider: a device code nobody approves expires, and login ends cleanly', async (t) => {
  const op = await startOidcProvider({ deviceFlow: true, deviceCodeTtl: 2 });
  t.teardown(() => op.close());
  const m = await machine(t, { OAUTH_HANDOFF_CLIENT_SECRET: op.client.secret });
  const r = await loginOnce(t, ['--device', '--issuer', op.issuer, '--client-id', op.client.id, '--scope', 'openid', '--no-qr'], m.env);
  t.is(r.code, 1, r.stderr);
  t.regex(r.stderr, /the device code expired \(after 2 s\); nothing was stored/);
  t.deepEqual(await storedNames(m.home), []);
});
