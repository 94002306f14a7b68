/**
 * Corporate networks: HTTP_PROXY / HTTPS_PROXY / NO_PROXY from the environment
 * are honoured by the axios client (axios 1.x reads them per request through
 * proxy-from-env). These tests change process.env, so they run serially in
 * their own file (ava gives each file its own process).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import { isHandoffError } from '../../src/errors.js';
import { createHttpClient, processTokenResponse, refreshTokenGrantRequest } from '../../src/oauth/index.js';
import { json, startServer } from './helpers.js';

const PROXY_VARS = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'no_proxy', 'all_proxy'];
const CLIENT = { id: 'c', secret: 's', auth_method: 'client_secret_post' as const };

function withEnv(t: { teardown(fn: () => unknown): void }, vars: Record<string, string>): void {
  const saved = Object.fromEntries(PROXY_VARS.map((k) => [k, process.env[k]]));
  for (const k of PROXY_VARS) delete process.env[k];
  Object.assign(process.env, vars);
  t.teardown(() => {
    for (const k of PROXY_VARS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });
}

interface ProxyLog {
  url: string;
  proxyUrl: string;
  forwarded: { method: string; url: string; auth?: string }[];
  connects: string[];
  close(): Promise<void>;
}

/** A forward proxy that answers plain-http requests itself and fails CONNECT tunnels with 502 (records both). */
async function startProxy(): Promise<ProxyLog> {
  const log: ProxyLog = { url: '', proxyUrl: '', forwarded: [], connects: [], close: async () => {} };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const auth = req.headers['proxy-authorization'];
      log.forwarded.push({ method: req.method ?? '', url: req.url ?? '', ...(auth ? { auth } : {}) });
      json(res, 200, { access_token: 'via-proxy', token_type: 'Bearer' });
    });
  });
  server.on('connect', (req, socket) => {
    log.connects.push(req.url ?? '');
    socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  log.url = `http://127.0.0.1:${port}`;
  log.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return log;
}

test.serial('HTTP_PROXY carries plain-http token requests through the proxy, with its credentials', async (t) => {
  const proxy = await startProxy();
  t.teardown(() => proxy.close());
  withEnv(t, { HTTP_PROXY: proxy.url.replace('://', '://alice:pw@') });
  const client = await createHttpClient({ timeoutMs: 30_000 });
  const tokens = processTokenResponse(await refreshTokenGrantRequest(client, { token: 'http://auth.internal.invalid/oauth/token' }, CLIENT, 'rt'));
  t.is(tokens.access_token, 'via-proxy');
  t.is(proxy.forwarded.length, 1);
  t.is(proxy.forwarded[0]!.url, 'http://auth.internal.invalid/oauth/token');
  t.is(proxy.forwarded[0]!.auth, `Basic ${Buffer.from('alice:pw').toString('base64')}`);
});

test.serial('https_proxy (lower case) tunnels https targets with CONNECT; a proxy 502 is PROVIDER_UNAVAILABLE', async (t) => {
  const proxy = await startProxy();
  t.teardown(() => proxy.close());
  withEnv(t, { https_proxy: proxy.url });
  const client = await createHttpClient({ timeoutMs: 30_000 });
  // https-proxy-agent hands the proxy's refusal back as the response
  const res = await refreshTokenGrantRequest(client, { token: 'https://auth.internal.invalid/oauth/token' }, CLIENT, 'rt');
  t.is(res.status, 502);
  const e = t.throws(() => processTokenResponse(res));
  t.true(isHandoffError(e, 'PROVIDER_UNAVAILABLE'), String(e));
  t.deepEqual(proxy.connects, ['auth.internal.invalid:443']);
  t.is(proxy.forwarded.length, 0); // never sent in clear through the proxy
});

test.serial('NO_PROXY sends matching hosts directly', async (t) => {
  const proxy = await startProxy();
  t.teardown(() => proxy.close());
  const direct = await startServer((_req, res) => json(res, 200, { access_token: 'direct', token_type: 'Bearer' }));
  t.teardown(() => direct.close());
  withEnv(t, { HTTP_PROXY: proxy.url, NO_PROXY: 'localhost,127.0.0.1' });
  const client = await createHttpClient({ timeoutMs: 30_000 });
  const tokens = processTokenResponse(await refreshTokenGrantRequest(client, { token: `${direct.url}/token` }, CLIENT, 'rt'));
  t.is(tokens.access_token, 'direct');
  t.is(proxy.forwarded.length, 0);
  t.is(direct.seen.length, 1);
});
