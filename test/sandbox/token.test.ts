import test from 'ava';
import type { SandboxClient } from '../../src/sandbox/index.js';
import { basic, callApi, clock, codeFor, exchange, pkce, postForm, refresh, start } from './helpers.js';

const CB = 'http://127.0.0.1:5002/callback';

test('an authorization code works once; a second use fails and (generic) revokes what the first one got', async (t) => {
  const s = await start(t, { autoApprove: true });
  const code = await codeFor(s, { redirectUri: CB });
  const first = await exchange(s, code, CB);
  t.is(first.status, 200);
  t.is((await callApi(s, first.body.access_token)).status, 200);
  const second = await exchange(s, code, CB);
  t.is(second.status, 400);
  t.is(second.body.error, 'invalid_grant');
  t.false(s.isAccessTokenValid(first.body.access_token));
  t.is((await refresh(s, first.body.refresh_token)).body.error, 'invalid_grant');
});

test('a code is bound to its client and redirect URI', async (t) => {
  const other: SandboxClient = { id: 'other', secret: 'other-secret', redirectUris: [CB] };
  const s = await start(t, { autoApprove: true, clients: [other] });
  const code = await codeFor(s, { redirectUri: CB });
  t.is((await exchange(s, code, 'http://127.0.0.1:5003/callback')).body.error, 'invalid_grant');
  t.is((await exchange(s, code, CB, {}, other)).body.error, 'invalid_grant');
  t.is((await exchange(s, code, CB)).status, 200);
});

test('a code with a PKCE challenge needs the matching verifier', async (t) => {
  const s = await start(t, { profile: 'redmine', autoApprove: true });
  const { verifier, challenge } = pkce();
  const code = await codeFor(s, { redirectUri: CB, challenge, method: 'S256' });
  t.is((await exchange(s, code, CB)).body.error, 'invalid_grant');
  t.is((await exchange(s, code, CB, { code_verifier: pkce().verifier })).body.error, 'invalid_grant');
  t.is((await exchange(s, code, CB, { code_verifier: verifier })).status, 200);

  const plainVerifier = pkce().verifier;
  const code2 = await codeFor(s, { redirectUri: CB, challenge: plainVerifier, method: 'plain' });
  t.is((await exchange(s, code2, CB, { code_verifier: plainVerifier })).status, 200);

  const code3 = await codeFor(s, { redirectUri: CB });
  t.is((await exchange(s, code3, CB, { code_verifier: verifier })).body.error, 'invalid_grant', 'verifier without challenge');
});

test('confluence: the authorization code expires after its short lifetime', async (t) => {
  const c = clock();
  const s = await start(t, { profile: 'confluence', autoApprove: true, now: c.now });
  const redirectUri = s.client.redirectUris[0]!;
  const code = await codeFor(s, { redirectUri });
  c.advance(11);
  const late = await exchange(s, code, redirectUri);
  t.is(late.status, 400);
  t.is(late.body.error, 'invalid_grant');
  const code2 = await codeFor(s, { redirectUri });
  c.advance(9);
  const ok = await exchange(s, code2, redirectUri);
  t.is(ok.status, 200);
  t.is(ok.body.token_type, 'bearer');
  t.is(ok.body.expires_in, 3600);
});

test('token responses carry what each system sends', async (t) => {
  const rm = await start(t, { profile: 'redmine' });
  const r = await rm.mintGrant();
  t.is(r.token_type, 'Bearer');
  t.is(r.expires_in, 7200);
  t.is(typeof r.created_at, 'number');
  t.is(r.scope, 'view_issues');
  const bl = await start(t, { profile: 'backlog' });
  const b = await bl.mintGrant();
  t.is(b.expires_in, 3600);
  t.is(b.scope, undefined);
  t.is(b.created_at, undefined);
  const q = await start(t, { profile: 'questetra' });
  t.is((await q.mintGrant()).expires_in, 12 * 3600);
  const j = await start(t, { profile: 'jira', accessTokenTtl: 2 });
  const jt = await j.mintGrant({ scope: 'READ WRITE' });
  t.is(jt.expires_in, 2);
  t.is(jt.token_type, 'bearer');
  t.is(jt.scope, 'READ WRITE');
});

