import test from 'ava';
import { isHandoffError, type HandoffError } from '../../src/errors.js';
import {
  createHttpClient,
  processRevocationResponse,
  processTokenResponse,
  refreshTokenGrantRequest,
  revocationRequest,
  type ClientConfig,
} from '../../src/oauth/index.js';
import { freePort, json, startServer, type TestServer } from './helpers.js';

const SECRET = 'client-secret-Zx81qPL0';
const REFRESH = 'refresh-token-9f8e7d6c5b4a39281706';
const CLIENT: ClientConfig = { id: 'client-1', secret: SECRET, auth_method: 'client_secret_basic' };
/** a fixed clock, so Retry-After dates and X-RateLimit-Reset come out exact */
const NOW = Date.UTC(2030, 0, 2, 3, 4, 5);

async function scripted(t: { teardown(fn: () => unknown): void }): Promise<TestServer> {
  const server = await startServer((req, res) => {
    switch (req.path) {
      case '/invalid_grant':
        return json(res, 400, { error: 'invalid_grant', error_description: 'The provided authorization grant is invalid' });
      case '/invalid_client':
        return json(res, 401, { error: 'invalid_client', error_description: 'Client authentication failed' }, {
          'WWW-Authenticate': 'Basic realm="oauth"',
        });
      case '/invalid_scope':
        return json(res, 400, { error: 'invalid_scope' });
      case '/500':
        res.writeHead(500, { 'Content-Type': 'text/html' });
        return void res.end('<h1>Internal Server Error</h1>');
      case '/503':
        return json(res, 503, { error: 'temporarily_unavailable' }, { 'Retry-After': '7' });
      case '/429-seconds':
        return json(res, 429, { error: 'rate_limited' }, { 'Retry-After': '30' });
      case '/429-date':
        return json(res, 429, {}, { 'Retry-After': new Date(NOW + 120_000).toUTCString() });
      case '/429-backlog':
        return json(res, 429, { errors: [{ message: 'Rate limit exceeded.' }] }, {
          'X-RateLimit-Limit': '150',
          'X-RateLimit-Remaining': '0',
          'X-RateLimit-Reset': String(Math.floor(NOW / 1000) + 42),
        });
      case '/reset':
        return void res.socket?.destroy();
      case '/hang':
        return; // never answers
      case '/garbage':
        res.writeHead(200, { 'Content-Type': 'text/html' });
        return void res.end(`<html>login page ${REFRESH}</html>`);
      case '/no-access-token':
        return json(res, 200, { token_type: 'Bearer', refresh_token: REFRESH });
      case '/no-token-type':
        return json(res, 200, { access_token: 'at' });
      case '/mac':
        return json(res, 200, { access_token: 'at', token_type: 'mac' });
      case '/lowercase':
        return json(res, 200, { access_token: 'at', token_type: 'bearer', expires_in: '3600', scope: 'READ' });
      case '/echo':
        return json(res, 400, { error: 'invalid_request', error_description: `unknown client ${SECRET} or token ${REFRESH}` });
      case '/redirect':
        res.writeHead(302, { Location: '/elsewhere' });
        return void res.end();
      case '/revoke':
        res.writeHead(200);
        return void res.end();
      case '/revoke-unsupported':
        return json(res, 400, { error: 'unsupported_token_type' });
      default:
        return json(res, 404, { error: 'not_found' });
    }
  });
  t.teardown(() => server.close());
  return server;
}

async function refreshAt(server: TestServer, path: string, timeoutMs?: number): Promise<HandoffError> {
  const http = await createHttpClient({ now: () => NOW, ...(timeoutMs ? { timeoutMs } : {}) });
  try {
    processTokenResponse(await refreshTokenGrantRequest(http, { token: `${server.url}${path}` }, CLIENT, REFRESH));
  } catch (e) {
    if (!isHandoffError(e)) throw e;
    if (e.message.includes(SECRET) || e.message.includes(REFRESH)) throw new Error(`secret in message: ${e.message}`);
    if (JSON.stringify(e.oauth ?? {}).includes(REFRESH)) throw new Error('secret in oauth detail');
    return e;
  }
  throw new Error(`${path} did not throw`);
}

test('400 invalid_grant means the refresh token is dead: REAUTH_REQUIRED with the server detail', async (t) => {
  const server = await scripted(t);
  const e = await refreshAt(server, '/invalid_grant');
  t.is(e.code, 'REAUTH_REQUIRED');
  t.is(e.exitCode, 3);
  t.regex(e.message, /^the refresh token was rejected \(invalid_grant\): The provided authorization grant is invalid$/);
  t.deepEqual(e.oauth, {
    status: 400,
    error: 'invalid_grant',
    error_description: 'The provided authorization grant is invalid',
  });
});

test('401 invalid_client is a provider error naming it, not a re-authorization', async (t) => {
  const server = await scripted(t);
  const e = await refreshAt(server, '/invalid_client');
  t.is(e.code, 'PROVIDER_ERROR');
  t.regex(e.message, /invalid_client \(HTTP 401\): client authentication failed: Client authentication failed/);
  t.is(e.oauth?.status, 401);
  t.is(e.oauth?.error, 'invalid_client');
  const scope = await refreshAt(server, '/invalid_scope');
  t.is(scope.code, 'PROVIDER_ERROR');
  t.regex(scope.message, /invalid_scope/);
});

