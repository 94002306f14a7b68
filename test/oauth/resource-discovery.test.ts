/**
 * From a resource URL alone (issue 17), against real parts: a protected
 * resource on 127.0.0.1 serving RFC 9728 metadata and 401 challenges, and
 * oidc-provider with dynamic registration (RFC 7591/7592) and resource
 * indicators (RFC 8707, JWT access tokens bound to the resource's audience).
 */
import test from 'ava';
import type { ExecutionContext } from 'ava';
import { Writable } from 'node:stream';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authorizationUrl, checkOAuth21, exchangeAuthorizationCode, newPendingAuthorization, resolveTarget, settingsFromTokens } from '../../src/authorization/index.js';
import { forgetCommand } from '../../src/headless-side/index.js';
import { isHandoffError } from '../../src/errors.js';
import {
  buildAuthorizationUrl,
  clientDeleteRequest,
  createHttpClient,
  discoverResource,
  parseAuthorizationResponse,
  parseBearerChallenge,
  processClientDeleteResponse,
  processRegistrationResponse,
  processTokenResponse,
  refreshTokenGrantRequest,
  resourceMetadataUrls,
} from '../../src/oauth/index.js';
import { createOutput } from '../../src/terminal/index.js';
import { storeWith } from '../helpers/fixtures.js';
import { driveInteractions } from '../helpers/oidc-server.js';
import { RESOURCE_SCOPE as SCOPE, startProtectedResource, startResourceWorld } from '../helpers/protected-resource.js';


function sink(): Writable {
  return new Writable({ write: (_c, _e, cb) => cb() });
}
const quiet = () => createOutput({ stderr: sink(), stdout: sink(), env: {} });

const world = startResourceWorld;

test('the well-known URL is inserted before the path, with the origin\'s as the fallback (RFC 9728 §3.1)', (t) => {
  t.deepEqual(resourceMetadataUrls('https://api.example.com/v1/mcp'), [
    'https://api.example.com/.well-known/oauth-protected-resource/v1/mcp',
    'https://api.example.com/.well-known/oauth-protected-resource',
  ]);
  t.deepEqual(resourceMetadataUrls('https://api.example.com/'), ['https://api.example.com/.well-known/oauth-protected-resource']);
  t.deepEqual(resourceMetadataUrls('https://api.example.com/r?x=1'), [
    'https://api.example.com/.well-known/oauth-protected-resource/r?x=1',
    'https://api.example.com/.well-known/oauth-protected-resource',
  ]);
  t.throws(() => resourceMetadataUrls('https://api.example.com/r#frag'), { message: /fragment/ });
});

test('the Bearer challenge is read among others, quoted values unescaped (RFC 9110 §11.6.1)', (t) => {
  t.deepEqual(parseBearerChallenge('Bearer resource_metadata="https://r.example/.well-known/oauth-protected-resource/x", scope="a b"'), {
    resource_metadata: 'https://r.example/.well-known/oauth-protected-resource/x',
    scope: 'a b',
  });
  t.deepEqual(parseBearerChallenge('Basic realm="x", Bearer realm="q\\"uote", error=invalid_token, DPoP algs="ES256"'), {
    realm: 'q"uote',
    error: 'invalid_token',
  });
  t.is(parseBearerChallenge('Basic realm="x"'), undefined);
  t.deepEqual(parseBearerChallenge('Bearer'), {});
});

test('discovery finds the metadata through the 401 challenge, and through the well-known URL when there is none', async (t) => {
  const { rs, op } = await world(t);
  const http = await createHttpClient();
  const viaChallenge = await discoverResource(http, rs.url);
  t.is(viaChallenge.foundBy, 'challenge');
  t.is(viaChallenge.resource, rs.url);
  t.deepEqual(viaChallenge.authorization_servers, [op.issuer]);
  t.deepEqual(viaChallenge.scopes_supported, [SCOPE]);

  const quietRs = await startProtectedResource({ challenge: false });
  t.teardown(() => quietRs.close());
  quietRs.trust([op.issuer], op.publicKey);
  const viaWellKnown = await discoverResource(http, quietRs.url);
  t.is(viaWellKnown.foundBy, 'well-known');
  t.is(viaWellKnown.metadataUrl, quietRs.metadataUrl);
});

