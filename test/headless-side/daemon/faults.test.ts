import test from 'ava';
import { readFile, stat } from 'node:fs/promises';
import { FileStore } from '../../../src/settings-file/index.js';
import { refreshTokenId } from '../../../src/sandbox/index.js';
import { runCli } from '../../helpers/cli.js';
import { FAST, fixture, refreshEntries, replays, revokeAtProvider, sleep, spawnDaemon, stopDaemon } from './helpers.js';

const exists = (p: string) => stat(p).then(
  () => true,
  () => false,
);

/** Start a daemon and let it make one refresh of its own (the fixture's token was minted before it started). */
async function running(t: Parameters<typeof fixture>[0], ttl: number, extra: string[] = []) {
  const f = await fixture(t, ['svc'], { accessTokenTtl: ttl });
  const d = spawnDaemon(t, ['svc', ...FAST, ...extra], f.env);
  await d.waitFor((e) => e.event === 'refreshed', 20_000, 'the first refresh');
  const original = (await (await FileStore.open(f.home)).read('svc')).token.access_token;
  const before = refreshEntries(f.sandbox).length;
  return { f, d, original, before };
}

test('500 three times: bounded retries with backoff, the old token is served meanwhile, then recovery', async (t) => {
  const { f, d, original, before } = await running(t, 6);
  f.sandbox.injectFault({ status: 500, count: 3, grantType: 'refresh_token' });
  const firstRetry = await d.waitFor((e) => e.event === 'retrying', 15_000, 'a retry');
  // during the backoff the store still holds the old token, and it still works
  const during = await (await FileStore.open(f.home)).read('svc');
  t.is(during.token.access_token, original);
  t.true(f.sandbox.isAccessTokenValid(original));
  t.is(firstRetry.code, 'PROVIDER_UNAVAILABLE');
  t.is(firstRetry.status, 500);
  t.regex(firstRetry.message, /stays valid for/);
  const recovered = await d.waitFor((e) => e.event === 'refreshed' && e.failed_attempts !== undefined, 15_000, 'the refresh');
  const retries = d.events.filter((e) => e.event === 'retrying');
  t.deepEqual(
    retries.map((e) => e.attempt),
    [1, 2, 3],
  );
  const tries = refreshEntries(f.sandbox).slice(before, before + 4);
  t.deepEqual(
    tries.map((e) => e.status),
    [500, 500, 500, 200],
    'exactly one request per attempt',
  );
  t.is(recovered.failed_attempts, 3);
  await d.waitFor((e) => e.event === 'recovered' && e.failed_attempts === 3, 5_000, 'recovered');
  const status = JSON.parse((await runCli(['status', 'svc', '--json'], { env: f.env })).stdout);
  t.is(status.daemon.attempts, 0, 'the failure count is reset after the recovery');
  t.is(status.daemon.last_error, undefined);
  await stopDaemon(d);
  t.is(replays(f.sandbox).length, 0);
});

test('429 with Retry-After that ends before the expiry: the next attempt waits at least that long; token keeps printing the old token meanwhile', async (t) => {
  // refreshed at 75-85 % of 20 s: 3-5 s of validity left, more than Retry-After asks for
  const { f, d, original, before } = await running(t, 20);
  f.sandbox.injectFault({ status: 429, retryAfter: 2, count: 1, grantType: 'refresh_token' });
  const retry = await d.waitFor((e) => e.event === 'retrying', 25_000, 'a retry');
  t.is(retry.status, 429);
  t.is(retry.retry_after_seconds, 2);
  t.is(retry.ignored_wait_ms, undefined, 'nothing of the wait was cut');
  const printed = await runCli(['token', 'svc', '--min-valid', '0'], { env: f.env });
  t.is(printed.code, 0, printed.stderr);
  t.is(printed.stdout.trim(), original);
  t.true(f.sandbox.isAccessTokenValid(original));
  const status = JSON.parse((await runCli(['status', 'svc', '--json'], { env: f.env })).stdout);
  t.is(status.daemon.state, 'retrying');
  t.is(status.daemon.attempts, 1);
  t.is(status.daemon.last_error.status, 429);
  t.is(status.daemon.next_attempt_reason, 'retry');
  await d.waitFor((e) => e.event === 'refreshed' && e.failed_attempts === 1, 15_000, 'the refresh');
  const [limited, ok] = refreshEntries(f.sandbox).slice(before);
  t.is(limited?.status, 429);
  t.is(ok?.status, 200);
  const gap = Date.parse(ok?.at as string) - Date.parse(limited?.at as string);
  t.true(gap >= 1900, `retried after ${gap} ms`);
  await stopDaemon(d);
});

