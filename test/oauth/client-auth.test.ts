import test from 'ava';
import { isHandoffError } from '../../src/errors.js';
import {
  authorizationCodeGrantRequest,
  createHttpClient,
  processTokenResponse,
  refreshTokenGrantRequest,
  type ClientConfig,
  type Endpoints,
} from '../../src/oauth/index.js';
import { json, startServer, type TestServer } from './helpers.js';

const TOKENS = { access_token: 'at-1', token_type: 'Bearer', expires_in: 3600, refresh_token: 'rt-2' };

async function tokenServer(t: { teardown(fn: () => unknown): void }): Promise<{ server: TestServer; endpoints: Endpoints }> {
  const server = await startServer((_req, res) => json(res, 200, TOKENS));
  t.teardown(() => server.close());
  return { server, endpoints: { token: `${server.url}/oauth/token` } };
}

/** Decode a Basic header the way a server must (RFC 6749 §2.3.1: form-urldecode each half). */
function decodeBasic(header: string | undefined): { id: string; secret: string } {
  const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header ?? '');
  if (!m?.[1]) throw new Error(`not a Basic header: ${header}`);
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  const unform = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
  return { id: unform(decoded.slice(0, i)), secret: unform(decoded.slice(i + 1)) };
}

test('client_secret_basic reaches the server as HTTP Basic with form-urlencoded id and secret, nothing in the body', async (t) => {
  const { server, endpoints } = await tokenServer(t);
  const http = await createHttpClient({ userAgent: 'oauth-handoff/9.9.9' });
  // ":" "+" "%" space and non-ASCII are exactly what §2.3.1 encoding exists for
  const client: ClientConfig = { id: 'my app:1', secret: 'pa+ss:wö rd%/=', auth_method: 'client_secret_basic' };
  const tokens = processTokenResponse(await refreshTokenGrantRequest(http, endpoints, client, 'rt-1'));
  t.is(tokens.access_token, 'at-1');

  const req = server.seen[0]!;
  t.is(req.method, 'POST');
  t.is(req.path, '/oauth/token');
  t.deepEqual(decodeBasic(req.headers.authorization), { id: 'my app:1', secret: 'pa+ss:wö rd%/=' });
  // the raw header must carry the encoded form, not the plain one
  const raw = Buffer.from(req.headers.authorization!.slice(6), 'base64').toString('utf8');
  t.is(raw, 'my+app%3A1:pa%2Bss%3Aw%C3%B6+rd%25%2F%3D');
  t.false(req.form.has('client_id'));
  t.false(req.form.has('client_secret'));
  t.is(req.form.get('grant_type'), 'refresh_token');
  t.is(req.form.get('refresh_token'), 'rt-1');
  t.regex(req.headers['content-type'] ?? '', /^application\/x-www-form-urlencoded/);
  t.is(req.headers['user-agent'], 'oauth-handoff/9.9.9');
  t.is(req.headers.accept, 'application/json');
});

test('client_secret_post sends client_id and client_secret in the body and no Authorization header', async (t) => {
  const { server, endpoints } = await tokenServer(t);
  const http = await createHttpClient();
  const client: ClientConfig = { id: 'backlog-app', secret: 's3cr&t=1', auth_method: 'client_secret_post' };
  await refreshTokenGrantRequest(http, endpoints, client, 'rt-1', { scope: 'read write' });
  const req = server.seen[0]!;
  t.is(req.headers.authorization, undefined);
  t.is(req.form.get('client_id'), 'backlog-app');
  t.is(req.form.get('client_secret'), 's3cr&t=1');
  t.is(req.form.get('scope'), 'read write');
  t.is(req.headers['user-agent'], 'oauth-handoff');
});

test('auth method none sends only client_id, even when a secret is configured', async (t) => {
  const { server, endpoints } = await tokenServer(t);
  const http = await createHttpClient();
  const client: ClientConfig = { id: 'public-app', secret: 'unused', auth_method: 'none' };
  await refreshTokenGrantRequest(http, endpoints, client, 'rt-1');
  const req = server.seen[0]!;
  t.is(req.headers.authorization, undefined);
  t.is(req.form.get('client_id'), 'public-app');
  t.false(req.form.has('client_secret'));
});

test('the code exchange sends code, redirect_uri and code_verifier (RFC 6749 §4.1.3, RFC 7636 §4.5)', async (t) => {
  const { server, endpoints } = await tokenServer(t);
  const http = await createHttpClient();
  const client: ClientConfig = { id: 'c', secret: 's', auth_method: 'client_secret_post' };
  await authorizationCodeGrantRequest(http, endpoints, client, {
    code: 'the-code',
    redirectUri: 'urn:ietf:wg:oauth:2.0:oob',
    codeVerifier: 'v'.repeat(43),
  });
  const form = server.seen[0]!.form;
  t.is(form.get('grant_type'), 'authorization_code');
  t.is(form.get('code'), 'the-code');
  t.is(form.get('redirect_uri'), 'urn:ietf:wg:oauth:2.0:oob');
  t.is(form.get('code_verifier'), 'v'.repeat(43));
});

test('a confidential method without a secret fails before anything is sent', async (t) => {
  const { server, endpoints } = await tokenServer(t);
  const http = await createHttpClient();
  for (const auth_method of ['client_secret_basic', 'client_secret_post'] as const) {
    const e = await t.throwsAsync(refreshTokenGrantRequest(http, endpoints, { id: 'c', auth_method }, 'rt'));
    t.true(isHandoffError(e, 'USAGE'), String(e));
  }
  const e = await t.throwsAsync(refreshTokenGrantRequest(http, endpoints, { id: 'c', auth_method: 'none' }, ''));
  t.true(isHandoffError(e, 'REAUTH_REQUIRED'), String(e));
  t.is(server.seen.length, 0);
});