test('metadata that names a different resource is refused (RFC 9728 §3.3), whichever way it was found', async (t) => {
  for (const challenge of [true, false]) {
    const rs = await startProtectedResource({ challenge, claimResource: 'https://elsewhere.example/mcp' });
    t.teardown(() => rs.close());
    const e = await t.throwsAsync(discoverResource(await createHttpClient(), rs.url));
    t.true(isHandoffError(e, 'PROVIDER_ERROR'), String(e));
    t.regex(e!.message, /is for the resource https:\/\/elsewhere\.example\/mcp, not .*RFC 9728 §3\.3/);
  }
});

test('a resource without metadata anywhere is a PROVIDER_ERROR naming what was tried', async (t) => {
  const rs = await startProtectedResource({ challenge: false, wellKnown: false });
  t.teardown(() => rs.close());
  const e = await t.throwsAsync(discoverResource(await createHttpClient(), rs.url));
  t.true(isHandoffError(e, 'PROVIDER_ERROR'));
  t.regex(e!.message, /no protected resource metadata \(RFC 9728\)/);
});

test('from the resource URL alone: register a public client, authorize with the resource, and the resource accepts the token, refreshed too', async (t) => {
  const { rs, op } = await world(t);
  const http = await createHttpClient();
  const target = await resolveTarget({ resource: rs.url }, { http: async () => http, out: quiet(), env: {} });
  t.is(target.resource, rs.url);
  t.is(target.client.auth_method, 'none', 'a native public client with PKCE');
  t.true(target.pkce);
  t.true(target.oauth21);
  t.deepEqual(target.scopes, [SCOPE], 'the scopes the resource lists');
  t.truthy(target.registration?.registration_access_token);
  t.regex(target.registration?.registration_client_uri ?? '', new RegExp(`^${op.issuer}/reg/`));

  // the front channel at oidc-provider (login and consent forms), on a port the client did not register
  const redirectUri = 'http://127.0.0.1:49321/callback';
  const pending = newPendingAuthorization(target);
  const url = new URL(authorizationUrl(target, pending, redirectUri, { prompt: 'consent' }));
  t.is(url.searchParams.get('resource'), rs.url);
  t.is(url.searchParams.get('code_challenge_method'), 'S256');
  const location = await driveInteractions(op.issuer, url.href, redirectUri, 'user-1');
  const { code } = parseAuthorizationResponse(location, { state: pending.state, allowMissingState: false, redirectUri, issuer: op.issuer });
  const tokens = await exchangeAuthorizationCode(http, target, { code, redirectUri, codeVerifier: pending.pkce!.verifier });
  t.truthy(tokens.refresh_token);

  const call = (token: string) => fetch(rs.url, { headers: { authorization: `Bearer ${token}` } });
  t.is((await call(tokens.access_token)).status, 200, 'the resource accepts a token whose audience is itself');

  const settings = settingsFromTokens({ ...target, name: 'mcp', tokens, obtainedAt: Date.now(), via: 'test', redirectUri });
  t.is(settings.resource, rs.url);
  t.is(settings.client.id, target.client.id);
  t.truthy(settings.client.registration_access_token);

  const refreshed = processTokenResponse(await refreshTokenGrantRequest(http, target.endpoints, settings.client, tokens.refresh_token!, { resource: settings.resource! }));
  t.not(refreshed.access_token, tokens.access_token);
  t.is((await call(refreshed.access_token)).status, 200, 'the refreshed token is for the resource too');

  // RFC 7592: the registration access token deletes the client; its refresh token dies with it
  processClientDeleteResponse(await clientDeleteRequest(http, settings.client.registration_client_uri!, settings.client.registration_access_token!));
  const after = await refreshTokenGrantRequest(http, target.endpoints, settings.client, refreshed.refresh_token!, { resource: rs.url });
  t.true(after.status >= 400, 'a deleted client can no longer refresh');
});

test('a token without the resource indicator is not accepted by the resource (audience check is real)', async (t) => {
  const { rs, op } = await world(t);
  const http = await createHttpClient();
  const target = await resolveTarget({ resource: rs.url }, { http: async () => http, out: quiet(), env: {} });
  const redirectUri = 'http://127.0.0.1:49322/callback';
  const pending = newPendingAuthorization(target);
  // the same request without `resource`: oidc-provider issues an opaque token for its own userinfo
  const url = buildAuthorizationUrl(target.endpoints, {
    clientId: target.client.id,
    redirectUri,
    scope: SCOPE,
    state: pending.state,
    pkce: pending.pkce!,
    extra: { prompt: 'consent' },
  });
  const location = await driveInteractions(op.issuer, url, redirectUri, 'user-1');
  const { code } = parseAuthorizationResponse(location, { state: pending.state, allowMissingState: false, redirectUri });
  const tokens = await exchangeAuthorizationCode(http, { endpoints: target.endpoints, client: target.client }, { code, redirectUri, codeVerifier: pending.pkce!.verifier });
  const res = await fetch(rs.url, { headers: { authorization: `Bearer ${tokens.access_token}` } });
  t.is(res.status, 401);
  t.regex(res.headers.get('www-authenticate') ?? '', /resource_metadata=/);
});