test('a 429 asking for a day while the token has seconds left: the retry comes before the expiry, the ignored part is logged; at the expiry the state is failing and --on-failure runs once', async (t) => {
  // refreshed at 75-85 % of 20 s: 3-5 s of validity left when the 429 comes
  const f = await fixture(t, ['svc'], { accessTokenTtl: 20 });
  const expiresAt = Date.parse((await (await FileStore.open(f.home)).read('svc')).token.expires_at as string);
  f.sandbox.injectFault({ status: 429, retryAfter: 86_400, count: 1000, grantType: 'refresh_token' });
  const hookFile = `${f.base}/hooks.txt`;
  const hook = `printf '%s|%s\\n' "$OAUTH_HANDOFF_NAME" "$OAUTH_HANDOFF_STATE" >> ${hookFile}`;
  const d = spawnDaemon(t, ['svc', ...FAST, '--on-failure', hook], f.env);
  const first = await d.waitFor((e) => e.event === 'retrying', 30_000, 'the first 429');
  t.is(first.retry_after_seconds, 86_400);
  t.true((first.ignored_wait_ms as number) > 3_600_000, `ignored ${first.ignored_wait_ms} ms`);
  t.true(Date.parse(first.next_attempt_at as string) < expiresAt, 'the retry is planned before the expiry');
  t.regex(first.message, /ignored, so the retry comes before the access token expires/);
  const failing = await d.waitFor((e) => e.event === 'failing', 20_000, 'failing at the expiry');
  t.true(Date.parse(failing.time) >= expiresAt - 50, 'failing once the token has expired');
  await d.waitFor((e) => e.event === 'hook', 5_000, 'the hook');
  await sleep(1500);
  const attempts = refreshEntries(f.sandbox);
  t.true(attempts.length >= 2, `${attempts.length} attempts`);
  t.true(attempts.every((a) => Date.parse(a.at) < expiresAt), 'every attempt came before the expiry');
  const status = JSON.parse((await runCli(['status', 'svc', '--json'], { env: f.env })).stdout);
  t.is(status.daemon.state, 'failing');
  await stopDaemon(d);
  const lines = (await readFile(hookFile, 'utf8')).trim().split('\n');
  t.deepEqual(lines, ['svc|failing'], 'the hook ran once');
});

test('connection resets and a response slower than --http-timeout are retried; nothing is replayed', async (t) => {
  const { f, d } = await running(t, 4, ['--http-timeout', '1s']);
  f.sandbox.injectFault({ reset: true, count: 2, grantType: 'refresh_token' });
  f.sandbox.injectFault({ delayMs: 3000, count: 1, grantType: 'refresh_token' });
  const refreshed = await d.waitFor((e) => e.event === 'refreshed' && e.failed_attempts !== undefined, 20_000, 'the refresh');
  t.is(refreshed.failed_attempts, 3);
  const retries = d.events.filter((e) => e.event === 'retrying' || e.event === 'failing');
  t.is(retries.length, 3);
  t.true(retries.every((e) => e.code === 'PROVIDER_UNAVAILABLE'));
  t.regex(retries[2]?.message as string, /no response .* within 1 s/);
  await sleep(3000); // let the slow request finish at the server: it must not rotate anything
  t.is(replays(f.sandbox).length, 0);
  const token = (await runCli(['token', 'svc', '--min-valid', '0'], { env: f.env })).stdout.trim();
  t.true(f.sandbox.isAccessTokenValid(token));
  await stopDaemon(d);
});

test('invalid_grant: the state is persisted, the hook runs once, no more attempts, the others are unaffected', async (t) => {
  const f = await fixture(t, ['dead', 'alive'], { accessTokenTtl: 3 });
  const store = await FileStore.open(f.home);
  const dead = await store.read('dead');
  const alive = await store.read('alive');
  // the user revoked the grant at the provider (RFC 7009)
  t.is(await revokeAtProvider(f.sandbox, dead.token.refresh_token as string), 200);
  const hookFile = `${f.base}/hooks.txt`;
  const hook = `printf '%s|%s|%s|%s\\n' "$OAUTH_HANDOFF_NAME" "$OAUTH_HANDOFF_STATE" "$OAUTH_HANDOFF_EVENT" "$OAUTH_HANDOFF_MESSAGE" >> ${hookFile}`;
  const args = ['--all', ...FAST, '--on-failure', hook];
  const d = spawnDaemon(t, args, { ...f.env, OAUTH_HANDOFF_PASSPHRASE: 'not-for-hooks' });
  const ev = await d.waitFor((e) => e.event === 'reauthorization_required', 15_000, 'reauthorization_required');
  t.is(ev.name, 'dead');
  t.regex(ev.hint as string, /oauth-handoff authorize --name dead/);
  await d.waitForCount((e) => e.event === 'refreshed' && e.name === 'alive', 3, 20_000, 'alive refreshed 3 times');
  await d.waitFor((e) => e.event === 'hook', 5_000, 'the hook finished');
  const deadId = refreshTokenId(dead.token.refresh_token as string);
  t.is(refreshEntries(f.sandbox).filter((e) => e.refreshTokenId === deadId).length, 1, 'one attempt for the dead grant, no retries');

  // restart: the state stays, the hook is not run again, still no attempts for the dead grant
  t.is((await stopDaemon(d)).code, 0);
  const again = spawnDaemon(t, args, f.env);
  await again.waitFor((e) => e.event === 'ready', 10_000, 'ready');
  await again.waitFor((e) => e.event === 'refreshed' && e.name === 'alive', 10_000, 'alive refreshed');
  await stopDaemon(again);

  const lines = (await readFile(hookFile, 'utf8')).trim().split('\n');
  t.is(lines.length, 1, lines.join('\n'));
  t.regex(lines[0] as string, /^dead\|reauthorization_required\|reauthorization_required\|dead: .*invalid_grant/);
  const text = await readFile(hookFile, 'utf8');
  for (const secret of [dead.token.access_token, dead.token.refresh_token, alive.token.access_token, alive.token.refresh_token, f.sandbox.client.secret]) {
    t.false(text.includes(secret as string), 'the hook never sees a token or secret');
    t.false(d.events.some((e) => JSON.stringify(e).includes(secret as string)), 'the log never shows a token or secret');
  }
  t.is(refreshEntries(f.sandbox).filter((e) => e.refreshTokenId === deadId).length, 1);
  const status = await runCli(['status', 'dead', '--json'], { env: f.env });
  t.is(status.code, 3);
  const s = JSON.parse(status.stdout);
  t.is(s.state, 'reauthorization_required');
  t.is(s.daemon.state, 'reauthorization_required');
  const aliveStatus = JSON.parse((await runCli(['status', 'alive', '--json'], { env: f.env })).stdout);
  t.not(aliveStatus.state, 'reauthorization_required');
  t.is(aliveStatus.daemon.state, 'scheduled');
  t.true(aliveStatus.refresh_count >= 4);
  t.is(replays(f.sandbox).length, 0);
});

