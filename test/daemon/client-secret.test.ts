/**
 * A client registered with dynamic registration may get a secret that
 * expires (RFC 7591 client_secret_expires_at): `status` shows it and the
 * daemon warns before it, at the --warn-before thresholds, once each.
 */
import test from 'ava';
import { runCli } from '../helpers/cli.js';
import { FAST, fixture, spawnDaemon, stopDaemon } from './helpers.js';

test('the daemon warns before a registered client\'s secret expires, once per threshold; status shows the expiry', async (t) => {
  const expires = new Date(Date.now() + 8_000).toISOString();
  const f = await fixture(t, ['registered', 'plain'], {
    accessTokenTtl: 3600,
    edit: (s) => (s.name === 'registered' ? { ...s, client: { ...s.client, secret_expires_at: expires } } : s),
  });
  const status = await runCli(['status', 'registered', '--json'], { env: f.env });
  t.is(JSON.parse(status.stdout).client_secret_expires_at, expires);
  const table = await runCli(['status', 'registered'], { env: f.env });
  t.regex(table.stdout, /client secret: +expires in [\d.]+ s \(/);

  const d = spawnDaemon(t, ['--all', ...FAST, '--warn-before', '6s,3s'], f.env);
  await d.waitForCount((e) => e.event === 'client_secret_expiring', 2, 20_000, 'two warnings');
  const warned = d.events.filter((e) => e.event === 'client_secret_expiring');
  t.deepEqual(warned.map((e) => `${e.name}:${e.threshold_seconds}`), ['registered:6', 'registered:3']);
  t.is(warned[0]?.client_secret_expires_at, expires);
  t.regex(String(warned[0]?.message), /the client secret registered for it expires in/);
  t.is((await stopDaemon(d)).code, 0);
});
