import test from 'ava';
import { stat } from 'node:fs/promises';
import { collect, runCli, spawnCli, trackChildren } from '../../helpers/cli.js';
import { settingsFrom } from '../../helpers/fixtures.js';
import { FileStore, loadMachineKey, storeLayout } from '../../../src/settings-file/index.js';
import { FAST, fixture, refreshEntries, replays, sleep, spawnDaemon, stopDaemon } from './helpers.js';

const exists = (p: string) => stat(p).then(
  () => true,
  () => false,
);

test('tokens stay valid across many lifetimes, with one refresh per lifetime per credential (no storms)', async (t) => {
  const ttl = 4;
  const names = ['a', 'b', 'c'];
  const f = await fixture(t, names, { accessTokenTtl: ttl });
  const d = spawnDaemon(t, ['--all', ...FAST], f.env);
  await d.waitFor((e) => e.event === 'ready', 10_000, 'ready');
  // the fixture's tokens were minted before the daemon started: count from the first round
  for (const n of names) await d.waitFor((e) => e.event === 'refreshed' && e.name === n, 10_000, `${n} refreshed`);
  const store = await FileStore.open(f.home);
  const base = new Map<string, number>();
  for (const n of names) base.set(n, (await store.read(n)).health.refresh_count ?? 0);
  const startedAt = Date.now();
  let checks = 0;
  const invalid: string[] = [];
  const until = Date.now() + 13_000;
  while (Date.now() < until) {
    for (const n of names) {
      const s = await store.read(n);
      checks++;
      if (!f.sandbox.isAccessTokenValid(s.token.access_token)) invalid.push(`${n} at ${new Date().toISOString()}`);
    }
    await sleep(150);
  }
  const r = await stopDaemon(d);
  const elapsed = Date.now() - startedAt;
  t.is(r.code, 0, d.stderr());
  t.deepEqual(invalid, [], `the stored token was always valid (${checks} checks)`);
  t.is(replays(f.sandbox).length, 0);
  // each refresh comes at 75-85 % of the new token's life: about elapsed / (0.8 × ttl) of them
  const lo = Math.floor(elapsed / (0.85 * ttl * 1000 + 400)) - 1;
  const hi = Math.ceil(elapsed / (0.75 * ttl * 1000)) + 1;
  for (const n of names) {
    const count = ((await store.read(n)).health.refresh_count ?? 0) - (base.get(n) as number);
    t.true(count >= lo && count <= hi, `${n}: ${count} refreshes in ${elapsed} ms, expected ${lo}-${hi}`);
    const times = d.events.filter((e) => e.event === 'refreshed' && e.name === n).map((e) => Date.parse(e.time));
    for (let i = 1; i < times.length; i++) {
      t.true((times[i] as number) - (times[i - 1] as number) >= 0.6 * ttl * 1000, `${n}: refreshes ${(times[i] as number) - (times[i - 1] as number)} ms apart`);
    }
  }
  t.is(refreshEntries(f.sandbox).filter((e) => e.status !== 200).length, 0);
});

test('token processes in a loop while the daemon refreshes: every printed token is valid when printed, zero replays', async (t) => {
  const f = await fixture(t, ['svc'], { accessTokenTtl: 4 });
  const d = spawnDaemon(t, ['svc', ...FAST], f.env);
  await d.waitFor((e) => e.event === 'ready', 10_000, 'ready');
  const track = trackChildren(t);
  const until = Date.now() + 10_000;
  const printed: { token: string; valid: boolean; code: number | null; stderr: string }[] = [];
  const loop = async () => {
    for (let i = 0; i < 200 && Date.now() < until; i++) {
      // --min-valid 1: the scripts refresh too when the token is nearly spent, racing the daemon
      const r = await collect(track(spawnCli(['token', 'svc', '--min-valid', '0.8'], { env: f.env })), { timeoutMs: 30_000 });
      const token = r.stdout.trim();
      printed.push({ token, valid: f.sandbox.isAccessTokenValid(token), code: r.code, stderr: r.stderr });
    }
  };
  await Promise.all([loop(), loop(), loop()]);
  await stopDaemon(d);
  t.true(printed.length >= 20, `${printed.length} tokens printed`);
  t.deepEqual(
    printed.filter((p) => p.code !== 0 || !p.valid),
    [],
  );
  t.is(replays(f.sandbox).length, 0);
  const ok = refreshEntries(f.sandbox).filter((e) => e.status === 200);
  t.true(ok.length >= 2, `${ok.length} refreshes`);
  t.is(new Set(ok.map((e) => e.refreshTokenId)).size, ok.length, 'each refresh token was presented once');
  const daemonTurns = d.events.filter((e) => e.event === 'refreshed' || e.event === 'skipped');
  t.true(daemonTurns.length >= 1, 'the daemon took its turns too');
  t.log(`${printed.length} tokens printed; ${ok.length} refreshes, ${d.events.filter((e) => e.event === 'refreshed').length} by the daemon, ${d.events.filter((e) => e.event === 'skipped').length} found done by a script`);
});

