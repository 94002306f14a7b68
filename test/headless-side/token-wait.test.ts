/**
 * `token` waiting on another process's lock says so after a moment (it used
 * to stay silent up to --lock-timeout), then prints the token the other
 * process obtained. Real processes of the built CLI against the sandbox.
 */
import test from 'ava';
import { stat } from 'node:fs/promises';
import { startSandbox } from '../../src/sandbox/index.js';
import { cleanEnv, collect, runCli, spawnCli, tempDir, trackChildren } from '../helpers/cli.js';
import { settingsFrom, storeWith } from '../helpers/fixtures.js';

test('a token call that waits for another refreshing process says what it waits for and how long at most', async (t) => {
  const sandbox = await startSandbox({ profile: 'generic' });
  t.teardown(() => sandbox.close());
  const grant = await sandbox.mintGrant();
  const base = await tempDir(t);
  const home = `${base}/store`;
  await storeWith(home, settingsFrom(sandbox, grant, { name: 'svc', now: Date.now() - 7200_000 }));
  const env = cleanEnv(base, { OAUTH_HANDOFF_HOME: home });
  const track = trackChildren(t);
  sandbox.injectFault({ delayMs: 6_000, count: 1 });
  const holder = track(spawnCli(['token', 'svc'], { env }));
  const holderDone = collect(holder, { timeoutMs: 60_000 });
  let locked = false;
  for (let i = 0; i < 400 && !locked; i++) {
    locked = await stat(`${home}/credentials/svc.ohs.lock`).then(() => true, () => false);
    if (!locked) await new Promise((r) => setTimeout(r, 25));
  }
  t.true(locked, 'the first process took the lock');
  const waiter = await runCli(['token', 'svc', '--lock-timeout', '45'], { env, timeoutMs: 60_000 });
  t.is(waiter.code, 0, waiter.stderr);
  t.regex(waiter.stderr, /another oauth-handoff process is refreshing "svc"; waiting up to 45 s for it \(--lock-timeout\)/);
  const h = await holderDone;
  t.is(h.code, 0, h.stderr);
  t.is(waiter.stdout, h.stdout, 'the waiter prints the token the other process obtained');
  t.notRegex(h.stderr, /waiting up to/, 'a process that did not wait says nothing');
});
