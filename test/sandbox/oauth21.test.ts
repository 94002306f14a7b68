/**
 * The oauth21 profile over HTTP: RFC 9728 protected resource metadata and the
 * 401 challenge, RFC 8414 metadata with RFC 7591 registration and RFC 7592
 * read/delete, RFC 8707 resource indicators binding tokens to one resource,
 * PKCE S256 always, exact redirect matching except loopback ports.
 */
import test from 'ava';
import type { Sandbox } from '../../src/sandbox/index.js';
import { clock, codeFor, getWithToken, openApprovalPage, pkce, postForm, start, type Reply } from './helpers.js';

const LOOPBACK = 'http://127.0.0.1/callback';

async function registerClient(s: Sandbox, body: Record<string, unknown>): Promise<Reply> {
  const r = await fetch(s.endpoints.registration!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, headers: r.headers, body: JSON.parse(text), text };
}

/** A public client registered the way oauth-handoff registers: native, loopback redirect, auth method none. */
async function publicClient(s: Sandbox): Promise<{ client_id: string; registration_access_token: string; registration_client_uri: string }> {
  const r = await registerClient(s, {
    redirect_uris: [LOOPBACK],
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
    client_name: 'oauth-handoff on test',
  });
  if (r.status !== 201) throw new Error(r.text);
  return r.body;
}

/** Authorization code → tokens for a public client, with PKCE and a resource. */
async function tokensFor(s: Sandbox, clientId: string, resource: string | undefined, port = 40123): Promise<Reply> {
  const { verifier, challenge } = pkce();
  const redirectUri = `http://127.0.0.1:${port}/callback`;
  const code = await codeFor(s, { client: { id: clientId, redirectUris: [] }, redirectUri, challenge, method: 'S256', ...(resource ? { resource } : {}) });
  return postForm(s.endpoints.token, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri,
    client_id: clientId,
    code_verifier: verifier,
    ...(resource ? { resource } : {}),
  });
}

