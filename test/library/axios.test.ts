import test from 'ava';
import axios from 'axios';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { attachTo, openCredential } from '../../src/index.js';
import { tempDir } from '../helpers/cli.js';
import { storeWith } from '../helpers/fixtures.js';
import { apiCalls, grantSettings, refreshes, sandboxFor } from '../headless-side/ci/helpers.js';

/** A credential whose stored access token looks fresh but the API refuses (revoked, rotated away, …). */
async function refusedTokenSetup(t: Parameters<typeof sandboxFor>[0]) {
  const sandbox = await sandboxFor(t);
  const { grant, settings } = await grantSettings(sandbox, { accessToken: 'revoked-access-token' });
  const home = join(await tempDir(t), 'store');
  await storeWith(home, settings);
  const cred = await openCredential({ name: 'svc' }, { store: home });
  return { sandbox, grant, cred };
}

test('each request carries the bearer token; a fresh token costs no refresh', async (t) => {
  const sandbox = await sandboxFor(t);
  const { grant, settings } = await grantSettings(sandbox);
  const home = join(await tempDir(t), 'store');
  await storeWith(home, settings);
  const cred = await openCredential({ name: 'svc' }, { store: home });
  const api = axios.create({ baseURL: sandbox.url });
  attachTo(api, cred);
  const res = await api.get('/api/me');
  t.is(res.status, 200);
  t.is(res.config.headers.get('Authorization'), `Bearer ${grant.access_token}`);
  t.is(refreshes(sandbox).length, 0);
  t.is(apiCalls(sandbox).length, 1);
});

test('a 401 from the API causes exactly one refresh and one retry, which succeeds', async (t) => {
  const { sandbox, cred } = await refusedTokenSetup(t);
  const api = axios.create({ baseURL: sandbox.url });
  attachTo(api, cred);
  const res = await api.get('/api/me');
  t.is(res.status, 200);
  t.deepEqual(
    apiCalls(sandbox).map((e) => e.status),
    [401, 200],
  );
  t.is(refreshes(sandbox).length, 1);
  // the new token is kept: the next request needs neither a refresh nor a retry
  await api.get('/api/me');
  t.is(refreshes(sandbox).length, 1);
  t.is(apiCalls(sandbox).length, 3);
});

test('concurrent requests refused with the same token share one refresh', async (t) => {
  const { sandbox, cred } = await refusedTokenSetup(t);
  const api = axios.create({ baseURL: sandbox.url });
  attachTo(api, cred);
  const results = await Promise.all(Array.from({ length: 6 }, () => api.get('/api/me')));
  for (const r of results) t.is(r.status, 200);
  t.is(refreshes(sandbox).length, 1);
  t.is(apiCalls(sandbox).filter((e) => e.status === 401).length, 6);
  t.is(apiCalls(sandbox).filter((e) => e.status === 200).length, 6);
});

test('an API that keeps answering 401 gets one refresh and one retry, never a loop', async (t) => {
  const { sandbox, cred } = await refusedTokenSetup(t);
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers.authorization ?? '');
    res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer error="invalid_token"' });
    res.end('{"error":"invalid_token"}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => server.close(() => r())));
  const api = axios.create({ baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  attachTo(api, cred);
  const e = await t.throwsAsync(api.get('/anything'));
  t.is((e as { response?: { status?: number } }).response?.status, 401);
  t.is(seen.length, 2);
  t.is(seen[0], 'Bearer revoked-access-token');
  t.not(seen[1], seen[0]);
  t.true(sandbox.isAccessTokenValid((seen[1] as string).slice('Bearer '.length)));
  t.is(refreshes(sandbox).length, 1);
});

test('with a validateStatus that accepts 401, the interceptor still refreshes once and retries once', async (t) => {
  const { sandbox, cred } = await refusedTokenSetup(t);
  const api = axios.create({ baseURL: sandbox.url, validateStatus: () => true });
  attachTo(api, cred);
  const res = await api.get('/api/me');
  t.is(res.status, 200);
  t.is(refreshes(sandbox).length, 1);
  t.is(apiCalls(sandbox).length, 2);
});

test('the function attachTo returns removes the interceptors', async (t) => {
  const { sandbox, cred } = await refusedTokenSetup(t);
  const api = axios.create({ baseURL: sandbox.url });
  const detach = attachTo(api, cred);
  detach();
  const e = await t.throwsAsync(api.get('/api/me'));
  t.is((e as { response?: { status?: number } }).response?.status, 401);
  t.is(refreshes(sandbox).length, 0);
});
