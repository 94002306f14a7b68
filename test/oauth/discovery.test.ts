import test from 'ava';
import { isHandoffError } from '../../src/errors.js';
import { createHttpClient, discover, endpointsFromMetadata, metadataUrl } from '../../src/oauth/index.js';
import { json, startServer, type TestServer } from './helpers.js';

type Docs = Record<string, (issuer: string) => { status: number; body: unknown }>;

async function metadataServer(t: { teardown(fn: () => unknown): void }, docs: Docs): Promise<TestServer> {
  let base = '';
  const server = await startServer((req, res) => {
    const doc = docs[req.path];
    if (!doc) return json(res, 404, { error: 'not_found' });
    const { status, body } = doc(base);
    return json(res, status, body);
  });
  base = server.url;
  t.teardown(() => server.close());
  return server;
}

const meta = (issuer: string) => ({
  issuer,
  authorization_endpoint: `${issuer}/authorize`,
  token_endpoint: `${issuer}/token`,
  revocation_endpoint: `${issuer}/revoke`,
  code_challenge_methods_supported: ['S256'],
  token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
});

test('metadata URLs: RFC 8414 inserts the well-known part before the path, OpenID appends it', (t) => {
  t.is(metadataUrl('https://as.example/tenant/1', 'oauth-authorization-server'), 'https://as.example/.well-known/oauth-authorization-server/tenant/1');
  t.is(metadataUrl('https://as.example/tenant/1/', 'openid-configuration'), 'https://as.example/tenant/1/.well-known/openid-configuration');
  t.is(metadataUrl('https://as.example', 'oauth-authorization-server'), 'https://as.example/.well-known/oauth-authorization-server');
  t.true(isHandoffError(t.throws(() => metadataUrl('https://as.example/?x=1', 'openid-configuration')), 'USAGE'));
});

test('discovery uses the RFC 8414 document when there is one', async (t) => {
  const server = await metadataServer(t, {
    '/.well-known/oauth-authorization-server': (iss) => ({ status: 200, body: meta(iss) }),
    '/.well-known/openid-configuration': () => ({ status: 500, body: {} }),
  });
  const m = await discover(await createHttpClient(), server.url);
  t.is(m.token_endpoint, `${server.url}/token`);
  t.deepEqual(m.code_challenge_methods_supported, ['S256']);
  t.is(m.metadataUrl, `${server.url}/.well-known/oauth-authorization-server`);
  t.deepEqual(server.seen.map((r) => r.path), ['/.well-known/oauth-authorization-server']);
  t.deepEqual(endpointsFromMetadata(m), {
    issuer: server.url,
    authorization: `${server.url}/authorize`,
    token: `${server.url}/token`,
    revocation: `${server.url}/revoke`,
  });
});

test('discovery falls back to OpenID configuration when RFC 8414 has none (issuer with a path)', async (t) => {
  const server = await metadataServer(t, {
    '/tenant/.well-known/openid-configuration': (iss) => ({ status: 200, body: meta(`${iss}/tenant`) }),
  });
  const m = await discover(await createHttpClient(), `${server.url}/tenant`);
  t.is(m.issuer, `${server.url}/tenant`);
  t.is(m.token_endpoint, `${server.url}/tenant/token`);
  t.deepEqual(server.seen.map((r) => r.path), ['/.well-known/oauth-authorization-server/tenant', '/tenant/.well-known/openid-configuration']);
});

test('a document for another issuer is refused (RFC 8414 §3.3), and both failures are named', async (t) => {
  const server = await metadataServer(t, {
    '/.well-known/oauth-authorization-server': () => ({ status: 200, body: meta('https://evil.example') }),
    '/.well-known/openid-configuration': () => ({ status: 200, body: { issuer: 'x' } }),
  });
  const e = await t.throwsAsync(discover(await createHttpClient(), server.url));
  t.true(isHandoffError(e, 'PROVIDER_ERROR'), String(e));
  t.regex(e!.message, /oauth-authorization-server is for a different issuer/);
  t.regex(e!.message, /openid-configuration is for a different issuer/);
});

test('discovery follows a redirect of the metadata URL (GET only, no credentials)', async (t) => {
  let base = '';
  const server = await startServer((req, res) => {
    if (req.path === '/.well-known/oauth-authorization-server') {
      res.writeHead(301, { Location: '/meta/as.json' });
      return void res.end();
    }
    if (req.path === '/meta/as.json') return json(res, 200, meta(base));
    return json(res, 404, {});
  });
  base = server.url;
  t.teardown(() => server.close());
  const m = await discover(await createHttpClient(), server.url);
  t.is(m.token_endpoint, `${server.url}/token`);
  t.deepEqual(server.seen.map((r) => r.path), ['/.well-known/oauth-authorization-server', '/meta/as.json']);
});

test('a metadata document without a token endpoint is refused', async (t) => {
  const server = await metadataServer(t, {
    '/.well-known/oauth-authorization-server': (iss) => ({ status: 200, body: { issuer: iss, authorization_endpoint: `${iss}/a` } }),
  });
  const e = await t.throwsAsync(discover(await createHttpClient(), server.url));
  t.true(isHandoffError(e, 'PROVIDER_ERROR'));
  t.regex(e!.message, /has no token_endpoint/);
});

test('a server failing with 5xx on discovery is PROVIDER_UNAVAILABLE', async (t) => {
  const server = await metadataServer(t, {
    '/.well-known/oauth-authorization-server': () => ({ status: 503, body: {} }),
    '/.well-known/openid-configuration': () => ({ status: 503, body: {} }),
  });
  const e = await t.throwsAsync(discover(await createHttpClient(), server.url));
  t.true(isHandoffError(e, 'PROVIDER_UNAVAILABLE'), String(e));
});
