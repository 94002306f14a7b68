/** The loopback listener and the small pieces around it, called directly (no CLI process). */
import test from 'ava';
import { request } from 'node:http';
import { createServer } from 'node:net';
import {
  canOpenBrowser,
  explainProviderError,
  osc52,
  parseLoopbackRedirectUri,
  settingsFromTokens,
  startLoopbackListener,
} from '../../src/browser-side/index.js';
import type { LoopbackListener } from '../../src/browser-side/index.js';
import { CODES, HandoffError } from '../../src/errors.js';
import { getProvider } from '../../src/oauth/index.js';
import { get } from './helpers.js';

test('loopback redirect URIs are taken apart; anything off this machine is refused', (t) => {
  t.like(parseLoopbackRedirectUri('http://127.0.0.1/callback'), { host: '127.0.0.1', port: undefined, path: '/callback', bindAddresses: ['127.0.0.1'] });
  t.like(parseLoopbackRedirectUri('http://localhost:8765/cb?x=1'), { host: 'localhost', port: 8765, search: '?x=1', bindAddresses: ['127.0.0.1', '::1'] });
  t.like(parseLoopbackRedirectUri('http://[::1]:9000/'), { host: '[::1]', port: 9000, bindAddresses: ['::1'] });
  t.is(parseLoopbackRedirectUri('http://127.0.0.1:80/callback').port, 80, 'an explicit :80 is kept, not taken for "no port"');
  for (const bad of ['http://example.com/cb', 'http://10.0.0.1:8080/cb', 'https://127.0.0.1/cb', 'urn:ietf:wg:oauth:2.0:oob', 'http://127.0.0.1/cb#x', 'http://u:p@127.0.0.1/cb', 'not a url']) {
    const e = t.throws(() => parseLoopbackRedirectUri(bad), { instanceOf: HandoffError }, bad);
    t.is(e?.code, CODES.USAGE);
  }
});

async function listener(t: import('ava').ExecutionContext, uri: string, state = 'the-state', timeoutMs = 10_000): Promise<LoopbackListener> {
  const target = parseLoopbackRedirectUri(uri);
  const l = await startLoopbackListener({ target, port: target.port ?? 0, expect: { state, allowMissingState: false }, timeoutMs });
  t.teardown(() => l.close());
  return l;
}

test('"localhost" is served on both 127.0.0.1 and ::1, and the URI sent gets the bound port', async (t) => {
  const l = await listener(t, 'http://localhost/callback');
  t.regex(l.redirectUri, /^http:\/\/localhost:\d+\/callback$/);
  const v6 = await get(`http://[::1]:${l.port}/callback?code=c&state=the-state`);
  t.like(v6, { status: 200 });
  const cb = await l.callback;
  t.is(new URL(cb.url).searchParams.get('code'), 'c');
  t.false(cb.isError);
});

test('a request not addressed to a loopback host name (DNS rebinding) is refused and not accepted', async (t) => {
  const l = await listener(t, 'http://127.0.0.1/callback');
  const status = await new Promise<number>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: l.port, path: '/callback?code=c&state=the-state', headers: { host: 'attacker.example' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
  t.is(status, 400);
  t.deepEqual(l.refused(), { 'bad-host': 1 });
  t.like(await get(`http://127.0.0.1:${l.port}/callback?code=real&state=the-state`), { status: 200 });
  t.is(new URL((await l.callback).url).searchParams.get('code'), 'real');
});

test('a registered URI with a port is sent exactly as written; a busy port is a clear usage error', async (t) => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
  const port = (blocker.address() as { port: number }).port;
  const target = parseLoopbackRedirectUri(`http://127.0.0.1:${port}/cb`);
  const e = await t.throwsAsync(startLoopbackListener({ target, port, expect: { allowMissingState: true }, timeoutMs: 1000 }), { instanceOf: HandoffError });
  t.is(e?.code, CODES.USAGE);
  t.regex(e!.message, new RegExp(`port ${port} on 127.0.0.1 is already in use`));
});

