/**
 * A client registered with dynamic registration may get a secret that
 * expires (RFC 7591 client_secret_expires_at): `status` shows it and the
 * daemon warns before it, at the --warn-before thresholds, once each.
 */
import test from 'ava';
import { runCli } from '../../helpers/cli.js';
import { FAST, fixture, spawnDaemon, stopDaemon } from './helpers.js';

test('the daemon warns before a registered client\'s secret expires, at the threshold it crosses; status shows the expiry', async (t) => {
  // an hour away: the 2 h threshold is crossed at start, the 10 min one not during the test (no race with a slow start)
  const expires = new Date(Date.now() + 3600_000).toISOString();
  const f = await fixture(t, ['registered', 'plain'], {
    accessTokenTtl: 3600,
    edit: (s) => (s.name === 'registered' ? { ...s, client: { ...s.client, secret_expires_at: expires } } : s),
  });
  const status = await runCli(['status', 'registered', '--json'], { env: f.env });
  t.is(JSON.parse(status.stdout).client_secret_expires_at, expires);
  const table = await runCli(['status', 'registered'], { env: f.env });
  t.regex(table.stdout, /client secret: +expires in \d+ min \(/);

  const d = spawnDaemon(t, ['--all', ...FAST, '--warn-before', '2h,10m'], f.env);
  await d.waitForCount((e) => e.event === 'client_secret_expiring', 1, 20_000, 'the warning');
  await d.waitFor((e) => e.event === 'ready', 10_000, 'ready');
  const warned = d.events.filter((e) => e.event === 'client_secret_expiring');
  t.deepEqual(warned.map((e) => `${e.name}:${e.threshold_seconds}`), ['registered:7200'], 'once, for the threshold crossed; none for the credential without an expiring secret');
  t.is(warned[0]?.client_secret_expires_at, expires);
  t.regex(String(warned[0]?.message), /the client secret registered for it expires in/);
  t.is((await stopDaemon(d)).code, 0);
});