test('RFC 9728: the resource answers 401 with resource_metadata, and its metadata names the authorization server', async (t) => {
  const s = await start(t, { profile: 'oauth21', autoApprove: true });
  t.is(s.endpoints.resource, `${s.url}/mcp`);
  const bare = await getWithToken(s.endpoints.resource!, undefined);
  t.is(bare.status, 401);
  t.is(bare.headers.get('www-authenticate'), `Bearer resource_metadata="${s.url}/.well-known/oauth-protected-resource/mcp"`);
  const meta = (await (await fetch(`${s.url}/.well-known/oauth-protected-resource/mcp`)).json()) as Record<string, unknown>;
  t.is(meta.resource, `${s.url}/mcp`);
  t.deepEqual(meta.authorization_servers, [s.url]);
  t.deepEqual(meta.bearer_methods_supported, ['header']);
  const as = (await (await fetch(`${s.url}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
  t.is(as.issuer, s.url);
  t.is(as.registration_endpoint, `${s.url}/register`);
  t.deepEqual(as.code_challenge_methods_supported, ['S256']);
  t.true((as.token_endpoint_auth_methods_supported as string[]).includes('none'));
  t.is((await fetch(`${s.url}/.well-known/oauth-protected-resource`)).status, 404, 'no metadata for the bare origin: it is no resource');
  const home = await (await fetch(s.url, { headers: { 'accept-language': 'ja' } })).text();
  t.true(home.includes(`<dt>保護リソース</dt><dd>${s.url}/mcp</dd>`), 'the index page lists the resource, in the browser\'s language');
  const liar = (await (await fetch(`${s.url}/.well-known/oauth-protected-resource/misconfigured`)).json()) as Record<string, unknown>;
  t.is(liar.resource, `${s.url}/mcp`, 'a misconfigured resource, for clients to refuse (RFC 9728 §3.3)');
});

test('RFC 7591: a public client registers, gets a token bound to the resource with PKCE, and only that resource accepts it', async (t) => {
  const s = await start(t, { profile: 'oauth21', autoApprove: true });
  const reg = await publicClient(s);
  t.regex(reg.client_id, /^dyn-/);
  t.false('client_secret' in reg, 'auth method none: no secret');
  const tok = await tokensFor(s, reg.client_id, s.endpoints.resource);
  t.is(tok.status, 200, tok.text);
  const at = tok.body.access_token as string;
  const ok = await getWithToken(s.endpoints.resource!, at);
  t.is(ok.status, 200, ok.text);
  t.is(ok.body.resource, s.endpoints.resource);
  t.is(ok.body.client_id, reg.client_id);
  t.is((await getWithToken(s.endpoints.resource!, at, 'POST')).status, 200, 'MCP clients POST');
  const other = await getWithToken(`${s.url}/files`, at);
  t.is(other.status, 401, 'a token for /mcp is not a token for /files');
  t.regex(other.headers.get('www-authenticate') ?? '', /error="invalid_token".*resource_metadata="[^"]+\/files"/);
  // the refresh keeps the binding; naming another resource is invalid_target
  const wrong = await postForm(s.endpoints.token, { grant_type: 'refresh_token', refresh_token: tok.body.refresh_token, client_id: reg.client_id, resource: `${s.url}/files` });
  t.is(wrong.status, 400);
  t.is(wrong.body.error, 'invalid_target');
  const fresh = await postForm(s.endpoints.token, { grant_type: 'refresh_token', refresh_token: tok.body.refresh_token, client_id: reg.client_id, resource: s.endpoints.resource });
  t.is(fresh.status, 200, fresh.text);
  t.is((await getWithToken(s.endpoints.resource!, fresh.body.access_token)).status, 200);
});

test('a token issued without a resource opens no protected resource (only /api/me)', async (t) => {
  const s = await start(t, { profile: 'oauth21', autoApprove: true });
  const reg = await publicClient(s);
  const tok = await tokensFor(s, reg.client_id, undefined);
  t.is(tok.status, 200);
  t.is((await getWithToken(s.endpoints.resource!, tok.body.access_token)).status, 401);
  t.is((await getWithToken(s.endpoints.api, tok.body.access_token)).status, 200, '/api/me takes any valid token');
});

test('RFC 8707: unknown or malformed resources are invalid_target; the token request may not switch resources', async (t) => {
  const s = await start(t, { profile: 'oauth21', autoApprove: true });
  const reg = await publicClient(s);
  const { challenge, verifier } = pkce();
  const client = { id: reg.client_id, redirectUris: [] };
  for (const resource of ['https://elsewhere.example/mcp', 'not a uri', `${s.url}/mcp#frag`]) {
    const page = await openApprovalPage(s, { client, redirectUri: LOOPBACK, challenge, method: 'S256', resource });
    t.is(page.status, 302);
    t.is(new URL(page.location!).searchParams.get('error'), 'invalid_target', resource);
  }
  const code = await codeFor(s, { client, redirectUri: LOOPBACK, challenge, method: 'S256', resource: s.endpoints.resource! });
  const r = await postForm(s.endpoints.token, { grant_type: 'authorization_code', code, redirect_uri: LOOPBACK, client_id: reg.client_id, code_verifier: verifier, resource: `${s.url}/files` });
  t.is(r.status, 400);
  t.is(r.body.error, 'invalid_target');
});

test('OAuth 2.1: PKCE S256 on every request, plain refused; exact redirect except the loopback port', async (t) => {
  const s = await start(t, { profile: 'oauth21', autoApprove: true });
  const reg = await publicClient(s);
  const client = { id: reg.client_id, redirectUris: [] };
  const none = await openApprovalPage(s, { client, redirectUri: LOOPBACK });
  t.is(new URL(none.location!).searchParams.get('error'), 'invalid_request');
  t.regex(new URL(none.location!).searchParams.get('error_description')!, /PKCE/);
  const { verifier } = pkce();
  const plain = await openApprovalPage(s, { client, redirectUri: LOOPBACK, challenge: verifier, method: 'plain' });
  t.is(new URL(plain.location!).searchParams.get('error'), 'invalid_request');
  const { challenge } = pkce();
  const anyPort = await openApprovalPage(s, { client, redirectUri: 'http://127.0.0.1:51234/callback', challenge, method: 'S256' });
  t.is(anyPort.status, 302);
  t.truthy(new URL(anyPort.location!).searchParams.get('code'));
  for (const redirectUri of ['http://127.0.0.1:51234/other', 'http://localhost:51234/callback', 'https://127.0.0.1/callback']) {
    const bad = await openApprovalPage(s, { client, redirectUri, challenge, method: 'S256' });
    t.is(bad.status, 400, redirectUri);
  }
  const implicit = await openApprovalPage(s, { client, redirectUri: LOOPBACK, challenge, method: 'S256', responseType: 'token' });
  t.is(new URL(implicit.location!).searchParams.get('error'), 'unsupported_response_type');
  const password = await postForm(s.endpoints.token, { grant_type: 'password', username: 'alice', password: 'x', client_id: reg.client_id });
  t.is(password.body.error, 'unsupported_grant_type');
});

test('RFC 7591: metadata is checked (redirect URIs, grant types, auth method, JSON)', async (t) => {
  const s = await start(t, { profile: 'oauth21' });
  const cases: [Record<string, unknown>, string][] = [
    [{ redirect_uris: ['http://example.com/cb'] }, 'invalid_redirect_uri'],
    [{ redirect_uris: ['http://127.0.0.1/cb#x'] }, 'invalid_redirect_uri'],
    [{ redirect_uris: [] }, 'invalid_redirect_uri'],
    [{ redirect_uris: [LOOPBACK], grant_types: ['implicit'] }, 'invalid_client_metadata'],
    [{ redirect_uris: [LOOPBACK], grant_types: ['password'] }, 'invalid_client_metadata'],
    [{ redirect_uris: [LOOPBACK], token_endpoint_auth_method: 'private_key_jwt' }, 'invalid_client_metadata'],
    [{ redirect_uris: [LOOPBACK], scope: 'read launch-missiles' }, 'invalid_client_metadata'],
  ];
  for (const [body, error] of cases) {
    const r = await registerClient(s, body);
    t.is(r.status, 400, JSON.stringify(body));
    t.is(r.body.error, error, JSON.stringify(body));
  }
  const form = await fetch(s.endpoints.registration!, { method: 'POST', body: new URLSearchParams({ redirect_uris: LOOPBACK }) });
  t.is(form.status, 400);
});

test('RFC 7591 / 7592: a confidential client gets a secret with its expiry, reads itself with the registration token, and is deleted with it', async (t) => {
  const c = clock();
  const s = await start(t, { profile: 'oauth21', autoApprove: true, registeredSecretTtl: 3600, now: c.now });
  const r = await registerClient(s, { redirect_uris: [LOOPBACK], token_endpoint_auth_method: 'client_secret_post', grant_types: ['authorization_code', 'refresh_token'], client_name: 'oauth-handoff on box' });
  t.is(r.status, 201);
  t.is(r.headers.get('cache-control'), 'no-store');
  const reg = r.body as Record<string, string | number>;
  t.is(typeof reg.client_secret, 'string');
  t.is(reg.client_secret_expires_at, Math.floor(c.now() / 1000) + 3600);
  t.is(reg.client_id_issued_at, Math.floor(c.now() / 1000));
  t.is(reg.registration_client_uri, `${s.url}/register/${reg.client_id}`);
  t.is(reg.token_endpoint_auth_method, 'client_secret_post');

  const read = await getWithToken(reg.registration_client_uri as string, reg.registration_access_token as string);
  t.is(read.status, 200);
  t.is(read.body.client_id, reg.client_id);
  t.is(read.body.client_name, 'oauth-handoff on box');
  t.is((await getWithToken(reg.registration_client_uri as string, 'wrong-token')).status, 401);
  t.is((await getWithToken(reg.registration_client_uri as string, undefined)).status, 401);
  t.is((await getWithToken(`${s.url}/register/dyn-unknown`, reg.registration_access_token as string)).status, 401, 'RFC 7592: unknown client is 401 too');

  // a grant, then the client authenticates only the way it registered
  const grant = await s.mintGrant({ clientId: reg.client_id as string, resource: s.endpoints.resource! });
  const basic = `Basic ${Buffer.from(`${reg.client_id}:${reg.client_secret}`).toString('base64')}`;
  const viaBasic = await postForm(s.endpoints.token, { grant_type: 'refresh_token', refresh_token: grant.refresh_token }, { Authorization: basic });
  t.is(viaBasic.body.error, 'invalid_client');
  const viaPost = await postForm(s.endpoints.token, { grant_type: 'refresh_token', refresh_token: grant.refresh_token, client_id: reg.client_id as string, client_secret: reg.client_secret as string });
  t.is(viaPost.status, 200, viaPost.text);
  const at = viaPost.body.access_token as string;

  // the secret expires
  c.advance(3601);
  const late = await postForm(s.endpoints.token, { grant_type: 'refresh_token', refresh_token: viaPost.body.refresh_token, client_id: reg.client_id as string, client_secret: reg.client_secret as string });
  t.is(late.body.error, 'invalid_client');
  t.regex(late.body.error_description, /expired/);
  c.advance(-3601);

  // delete: the client and its tokens are gone
  const del = await fetch(reg.registration_client_uri as string, { method: 'DELETE', headers: { Authorization: `Bearer ${reg.registration_access_token}` } });
  t.is(del.status, 204);
  t.is((await getWithToken(s.endpoints.resource!, at)).status, 401);
  t.is((await getWithToken(reg.registration_client_uri as string, reg.registration_access_token as string)).status, 401);
  const after = await postForm(s.endpoints.token, { grant_type: 'refresh_token', refresh_token: viaPost.body.refresh_token, client_id: reg.client_id as string, client_secret: reg.client_secret as string });
  t.is(after.body.error, 'invalid_client');
});

test('profiles without registration or resource indicators are unchanged', async (t) => {
  const s = await start(t, { profile: 'generic', autoApprove: true });
  t.is(s.endpoints.registration, undefined);
  t.is((await fetch(`${s.url}/register`, { method: 'POST' })).status, 404);
  const meta = (await (await fetch(`${s.url}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
  t.false('registration_endpoint' in meta);
  const { challenge } = pkce();
  const page = await openApprovalPage(s, { redirectUri: 'http://127.0.0.1:5000/callback', challenge, method: 'S256', resource: 'https://elsewhere.example/' });
  t.truthy(new URL(page.location!).searchParams.get('code'), 'the resource parameter is ignored where the server does not know it');
});

test('confidentialClients: no public clients, so registration issues secrets', async (t) => {
  const s = await start(t, { profile: 'oauth21', confidentialClients: true });
  const as = (await (await fetch(`${s.url}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
  t.false((as.token_endpoint_auth_methods_supported as string[]).includes('none'));
  const pub = await registerClient(s, { redirect_uris: [LOOPBACK], token_endpoint_auth_method: 'none' });
  t.is(pub.status, 400);
  t.is(pub.body.error, 'invalid_client_metadata');
  const conf = await registerClient(s, { redirect_uris: [LOOPBACK] });
  t.is(conf.status, 201);
  t.is(conf.body.token_endpoint_auth_method, 'client_secret_basic', 'the RFC 7591 default');
  t.is(typeof conf.body.client_secret, 'string');
  t.is(conf.body.client_secret_expires_at, 0, 'no --registered-secret-ttl: it never expires');
});