test('without --client-id and without a registration endpoint: a USAGE error asking for --client-id', async (t) => {
  const { rs } = await world(t, { registration: false });
  const http = await createHttpClient();
  const e = await t.throwsAsync(resolveTarget({ resource: rs.url }, { http: async () => http, out: quiet(), env: {} }));
  t.true(isHandoffError(e, 'USAGE'), String(e));
  t.regex(e!.message, /client ID is missing: the authorization server .* offers no dynamic client registration \(RFC 7591\), so give --client-id/);
});

test('several authorization servers: --issuer picks one it names, another is refused, and the choice is asked otherwise', async (t) => {
  const { rs, op } = await world(t);
  rs.trust([op.issuer, 'https://other-as.example'], op.publicKey, [SCOPE]);
  const http = await createHttpClient();
  const deps = { http: async () => http, out: quiet(), env: {} };
  const picked = await resolveTarget({ resource: rs.url, issuer: op.issuer }, deps);
  t.is(picked.endpoints.issuer, op.issuer);
  const wrong = await t.throwsAsync(resolveTarget({ resource: rs.url, issuer: 'https://third.example' }, deps));
  t.true(isHandoffError(wrong, 'USAGE'));
  t.regex(wrong!.message, /does not name the authorization server https:\/\/third\.example/);
  const questions: string[] = [];
  const asked = await resolveTarget({ resource: rs.url }, {
    ...deps,
    choose: async (q, choices) => {
      questions.push(q);
      t.deepEqual(choices, [op.issuer, 'https://other-as.example']);
      return '1';
    },
  });
  t.is(asked.endpoints.issuer, op.issuer);
  t.is(questions.length, 1);
});

/** A grant for the resource with a registered client, as `authorize` makes it (the front channel over HTTP). */
async function registeredGrant(t: ExecutionContext, clientAuth?: 'client_secret_basic') {
  const { rs, op } = await world(t);
  const http = await createHttpClient();
  const target = await resolveTarget({ resource: rs.url, ...(clientAuth ? { clientAuth } : {}) }, { http: async () => http, out: quiet(), env: {} });
  const redirectUri = 'http://127.0.0.1:49323/callback';
  const pending = newPendingAuthorization(target);
  const location = await driveInteractions(op.issuer, authorizationUrl(target, pending, redirectUri, { prompt: 'consent' }), redirectUri, 'user-1');
  const { code } = parseAuthorizationResponse(location, { state: pending.state, allowMissingState: false, redirectUri });
  const tokens = await exchangeAuthorizationCode(http, target, { code, redirectUri, codeVerifier: pending.pkce!.verifier });
  const settings = settingsFromTokens({ ...target, name: 'mcp', tokens, obtainedAt: Date.now(), via: 'test', redirectUri });
  return { rs, op, http, target, settings };
}

test('--client-auth client_secret_basic registers a confidential client: its secret is kept and used for the refresh', async (t) => {
  const { rs, http, target, settings } = await registeredGrant(t, 'client_secret_basic');
  t.is(settings.client.auth_method, 'client_secret_basic');
  t.truthy(settings.client.secret);
  t.is(settings.client.secret_expires_at, undefined, 'oidc-provider issues secrets that do not expire (0)');
  const refreshed = processTokenResponse(await refreshTokenGrantRequest(http, target.endpoints, settings.client, settings.token.refresh_token!, { resource: rs.url }));
  t.is((await fetch(rs.url, { headers: { authorization: `Bearer ${refreshed.access_token}` } })).status, 200);
});

