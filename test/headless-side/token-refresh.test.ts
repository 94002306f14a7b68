import test from 'ava';
import type { ExecutionContext } from 'ava';
import { readFile, writeFile } from 'node:fs/promises';
import { startSandbox } from '../../src/sandbox/index.js';
import { cleanEnv, runCli, spawnCli, collect, tempDir, trackChildren } from '../helpers/cli.js';
import { settingsFrom, storeWith } from '../helpers/fixtures.js';

async function setup(t: ExecutionContext, opts: { accessTokenTtl?: number; expired?: boolean; secondsLeft?: number } = {}) {
  const sandbox = await startSandbox({ profile: 'generic', accessTokenTtl: opts.accessTokenTtl ?? 3600, replayRevokesGrant: true });
  t.teardown(() => sandbox.close());
  const grant = await sandbox.mintGrant();
  const base = await tempDir(t);
  const home = `${base}/store`;
  const ttl = opts.accessTokenTtl ?? 3600;
  const now = opts.expired ? Date.now() - 2 * 3600_000 : opts.secondsLeft !== undefined ? Date.now() - (ttl - opts.secondsLeft) * 1000 : Date.now();
  await storeWith(home, settingsFrom(sandbox, grant, { name: 'svc', now }));
  const env = cleanEnv(base, { OAUTH_HANDOFF_HOME: home });
  return { sandbox, grant, home, env };
}

const refreshes = (sandbox: { log(): readonly { path: string; grantType?: string }[] }) =>
  sandbox.log().filter((e) => e.grantType === 'refresh_token');

test('token prints only the access token when it is fresh, without contacting the provider', async (t) => {
  const { sandbox, grant, env } = await setup(t);
  const r = await runCli(['token', 'svc'], { env });
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, `${grant.access_token}\n`);
  t.is(r.stderr, '');
  t.is(refreshes(sandbox).length, 0);
});

test('token refreshes an expired token, stores the rotated refresh token, and the new token works', async (t) => {
  const { sandbox, grant, env } = await setup(t, { expired: true });
  const r = await runCli(['token', 'svc'], { env });
  t.is(r.code, 0, r.stderr);
  const token = r.stdout.trim();
  t.not(token, grant.access_token);
  t.true(sandbox.isAccessTokenValid(token));
  t.is(refreshes(sandbox).length, 1);
  const again = await runCli(['token', 'svc'], { env });
  t.is(again.stdout.trim(), token);
  t.is(refreshes(sandbox).length, 1);
  const status = await runCli(['status', 'svc', '--json'], { env });
  const s = JSON.parse(status.stdout);
  t.is(s.state, 'ok');
  t.is(s.refresh_count, 1);
  t.false(status.stdout.includes(token), 'status never prints a token');
});

test('32 concurrent token processes against an expired token cause exactly one refresh and print the same valid token', async (t) => {
  const { sandbox, env } = await setup(t, { expired: true });
  const track = trackChildren(t);
  const runs = Array.from({ length: 32 }, () => collect(track(spawnCli(['token', 'svc'], { env })), { timeoutMs: 60_000 }));
  const results = await Promise.all(runs);
  for (const r of results) t.is(r.code, 0, r.stderr);
  const tokens = new Set(results.map((r) => r.stdout.trim()));
  t.is(tokens.size, 1);
  t.true(sandbox.isAccessTokenValid([...tokens][0] as string));
  t.is(refreshes(sandbox).length, 1);
  t.false(sandbox.log().some((e) => (e as { replay?: boolean }).replay === true));
});

test('refresh forces a refresh even when the token is fresh', async (t) => {
  const { sandbox, env } = await setup(t);
  const r = await runCli(['refresh', 'svc', '--json'], { env });
  t.is(r.code, 0, r.stderr);
  t.true(JSON.parse(r.stdout).rotated);
  t.is(refreshes(sandbox).length, 1);
});

test('a replayed refresh token is refused: the credential needs re-authorization (exit 3) and is not retried', async (t) => {
  const { sandbox, home, env } = await setup(t, { expired: true });
  // Keep the sealed file with the first refresh token, refresh (the server rotates it), then put the old file back.
  const file = `${home}/credentials/svc.ohs`;
  const old = await readFile(file);
  const first = await runCli(['refresh', 'svc'], { env });
  t.is(first.code, 0, first.stderr);
  await writeFile(file, old);
  const r = await runCli(['refresh', 'svc'], { env });
  t.is(r.code, 3, r.stderr);
  t.regex(r.stderr, /invalid_grant/);
  t.regex(r.stderr, /re-authorize/);
  const before = refreshes(sandbox).length;
  const again = await runCli(['token', 'svc'], { env });
  t.is(again.code, 3);
  t.is(refreshes(sandbox).length, before, 'a dead grant is not retried');
  const status = await runCli(['status', 'svc', '--json'], { env });
  t.is(status.code, 3);
  t.is(JSON.parse(status.stdout).state, 'reauthorization_required');
});

test('when the provider is down but the token is still valid, token prints it and warns (exit 0)', async (t) => {
  // 600 s of 3600 left: due under --min-valid 999999 (capped at half the lifetime, 1800 s)
  const { sandbox, grant, env } = await setup(t, { secondsLeft: 600 });
  sandbox.injectFault({ status: 503, count: 5 });
  const r = await runCli(['token', 'svc', '--min-valid', '999999'], { env });
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout.trim(), grant.access_token);
  t.regex(r.stderr, /warning: could not refresh/);
});

test('when the provider is down and the token has expired, token exits 5 and says so', async (t) => {
  const { sandbox, env } = await setup(t, { expired: true });
  sandbox.injectFault({ status: 500, count: 5 });
  const r = await runCli(['token', 'svc'], { env });
  t.is(r.code, 5);
  t.is(r.stdout, '');
  t.regex(r.stderr, /error:/);
});

test('under GitHub Actions a plain token call on a machine store masks the token before printing it', async (t) => {
  const { grant, env } = await setup(t);
  const r = await runCli(['token', 'svc'], { env: { ...env, GITHUB_ACTIONS: 'true' } });
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, `${grant.access_token}\n`);
  t.true(r.stderr.includes(`::add-mask::${grant.access_token}`));
});