test('500 and 503 are PROVIDER_UNAVAILABLE; 503 keeps Retry-After', async (t) => {
  const server = await scripted(t);
  const e500 = await refreshAt(server, '/500');
  t.is(e500.code, 'PROVIDER_UNAVAILABLE');
  t.is(e500.oauth?.status, 500);
  t.is(e500.oauth?.retryAfter, undefined);
  const e503 = await refreshAt(server, '/503');
  t.is(e503.code, 'PROVIDER_UNAVAILABLE');
  t.is(e503.oauth?.retryAfter, 7);
  t.is(e503.oauth?.error, 'temporarily_unavailable');
});

test('429 is PROVIDER_UNAVAILABLE with retryAfter from seconds, an HTTP date, or Backlog X-RateLimit-Reset', async (t) => {
  const server = await scripted(t);
  const secs = await refreshAt(server, '/429-seconds');
  t.is(secs.code, 'PROVIDER_UNAVAILABLE');
  t.is(secs.oauth?.retryAfter, 30);
  t.regex(secs.message, /HTTP 429.*retry after 30 s/);
  const date = await refreshAt(server, '/429-date');
  t.is(date.code, 'PROVIDER_UNAVAILABLE');
  t.is(date.oauth?.retryAfter, 120);
  const backlog = await refreshAt(server, '/429-backlog');
  t.is(backlog.code, 'PROVIDER_UNAVAILABLE');
  t.is(backlog.oauth?.retryAfter, 42);
});

test('a connection reset, a refused connection and a timeout are PROVIDER_UNAVAILABLE', async (t) => {
  const server = await scripted(t);
  const reset = await refreshAt(server, '/reset');
  t.is(reset.code, 'PROVIDER_UNAVAILABLE');
  t.regex(reset.message, /could not reach POST http:\/\/127\.0\.0\.1:\d+\/reset: connection reset/);

  const port = await freePort();
  const http = await createHttpClient();
  const refused = await t.throwsAsync(refreshTokenGrantRequest(http, { token: `http://127.0.0.1:${port}/token` }, CLIENT, REFRESH));
  t.true(isHandoffError(refused, 'PROVIDER_UNAVAILABLE'), String(refused));
  t.regex(refused!.message, /connection refused/);

  const started = Date.now();
  const timeout = await refreshAt(server, '/hang', 300);
  t.is(timeout.code, 'PROVIDER_UNAVAILABLE');
  t.regex(timeout.message, /no response from POST .*\/hang within 300 ms/);
  t.true(Date.now() - started < 5000);
});

test('a 2xx that is not a usable token response is a PROVIDER_ERROR that never quotes the body', async (t) => {
  const server = await scripted(t);
  const garbage = await refreshAt(server, '/garbage');
  t.is(garbage.code, 'PROVIDER_ERROR');
  t.regex(garbage.message, /a body that is not JSON \(content-type text\/html\)/);
  const noAt = await refreshAt(server, '/no-access-token');
  t.is(noAt.code, 'PROVIDER_ERROR');
  t.regex(noAt.message, /without an access_token/);
  const noType = await refreshAt(server, '/no-token-type');
  t.is(noType.code, 'PROVIDER_ERROR');
  t.regex(noType.message, /without a token_type/);
  const mac = await refreshAt(server, '/mac');
  t.is(mac.code, 'PROVIDER_ERROR');
  t.regex(mac.message, /only Bearer tokens/);
});

test('token_type "bearer" (Confluence) is accepted and normalised; a quoted expires_in is read', async (t) => {
  const server = await scripted(t);
  const http = await createHttpClient();
  const tokens = processTokenResponse(await refreshTokenGrantRequest(http, { token: `${server.url}/lowercase` }, CLIENT, REFRESH));
  t.is(tokens.token_type, 'Bearer');
  t.is(tokens.expires_in, 3600);
  t.is(tokens.scope, 'READ');
  t.is(tokens.refresh_token, undefined);
  t.is(tokens.raw.token_type, 'bearer');
});

test('a server that echoes the secret or token in error_description does not get it into the error', async (t) => {
  const server = await scripted(t);
  const e = await refreshAt(server, '/echo'); // refreshAt fails if either appears
  t.is(e.code, 'PROVIDER_ERROR');
  t.regex(e.message, /\[redacted\]/);
});

test('a redirect from the token endpoint is not followed (credentials stay put) and is a PROVIDER_ERROR', async (t) => {
  const server = await scripted(t);
  const e = await refreshAt(server, '/redirect');
  t.is(e.code, 'PROVIDER_ERROR');
  t.regex(e.message, /HTTP 302/);
  t.deepEqual(server.seen.map((r) => r.path), ['/redirect']);
});

test('revocation: 200 is done; unsupported_token_type is a PROVIDER_ERROR; the hint is sent', async (t) => {
  const server = await scripted(t);
  const http = await createHttpClient();
  const endpoints = { token: `${server.url}/token`, revocation: `${server.url}/revoke` };
  processRevocationResponse(await revocationRequest(http, endpoints, CLIENT, REFRESH, { tokenTypeHint: 'refresh_token' }));
  t.is(server.seen[0]!.form.get('token'), REFRESH);
  t.is(server.seen[0]!.form.get('token_type_hint'), 'refresh_token');
  t.truthy(server.seen[0]!.headers.authorization);
  const bad = { ...endpoints, revocation: `${server.url}/revoke-unsupported` };
  const res = await revocationRequest(http, bad, CLIENT, REFRESH, 'access_token');
  t.is(server.seen[1]!.form.get('token_type_hint'), 'access_token');
  const err = t.throws(() => processRevocationResponse(res));
  t.true(isHandoffError(err, 'PROVIDER_ERROR'), String(err));
  const missing = await t.throwsAsync(revocationRequest(http, { token: endpoints.token }, CLIENT, REFRESH));
  t.true(isHandoffError(missing, 'USAGE'));
});