test('picks up credentials imported while it runs, forgets removed ones, reloads on SIGHUP, and status shows its plan', async (t) => {
  const f = await fixture(t, ['one'], { accessTokenTtl: 3600 });
  const d = spawnDaemon(t, ['--all', ...FAST], f.env);
  await d.waitFor((e) => e.event === 'ready', 10_000, 'ready');

  const status = await runCli(['status', 'one', '--json'], { env: f.env });
  t.is(status.code, 0, status.stderr);
  const s = JSON.parse(status.stdout);
  t.is(s.daemon.running, true);
  t.is(s.daemon.state, 'scheduled');
  t.is(s.daemon.next_attempt_reason, 'refresh');
  const nextAt = Date.parse(s.daemon.next_attempt_at);
  t.true(nextAt > Date.now() + 0.7 * 3600_000 && nextAt < Date.now() + 0.86 * 3600_000, s.daemon.next_attempt_at);
  const human = await runCli(['status', 'one'], { env: f.env });
  t.regex(human.stdout, /daemon: +running \(pid \d+\), scheduled; next refresh in/);

  // import a second credential whose token is already stale: picked up and refreshed at once
  const store = await FileStore.openForWriting(f.home, await loadMachineKey(storeLayout(f.home)));
  const stale = settingsFrom(f.sandbox, await f.sandbox.mintGrant(), { name: 'two', now: Date.now() - 3500_000 });
  await store.withWriteLock('two', () => store.write(stale));
  await d.waitFor((e) => e.event === 'added' && e.name === 'two', 10_000, 'two added');
  await d.waitFor((e) => e.event === 'refreshed' && e.name === 'two', 10_000, 'two refreshed');
  t.true(await exists(`${f.home}/state/two.json`));

  const forget = await runCli(['forget', 'one'], { env: f.env });
  t.is(forget.code, 0, forget.stderr);
  await d.waitFor((e) => e.event === 'removed' && e.name === 'one', 10_000, 'one removed');
  await sleep(200);
  t.false(await exists(`${f.home}/state/one.json`), 'its state file is removed too');

  d.child.kill('SIGHUP');
  await d.waitFor((e) => e.event === 'reloading', 10_000, 'reloading');
  await sleep(300);
  t.is(d.child.exitCode, null, 'still running after SIGHUP');

  const r = await stopDaemon(d);
  t.is(r.code, 0);
  t.truthy(d.events.find((e) => e.event === 'stopped'));
  t.false(await exists(`${f.home}/daemon.lock`), 'the daemon lock is released');
  const after = JSON.parse((await runCli(['status', 'two', '--json'], { env: f.env })).stdout);
  t.is(after.daemon.running, false);
  t.is(after.daemon.next_attempt_at, undefined, 'no plan shown when no daemon runs');
  t.is(replays(f.sandbox).length, 0);
});

test('SIGTERM during a refresh lets it finish and store its result, then exits 0', async (t) => {
  // long enough that the refreshed token is still valid when status looks, even on a loaded machine
  const f = await fixture(t, ['svc'], { accessTokenTtl: 8 });
  f.sandbox.injectFault({ delayMs: 1500, count: 1, grantType: 'refresh_token' });
  const d = spawnDaemon(t, ['svc', ...FAST], f.env);
  await d.waitFor((e) => e.event === 'ready', 10_000, 'ready');
  const lock = `${f.home}/credentials/svc.ohs.lock`;
  for (let i = 0; i < 600 && !(await exists(lock)); i++) await sleep(25);
  t.true(await exists(lock), 'the refresh started');
  await sleep(300);
  d.child.kill('SIGTERM');
  const r = await d.exited;
  t.is(r.code, 0, d.stderr());
  const order = d.events.map((e) => e.event).filter((e) => ['stopping', 'refreshed', 'stopped'].includes(e));
  t.deepEqual(order, ['stopping', 'refreshed', 'stopped']);
  t.is(d.events.find((e) => e.event === 'stopping')?.in_flight, 1);
  const status = JSON.parse((await runCli(['status', 'svc', '--json'], { env: f.env })).stdout);
  t.is(status.state, 'ok');
  t.is(status.refresh_count, 1);
  t.is(status.interrupted_refresh_at, undefined, 'nothing was cut in half');
  t.false(await exists(lock));
  const token = (await runCli(['token', 'svc', '--min-valid', '0'], { env: f.env })).stdout.trim();
  t.true(f.sandbox.isAccessTokenValid(token));
});

test('daemon needs NAME... or --all, not both', async (t) => {
  const f = await fixture(t, ['svc']);
  const none = await runCli(['daemon'], { env: f.env });
  t.is(none.code, 2);
  t.regex(none.stderr, /--all/);
  const both = await runCli(['daemon', 'svc', '--all'], { env: f.env });
  t.is(both.code, 2);
  const badDuration = await runCli(['daemon', 'svc', '--warn-before', 'soon'], { env: f.env });
  t.is(badDuration.code, 2);
  t.regex(badDuration.stderr, /invalid --warn-before "soon"/);
});