test('generic client authentication: Basic or body, not both; a wrong secret gets 401 invalid_client', async (t) => {
  const s = await start(t);
  const { refresh_token } = await s.mintGrant();
  const viaBasic = await postForm(
    s.endpoints.token,
    { grant_type: 'refresh_token', refresh_token },
    { Authorization: basic(s.client.id, s.client.secret!) },
  );
  t.is(viaBasic.status, 200);
  const both = await postForm(
    s.endpoints.token,
    { grant_type: 'refresh_token', refresh_token: viaBasic.body.refresh_token, client_secret: s.client.secret },
    { Authorization: basic(s.client.id, s.client.secret!) },
  );
  t.is(both.body.error, 'invalid_request');
  const wrong = await postForm(
    s.endpoints.token,
    { grant_type: 'refresh_token', refresh_token: viaBasic.body.refresh_token },
    { Authorization: basic(s.client.id, 'nope') },
  );
  t.is(wrong.status, 401);
  t.is(wrong.body.error, 'invalid_client');
  t.regex(wrong.headers.get('www-authenticate') ?? '', /^Basic/);
  t.is((await refresh(s, viaBasic.body.refresh_token)).status, 200, 'failed attempts do not spend the token');
});

test('redmine: the secret is required on the code exchange (401) and on refresh (invalid_grant)', async (t) => {
  const s = await start(t, { profile: 'redmine', autoApprove: true });
  const code = await codeFor(s, { redirectUri: CB });
  const noSecret = await postForm(s.endpoints.token, { grant_type: 'authorization_code', code, redirect_uri: CB, client_id: s.client.id });
  t.is(noSecret.status, 401);
  t.is(noSecret.body.error, 'invalid_client');
  const ok = await postForm(
    s.endpoints.token,
    { grant_type: 'authorization_code', code, redirect_uri: CB },
    { Authorization: basic(s.client.id, s.client.secret!) },
  );
  t.is(ok.status, 200);
  const bare = await postForm(s.endpoints.token, { grant_type: 'refresh_token', refresh_token: ok.body.refresh_token });
  t.is(bare.status, 400);
  t.is(bare.body.error, 'invalid_grant');
  const wrong = await postForm(s.endpoints.token, {
    grant_type: 'refresh_token',
    refresh_token: ok.body.refresh_token,
    client_id: s.client.id,
    client_secret: 'wrong',
  });
  t.is(wrong.status, 401);
  t.is(wrong.body.error, 'invalid_client');
});

test('backlog and confluence take the secret in the body only', async (t) => {
  for (const profile of ['backlog', 'confluence'] as const) {
    const s = await start(t, { profile });
    const { refresh_token } = await s.mintGrant();
    const r = await postForm(
      s.endpoints.token,
      { grant_type: 'refresh_token', refresh_token },
      { Authorization: basic(s.client.id, s.client.secret!) },
    );
    t.is(r.body.error, 'invalid_client', profile);
    t.is((await refresh(s, refresh_token!)).status, 200, profile);
  }
});

test('questetra: a client without a secret works only when it requires PKCE', async (t) => {
  const redirectUri = 'http://localhost:8765/callback';
  const pub: SandboxClient = { id: 'pub', redirectUris: [redirectUri], requirePkce: true };
  const lax: SandboxClient = { id: 'lax', redirectUris: [redirectUri] };
  const s = await start(t, { profile: 'questetra', autoApprove: true, clients: [pub, lax] });
  const { verifier, challenge } = pkce();
  const code = await codeFor(s, { client: pub, redirectUri, challenge, method: 'S256' });
  const r = await postForm(s.endpoints.token, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri,
    client_id: 'pub',
    code_verifier: verifier,
  });
  t.is(r.status, 200);
  const code2 = await codeFor(s, { client: lax, redirectUri });
  const r2 = await postForm(s.endpoints.token, { grant_type: 'authorization_code', code: code2, redirect_uri: redirectUri, client_id: 'lax' });
  t.is(r2.body.error, 'invalid_client');
});

