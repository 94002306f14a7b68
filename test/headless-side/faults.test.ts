import test from 'ava';
import type { ExecutionContext } from 'ava';
import { stat } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { startSandbox } from '../../src/sandbox/index.js';
import { cleanEnv, collect, runCli, spawnCli, tempDir, trackChildren } from '../helpers/cli.js';
import { settingsFrom, storeWith } from '../helpers/fixtures.js';

async function expiredStore(t: ExecutionContext) {
  const sandbox = await startSandbox({ profile: 'generic', replayRevokesGrant: true });
  t.teardown(() => sandbox.close());
  const grant = await sandbox.mintGrant();
  const base = await tempDir(t);
  const home = `${base}/store`;
  await storeWith(home, settingsFrom(sandbox, grant, { name: 'svc', now: Date.now() - 7200_000 }));
  return { sandbox, home, env: cleanEnv(base, { OAUTH_HANDOFF_HOME: home }) };
}

async function waitForLock(home: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await stat(`${home}/credentials/svc.ohs.lock`).then(() => true, () => false)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the lock was never taken');
}

const refreshCount = (s: { log(): readonly { grantType?: string }[] }) => s.log().filter((e) => e.grantType === 'refresh_token').length;

test('SIGKILL after marking a refresh, before the request: the store opens and the next token refreshes normally', async (t) => {
  const { sandbox, env } = await expiredStore(t);
  const killed = await runCli(['token', 'svc'], { env: { ...env, OAUTH_HANDOFF_TEST_KILL_AT: 'marked' } });
  t.is(killed.signal, 'SIGKILL');
  t.is(refreshCount(sandbox), 0);
  const r = await runCli(['token', 'svc'], { env });
  t.is(r.code, 0, r.stderr);
  t.true(sandbox.isAccessTokenValid(r.stdout.trim()));
  t.is(refreshCount(sandbox), 1);
});

test('SIGKILL after the server rotated the token but before it was stored: the next token says exactly why (exit 3), no loop', async (t) => {
  const { sandbox, env } = await expiredStore(t);
  const killed = await runCli(['token', 'svc'], { env: { ...env, OAUTH_HANDOFF_TEST_KILL_AT: 'responded' } });
  t.is(killed.signal, 'SIGKILL');
  t.is(refreshCount(sandbox), 1);
  const r = await runCli(['token', 'svc'], { env });
  t.is(r.code, 3, r.stderr);
  t.regex(r.stderr, /interrupted/);
  const again = await runCli(['token', 'svc'], { env });
  t.is(again.code, 3);
  t.is(refreshCount(sandbox), 2, 'after the replay is refused, nothing is sent again');
  const status = await runCli(['status', 'svc', '--json'], { env });
  t.is(JSON.parse(status.stdout).state, 'reauthorization_required');
});

test('SIGKILL right after storing the new tokens: the next token uses them without refreshing', async (t) => {
  const { sandbox, env } = await expiredStore(t);
  const killed = await runCli(['token', 'svc'], { env: { ...env, OAUTH_HANDOFF_TEST_KILL_AT: 'stored' } });
  t.is(killed.signal, 'SIGKILL');
  const r = await runCli(['token', 'svc'], { env });
  t.is(r.code, 0, r.stderr);
  t.true(sandbox.isAccessTokenValid(r.stdout.trim()));
  t.is(refreshCount(sandbox), 1);
});

test('a lock holder killed with SIGKILL blocks the next process for at most 3 s', async (t) => {
  const sandbox = await startSandbox({ profile: 'generic', replayRevokesGrant: true });
  t.teardown(() => sandbox.close());
  const base = await tempDir(t);
  const home = `${base}/store`;
  const old = Date.now() - 7200_000;
  await storeWith(
    home,
    settingsFrom(sandbox, await sandbox.mintGrant(), { name: 'svc', now: old }),
    settingsFrom(sandbox, await sandbox.mintGrant(), { name: 'baseline', now: old }),
  );
  const env = cleanEnv(base, { OAUTH_HANDOFF_HOME: home });
  // The holder dies with SIGKILL while it holds the write lock (right after marking its refresh).
  const killed = await runCli(['token', 'svc'], { env: { ...env, OAUTH_HANDOFF_TEST_KILL_AT: 'marked' } });
  t.is(killed.signal, 'SIGKILL');
  t.true(await stat(`${home}/credentials/svc.ohs.lock`).then(() => true, () => false), 'the dead holder left its lock behind');
  // The same refresh without a dead lock in the way, measured just before: process start and refresh cost this much.
  let at = performance.now();
  t.is((await runCli(['token', 'baseline'], { env })).code, 0);
  const baseline = performance.now() - at;
  at = performance.now();
  const next = await runCli(['token', 'svc', '--lock-timeout', '20'], { env });
  const total = performance.now() - at;
  t.is(next.code, 0, next.stderr);
  t.true(sandbox.isAccessTokenValid(next.stdout.trim()));
  const blocked = total - baseline;
  t.log(`blocked by the dead holder's lock for about ${Math.round(blocked)} ms (${Math.round(total)} ms in all, ${Math.round(baseline)} ms without the lock)`);
  t.true(blocked < 3000, `blocked for ${blocked} ms`);
});

test('a process waiting longer than --lock-timeout exits 6 with a clear message', async (t) => {
  const { sandbox, home, env } = await expiredStore(t);
  const track = trackChildren(t);
  sandbox.injectFault({ delayMs: 8_000, count: 1 });
  const holder = track(spawnCli(['token', 'svc'], { env }));
  const holderDone = collect(holder, { timeoutMs: 30_000 });
  await waitForLock(home);
  const waiter = await runCli(['token', 'svc', '--lock-timeout', '1'], { env });
  t.is(waiter.code, 6, waiter.stderr);
  t.regex(waiter.stderr, /timed out .* waiting for the lock/);
  const h = await holderDone;
  t.is(h.code, 0, h.stderr);
});