test('SIGKILL during a refresh, then restart: the store opens and the refresh token is not replayed', async (t) => {
  const f = await fixture(t, ['svc'], { accessTokenTtl: 3 });
  f.sandbox.injectFault({ delayMs: 4000, count: 1, grantType: 'refresh_token' });
  const first = spawnDaemon(t, ['svc', ...FAST], f.env);
  await first.waitFor((e) => e.event === 'ready', 10_000, 'ready');
  const lock = `${f.home}/credentials/svc.ohs.lock`;
  for (let i = 0; i < 200 && !(await exists(lock)); i++) await sleep(25);
  t.true(await exists(lock), 'the refresh started');
  await sleep(300); // the request is at the server now, held up by the fault
  first.child.kill('SIGKILL');
  await first.exited;
  const second = spawnDaemon(t, ['svc', ...FAST], f.env);
  await second.waitFor((e) => e.event === 'ready', 15_000, 'ready after the restart');
  await second.waitFor((e) => e.event === 'refreshed', 15_000, 'refreshed after the restart');
  await sleep(4000); // the held-up request ends at the server too
  t.is(replays(f.sandbox).length, 0);
  const status = await runCli(['status', 'svc', '--json'], { env: f.env });
  t.is(status.code, 0, status.stderr);
  const s = JSON.parse(status.stdout);
  t.is(s.state, 'ok');
  t.is(s.interrupted_refresh_at, undefined);
  const token = (await runCli(['token', 'svc', '--min-valid', '0'], { env: f.env })).stdout.trim();
  t.true(f.sandbox.isAccessTokenValid(token));
  await stopDaemon(second);
});

test('SIGKILL right after marking a refresh, then restart: it refreshes normally', async (t) => {
  const f = await fixture(t, ['svc'], { accessTokenTtl: 3 });
  const first = spawnDaemon(t, ['svc', ...FAST], { ...f.env, OAUTH_HANDOFF_TEST_KILL_AT: 'marked' });
  const gone = await first.exited;
  t.is(gone.signal, 'SIGKILL');
  t.is(refreshEntries(f.sandbox).length, 0);
  const second = spawnDaemon(t, ['svc', ...FAST], f.env);
  await second.waitFor((e) => e.event === 'refreshed', 15_000, 'refreshed after the restart');
  t.is(replays(f.sandbox).length, 0);
  t.is(refreshEntries(f.sandbox).length, 1);
  await stopDaemon(second);
});

test('a second daemon on the same store refuses to start with a clear message; after a SIGKILL a new one starts within seconds', async (t) => {
  const f = await fixture(t, ['svc'], { accessTokenTtl: 3600 });
  const first = spawnDaemon(t, ['--all'], f.env);
  await first.waitFor((e) => e.event === 'ready', 10_000, 'ready');
  const second = await runCli(['daemon', '--all'], { env: f.env, timeoutMs: 20_000 });
  t.is(second.code, 1, `exit 1 (another daemon runs), not 6 (lock timeout): ${second.stderr}`);
  t.regex(second.stderr, new RegExp(`another oauth-handoff daemon \\(pid ${first.child.pid}, started .*\\) is already running on the store`));
  t.is(first.child.exitCode, null, 'the first one runs on');
  first.child.kill('SIGKILL');
  await first.exited;
  const third = spawnDaemon(t, ['--all'], f.env);
  await third.waitFor((e) => e.event === 'ready', 10_000, 'ready after the SIGKILL');
  await stopDaemon(third);
});