test('malformed token requests: wrong content type, unknown grant type, missing grant type', async (t) => {
  const s = await start(t);
  const json = await fetch(s.endpoints.token, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ grant_type: 'refresh_token' }),
  });
  t.is(json.status, 400);
  t.is(((await json.json()) as { error: string }).error, 'invalid_request');
  t.is((await postForm(s.endpoints.token, { grant_type: 'password', client_id: 'x' })).body.error, 'unsupported_grant_type');
  t.is((await postForm(s.endpoints.token, { client_id: 'x' })).body.error, 'invalid_request');
  const get = await fetch(s.endpoints.token);
  t.is(get.status, 405);
});

test('RFC 8414 metadata where the system has it', async (t) => {
  for (const profile of ['generic', 'confluence'] as const) {
    const s = await start(t, { profile });
    const r = await fetch(`${s.url}/.well-known/oauth-authorization-server`);
    t.is(r.status, 200, profile);
    const m = (await r.json()) as Record<string, unknown>;
    t.is(m.issuer, s.url);
    t.is(m.authorization_endpoint, s.endpoints.authorization);
    t.is(m.token_endpoint, s.endpoints.token);
    t.is(s.endpoints.issuer, s.url);
  }
  const rm = await start(t, { profile: 'redmine' });
  t.is((await fetch(`${rm.url}/.well-known/oauth-authorization-server`)).status, 404);
  t.is(rm.endpoints.issuer, undefined);
});

test('revoking a refresh token (RFC 7009) ends the grant', async (t) => {
  const s = await start(t);
  const tok = await s.mintGrant();
  const r = await postForm(s.endpoints.revocation!, { token: tok.refresh_token, token_type_hint: 'refresh_token' }, {
    Authorization: basic(s.client.id, s.client.secret!),
  });
  t.is(r.status, 200);
  t.is((await refresh(s, tok.refresh_token!)).body.error, 'invalid_grant');
  t.is((await callApi(s, tok.access_token)).status, 401);
  const unknown = await postForm(s.endpoints.revocation!, { token: 'never-issued' }, { Authorization: basic(s.client.id, s.client.secret!) });
  t.is(unknown.status, 200);
});

test('the protected resource answers 200 with the user, 401 invalid_token for a bad or expired token', async (t) => {
  const c = clock();
  const s = await start(t, { accessTokenTtl: 1, now: c.now });
  const tok = await s.mintGrant();
  const ok = await callApi(s, tok.access_token);
  t.is(ok.status, 200);
  t.is(ok.body.user.login, 'alice');
  const bad = await callApi(s, 'not-a-token');
  t.is(bad.status, 401);
  t.regex(bad.headers.get('www-authenticate') ?? '', /^Bearer error="invalid_token"/);
  c.advance(1);
  t.is((await callApi(s, tok.access_token)).status, 401);
  t.false(s.isAccessTokenValid(tok.access_token));
  const none = await fetch(s.endpoints.api);
  t.is(none.status, 401);
  t.regex(none.headers.get('www-authenticate') ?? '', /^Bearer/);
});

test('redmine token info describes the access token', async (t) => {
  const s = await start(t, { profile: 'redmine' });
  const tok = await s.mintGrant({ scope: 'view_issues add_issues' });
  const r = await fetch(s.endpoints.tokenInfo!, { headers: { Authorization: `Bearer ${tok.access_token}` } });
  t.is(r.status, 200);
  const info = (await r.json()) as { scope: string[]; application: { uid: string }; expires_in: number };
  t.deepEqual(info.scope, ['view_issues', 'add_issues']);
  t.is(info.application.uid, s.client.id);
  t.true(info.expires_in > 7000);
});

test('a redirect_uri left out of the authorization request may be left out of the token request', async (t) => {
  const only: SandboxClient = { id: 'one', secret: 'one-secret', redirectUris: ['http://127.0.0.1:5004/cb'] };
  const s = await start(t, { autoApprove: true, clients: [only] });
  const r = await fetch(`${s.endpoints.authorization}?client_id=one&response_type=code`, { redirect: 'manual' });
  const back = new URL(r.headers.get('location')!);
  t.is(`${back.origin}${back.pathname}`, 'http://127.0.0.1:5004/cb');
  const code = back.searchParams.get('code')!;
  t.is((await exchange(s, code, 'http://127.0.0.1:5005/cb', {}, only)).body.error, 'invalid_grant');
  t.is((await exchange(s, code, undefined as never, {}, only)).status, 200);
});