test('forget --revoke of a registered client: asked, and answered no, the client is kept and the warning says so; --delete-client deletes it; an unregistered one is a usage error', async (t) => {
  const { op, settings } = await registeredGrant(t);
  const base = await mkdtemp(join(tmpdir(), 'oh-forget-'));
  t.teardown(() => rm(base, { recursive: true, force: true }));
  const home = join(base, 'store');
  await storeWith(home, settings, { ...settings, name: 'again' }, { ...settings, name: 'plain', client: { id: settings.client.id, auth_method: 'none' } });
  const lines: string[] = [];
  const out = createOutput({ stderr: new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }), stdout: sink(), env: {} });

  const asked: string[] = [];
  t.is(await forgetCommand({ store: home, name: 'mcp', revoke: true, out, confirm: async (q) => (asked.push(q), false) }), 0);
  t.regex(asked[0] ?? '', /"mcp" uses a client oauth-handoff registered at the server .*delete that client too \(RFC 7592\)\? \[y\/N\]/);
  t.regex(lines.join(''), /still exists at the server/);
  const reg = `${settings.client.registration_client_uri}`;
  const bearer = { authorization: `Bearer ${settings.client.registration_access_token}` };
  t.is((await fetch(reg, { headers: bearer })).status, 200, 'the client is still registered');

  const plain = await t.throwsAsync(forgetCommand({ store: home, name: 'plain', deleteClient: true, out }));
  t.true(isHandoffError(plain, 'USAGE'));
  t.regex(plain!.message, /has no client registered by oauth-handoff/);

  t.is(await forgetCommand({ store: home, name: 'again', deleteClient: true, out }), 0);
  t.regex(lines.join(''), /deleted the client oauth-handoff registered for "again"/);
  t.true((await fetch(reg, { headers: bearer })).status >= 400, 'the client is gone (RFC 7592)');
  t.truthy(op.issuer);
});

test('OAuth 2.1 where claimed: a server found from a resource without S256 is refused; metadata with S256 and no implicit or password grant claims it', (t) => {
  const meta = (extra: Record<string, unknown>) => ({ issuer: 'https://as.example', token_endpoint: 'https://as.example/token', metadataUrl: '', raw: {}, ...extra });
  const e = t.throws(() => checkOAuth21(meta({ code_challenge_methods_supported: ['plain'] }), true));
  t.true(isHandoffError(e, 'PROVIDER_ERROR'));
  t.regex(e!.message, /does not support PKCE S256, which OAuth 2\.1 requires/);
  t.true(checkOAuth21(meta({}), true), 'from a resource: 2.1 rules, S256 sent even when the server does not list methods');
  t.true(checkOAuth21(meta({ code_challenge_methods_supported: ['S256'], grant_types_supported: ['authorization_code', 'refresh_token'] }), false));
  t.false(checkOAuth21(meta({ code_challenge_methods_supported: ['S256'], grant_types_supported: ['authorization_code', 'password'] }), false));
  t.false(checkOAuth21(meta({ code_challenge_methods_supported: ['S256'], response_types_supported: ['code', 'token'] }), false));
  t.false(checkOAuth21(meta({}), false));
});

test('a registration response: the method the server registered wins, a secret that expires keeps its time, 0 means never', (t) => {
  const res = (status: number, body: unknown) => ({
    status,
    headers: { 'content-type': 'application/json' },
    body,
    text: JSON.stringify(body),
    receivedAt: 0,
    request: { method: 'POST' as const, url: 'https://as.example/reg' },
  });
  const asked = { redirect_uris: ['http://127.0.0.1/callback'], client_name: 'x', application_type: 'native' as const, token_endpoint_auth_method: 'none' as const, grant_types: ['authorization_code'], response_types: ['code'] };
  const r = processRegistrationResponse(res(201, { client_id: 'c1', client_secret: 's3cret', client_secret_expires_at: 2_000_000_000, token_endpoint_auth_method: 'client_secret_post' }), asked);
  t.deepEqual(r.client, { id: 'c1', secret: 's3cret', auth_method: 'client_secret_post' });
  t.is(r.client_secret_expires_at, 2_000_000_000);
  t.is(processRegistrationResponse(res(201, { client_id: 'c2', client_secret: 's', client_secret_expires_at: 0, token_endpoint_auth_method: 'client_secret_basic' }), asked).client_secret_expires_at, undefined);
  t.deepEqual(processRegistrationResponse(res(201, { client_id: 'c3' }), asked).client, { id: 'c3', auth_method: 'none' });
  const refused = t.throws(() => processRegistrationResponse(res(400, { error: 'invalid_redirect_uri', error_description: 'no' }), asked));
  t.true(isHandoffError(refused, 'PROVIDER_ERROR'));
  t.regex(refused!.message, /refused the redirect URI/);
  t.throws(() => processRegistrationResponse(res(201, { client_id: 'c4', token_endpoint_auth_method: 'client_secret_basic' }), asked), { message: /without a client_secret/ });
  t.throws(() => processRegistrationResponse(res(201, { client_id: 'c5', registration_access_token: 'bad token\r\n', registration_client_uri: 'https://as.example/reg/c5' }), asked), {
    message: /characters a bearer token cannot have/,
  });
});
