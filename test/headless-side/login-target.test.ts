/**
 * The rules `login` applies before anyone opens a browser: which redirect URI
 * per preset, which client authentication, what the stored settings hold.
 * Library calls, no processes (the discovery case talks to a real sandbox).
 */
import test from 'ava';
import { Writable } from 'node:stream';
import { CODES, HandoffError } from '../../src/errors.js';
import { chooseRedirect, createPasteRequest, resolveLoginTarget, scopesFrom, settingsFromTokens } from '../../src/headless-side/index.js';
import { createHttpClient, getProvider, pkceChallenge } from '../../src/oauth/index.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { validateSettings } from '../../src/settings-file/index.js';
import { createOutput } from '../../src/terminal/index.js';

const sink = () => new Writable({ write: (_chunk, _enc, done) => done() });
const quiet = () => createOutput({ stderr: sink(), stdout: sink(), env: {} });
const usage = (f: () => unknown, re: RegExp) => (t: import('ava').ExecutionContext) => {
  const e = t.throws(f) as HandoffError;
  t.is(e.code, CODES.USAGE);
  t.regex(e.message, re);
};

test('Redmine defaults to its out-of-band page (no state comes back); loopback picks a random high port on 127.0.0.1', (t) => {
  const redmine = getProvider('redmine');
  t.deepEqual(chooseRedirect({}, redmine), { uri: 'urn:ietf:wg:oauth:2.0:oob', kind: 'oob', allowMissingState: true });
  const lo = chooseRedirect({ redirect: 'loopback' }, redmine, { side: 'paste', random: () => 0.5 });
  t.is(lo.kind, 'url');
  t.false(lo.allowMissingState);
  t.regex(lo.uri, /^http:\/\/127\.0\.0\.1:\d{5}\/callback$/);
  const port = Number(new URL(chooseRedirect({ redirect: 'loopback' }, redmine, { side: 'paste', random: () => 0.999999 }).uri).port);
  t.true(port >= 61000 && port <= 65535, 'above the Linux ephemeral range, inside the IANA dynamic range');
});

test('exact-match presets need --redirect-uri; OOB only where a page is known; contradictions are usage errors', (t) => {
  usage(() => chooseRedirect({}, getProvider('confluence')), /matches the redirect URI exactly.*http:\/\/localhost:PORT\/callback/)(t);
  usage(() => chooseRedirect({ redirect: 'oob' }, getProvider('backlog')), /Backlog has no known out-of-band page/)(t);
  usage(() => chooseRedirect({ redirect: 'oob', redirectUri: 'http://127.0.0.1:1234/cb' }, getProvider('generic')), /contradicts/)(t);
  usage(() => chooseRedirect({ redirectUri: 'ftp://x/' }, getProvider('generic')), /http\(s\) URL/)(t);
  t.is(chooseRedirect({ redirectUri: 'http://localhost:8765/callback' }, getProvider('confluence')).uri, 'http://localhost:8765/callback');
  t.is(chooseRedirect({ redirect: 'oob' }, getProvider('generic')).kind, 'oob', 'a generic server may have an OOB page');
  t.is(chooseRedirect({ redirectUri: 'urn:ietf:wg:oauth:2.0:oob' }, getProvider('generic')).kind, 'oob');
});

test('scopes may be repeated or space-separated; the preset default applies when none is given', (t) => {
  t.deepEqual(scopesFrom(['read write', 'read', 'admin'], getProvider('generic')), ['read', 'write', 'admin']);
  t.deepEqual(scopesFrom([], getProvider('confluence')), ['READ']);
});

test('the authorization URL carries an S256 challenge of a verifier that stays in memory, and a fresh state each time', async (t) => {
  const sb = await startSandbox({ profile: 'redmine' });
  t.teardown(() => sb.close());
  const target = await resolveLoginTarget(
    { provider: 'redmine', site: `${sb.url}/projects/x/issues`, clientId: sb.client.id, clientSecret: 's' },
    { http: () => createHttpClient(), out: quiet(), env: {} },
  );
  t.is(target.site, sb.url, 'a page URL pasted as --site is cut back to the installation');
  t.deepEqual(target.client, { id: sb.client.id, secret: 's', auth_method: 'client_secret_basic' });
  const a = createPasteRequest(target, chooseRedirect({}, target.preset));
  const b = createPasteRequest(target, chooseRedirect({}, target.preset));
  const q = new URL(a.url).searchParams;
  t.is(q.get('code_challenge'), pkceChallenge(a.codeVerifier as string));
  t.false(a.url.includes(a.codeVerifier as string));
  t.not(a.state, b.state);
  t.not(a.codeVerifier, b.codeVerifier);
});

test('discovery supplies the endpoints and the client authentication the server supports; explicit options win', async (t) => {
  const sb = await startSandbox({ profile: 'generic' });
  t.teardown(() => sb.close());
  const deps = { http: () => createHttpClient(), out: quiet(), env: { OAUTH_HANDOFF_CLIENT_SECRET: 'from-env' } };
  const target = await resolveLoginTarget({ issuer: sb.url, clientId: 'c', revocationEndpoint: 'https://elsewhere.example/revoke' }, deps);
  t.is(target.endpoints.token, sb.endpoints.token);
  t.is(target.endpoints.authorization, sb.endpoints.authorization);
  t.is(target.endpoints.revocation, 'https://elsewhere.example/revoke');
  t.is(target.client.secret, 'from-env');
  t.true(target.pkce);
  const none = await resolveLoginTarget({ issuer: sb.url, clientId: 'c', clientAuth: 'none' }, deps);
  t.deepEqual(none.client, { id: 'c', auth_method: 'none' });
  await t.throwsAsync(resolveLoginTarget({ issuer: sb.url, clientId: 'c', clientAuth: 'magic' }, deps), { message: /unknown client authentication "magic"/ });
  await t.throwsAsync(resolveLoginTarget({ issuer: sb.url }, deps), { message: /client ID is missing/ });
});

test('the stored settings validate, keep the redirect URI and where they came from, and know the preset refresh-token lifetime', async (t) => {
  const now = Date.UTC(2030, 0, 1);
  const target = await resolveLoginTarget(
    { provider: 'confluence', site: 'https://wiki.example.com/display/SPACE', clientId: 'c', clientSecret: 's' },
    { http: () => createHttpClient(), out: quiet(), env: {} },
  );
  const s = settingsFromTokens(
    target,
    { access_token: 'at', token_type: 'Bearer', expires_in: 3600, refresh_token: 'rt', scope: 'READ', raw: {} },
    { name: 'wiki', now, via: 'login --paste', redirectUri: 'http://localhost:8765/callback' },
  );
  t.deepEqual(validateSettings(JSON.parse(JSON.stringify(s))), s);
  t.is(s.site, 'https://wiki.example.com');
  t.is(s.endpoints.token, 'https://wiki.example.com/rest/oauth2/latest/token');
  t.is(s.client.auth_method, 'client_secret_post');
  t.is(s.token.expires_at, '2030-01-01T01:00:00.000Z');
  t.is(s.token.refresh_token_expires_at, '2030-04-01T00:00:00.000Z', '90 days (Confluence)');
  t.is(s.created.via, 'login --paste');
  t.is(s.redirect_uri, 'http://localhost:8765/callback');
  t.deepEqual(s.health, { state: 'ok' });
});