test('closing before any redirect rejects the wait and frees the port', async (t) => {
  const l = await listener(t, 'http://127.0.0.1/callback');
  await l.close();
  const e = await t.throwsAsync(l.callback, { instanceOf: HandoffError });
  t.is(e?.code, CODES.ABORTED);
  t.like(await get(`http://127.0.0.1:${l.port}/callback`), { error: 'ECONNREFUSED' });
});

test('OSC 52 carries the text base64-encoded, wrapped for tmux when inside it', (t) => {
  t.is(osc52('hi', {}), '\x1b]52;c;aGk=\x07');
  t.is(osc52('hi', { TMUX: '/tmp/tmux-1000/default,1,0' }), '\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\');
});

test('a browser is opened only where one can be seen', (t) => {
  t.false(canOpenBrowser({}, 'linux'), 'a Linux console or container: no display');
  t.true(canOpenBrowser({ DISPLAY: ':0' }, 'linux'));
  t.false(canOpenBrowser({ SSH_CONNECTION: '1 2 3 4' }, 'darwin'), 'SSH into a Mac: it would open on the remote screen');
  t.true(canOpenBrowser({}, 'darwin'));
  t.true(canOpenBrowser({ WSL_DISTRO_NAME: 'Debian' }, 'linux'));
});

test('the settings record the refresh-token expiry the preset knows, or the one the server says', (t) => {
  const base = {
    name: 'q',
    endpoints: { authorization: 'https://x.questetra.net/oauth2/authorize', token: 'https://x.questetra.net/oauth2/token' },
    client: { id: 'c', secret: 's', auth_method: 'client_secret_post' as const },
    scopes: ['read'],
    obtainedAt: Date.UTC(2030, 0, 1),
    via: 'authorize',
  };
  const tokens = { access_token: 'a', token_type: 'Bearer', expires_in: 43200, refresh_token: 'r', raw: {} };
  const q = settingsFromTokens({ ...base, preset: getProvider('questetra'), tokens });
  t.is(q.token.refresh_token_expires_at, '2030-01-31T00:00:00.000Z', 'Questetra: 30 days');
  t.is(q.token.expires_at, '2030-01-01T12:00:00.000Z');
  t.is(q.created.via, 'authorize');
  const r = settingsFromTokens({ ...base, preset: getProvider('redmine'), tokens });
  t.is(r.token.refresh_token_expires_at, undefined, 'Redmine refresh tokens have no known expiry');
  const said = settingsFromTokens({ ...base, preset: getProvider('redmine'), tokens: { ...tokens, raw: { refresh_token_expires_in: 60 } } });
  t.is(said.token.refresh_token_expires_at, '2030-01-01T00:01:00.000Z');
});

test('provider errors name the likely cause from the preset; a refused code keeps exit 3 (authorize again)', (t) => {
  const ctx = { preset: getProvider('confluence'), step: 'token' as const, scopes: ['READ'], redirectUri: 'http://localhost:8765/callback', clientAuth: 'client_secret_post', hasSecret: true };
  const grant = explainProviderError(new HandoffError('x (invalid_grant)', { code: CODES.REAUTH_REQUIRED, oauth: { error: 'invalid_grant' } }), ctx) as HandoffError;
  t.is(grant.code, CODES.REAUTH_REQUIRED);
  t.regex(grant.message, /codes live 10 s on Confluence Data Center/);
  const mismatch = explainProviderError(
    new HandoffError('x', { code: CODES.PROVIDER_ERROR, oauth: { error: 'invalid_request', error_description: 'redirect_uri does not match' } }),
    { ...ctx, step: 'authorization' },
  ) as HandoffError;
  t.regex(mismatch.message, /must equal the registered one exactly, port included; plain http is accepted for localhost/);
  const other = new Error('not ours');
  t.is(explainProviderError(other, ctx), other);
});
