/**
 * The look at the authorization URL before anyone opens it (src/authorization/probe.ts),
 * against a real local server answering each way, and through the built CLI
 * against the sandbox: a typo'd site or an unknown client stops at once with
 * the server's own words, never after the whole wait.
 */
import test from 'ava';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeAuthorizationUrl } from '../../src/authorization/index.js';
import { CODES, HandoffError } from '../../src/errors.js';
import { createHttpClient } from '../../src/oauth/index.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { cleanEnv, runCli } from '../helpers/cli.js';

type Answer = { status: number; headers?: Record<string, string>; body?: string };

async function serverAnswering(t: { teardown(f: () => Promise<void>): void }, answer: Answer): Promise<string> {
  const srv = createServer((req, res) => {
    res.writeHead(answer.status, answer.headers ?? {});
    res.end(answer.body ?? '');
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => srv.close(() => r())));
  return `http://127.0.0.1:${(srv.address() as AddressInfo).port}/oauth/authorize?client_id=x&state=s`;
}

const REDIRECT = 'http://127.0.0.1:9999/callback';

test('a login page, a redirect to one, or an unclear 4xx lets the run go on', async (t) => {
  const http = await createHttpClient();
  for (const a of [
    { status: 200, body: '<html><form>sign in</form></html>' },
    { status: 302, headers: { location: '/login?back=/oauth/authorize' } },
    { status: 401, body: '<html>please sign in</html>' },
    { status: 302, headers: { location: `${REDIRECT}?code=abc&state=s` } },
  ]) await t.notThrowsAsync(probeAuthorizationUrl(http, await serverAnswering(t, a), REDIRECT), JSON.stringify(a));
});

test('a wrong path, an OAuth error page and an error redirect stop at once with the server\'s words', async (t) => {
  const http = await createHttpClient();
  const cases: [Answer, RegExp][] = [
    [{ status: 404, body: 'Not Found' }, /answered HTTP 404 before anyone signed in: check --site/],
    [{ status: 400, headers: { 'content-type': 'application/json' }, body: '{"error":"invalid_client","error_description":"no such client"}' }, /\(HTTP 400, invalid_client\): no such client/],
    [{ status: 400, body: '<html><head><title>x</title></head><body><h1>Error</h1><p>redirect_uri_mismatch: not registered</p></body></html>' }, /redirect_uri_mismatch.*not registered/],
    [{ status: 302, headers: { location: `${REDIRECT}?error=unauthorized_client&error_description=grant+not+allowed&state=s` } }, /sent back unauthorized_client before anyone signed in: grant not allowed/],
  ];
  for (const [a, re] of cases) {
    const e = await t.throwsAsync(probeAuthorizationUrl(http, await serverAnswering(t, a), REDIRECT));
    t.true(e instanceof HandoffError && e.code === CODES.PROVIDER_ERROR, String(e));
    t.regex(e?.message ?? '', re);
  }
});

test('authorize with an unknown client id or a wrong site path exits 5 at once, writes nothing, and says why', async (t) => {
  const sandbox = await startSandbox({ profile: 'redmine' });
  t.teardown(() => sandbox.close());
  const home = await mkdtemp(join(tmpdir(), 'oh-probe-'));
  t.teardown(() => rm(home, { recursive: true, force: true }));
  await writeFile(join(home, 'pass'), 'a long enough passphrase\n');
  const env = cleanEnv(home, { OAUTH_HANDOFF_CLIENT_SECRET: 'sandbox-secret' });
  const base = ['authorize', '--provider', 'redmine', '--no-browser', '--passphrase-file', join(home, 'pass'), '-o', join(home, 'x.ohs'), '--timeout', '600'];
  const unknown = await runCli([...base, '--site', sandbox.url, '--client-id', 'no-such-client'], { env, timeoutMs: 60_000 });
  t.is(unknown.code, 5, unknown.stderr);
  t.regex(unknown.stderr, /refused the request before anyone signed in \(HTTP 400, invalid_client\)/);
  const typo = await runCli([...base, '--site', `${sandbox.url}/redmin`, '--client-id', sandbox.client.id], { env, timeoutMs: 60_000 });
  t.is(typo.code, 5, typo.stderr);
  t.regex(typo.stderr, /answered HTTP 404 before anyone signed in/);
  t.false(existsSync(join(home, 'x.ohs')));
  t.notRegex(unknown.stderr + typo.stderr, /sandbox-secret/);
});
