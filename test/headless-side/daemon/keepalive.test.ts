import test from 'ava';
import { readFile } from 'node:fs/promises';
import { collect, runCli, spawnCli, tempDir, cleanEnv, trackChildren } from '../../helpers/cli.js';
import { settingsFrom, storeWith } from '../../helpers/fixtures.js';
import { startOidcProvider } from '../../helpers/oidc-server.js';
import { FAST, fixture, refreshEntries, replays, sleep, spawnDaemon, stopDaemon } from './helpers.js';

const lines = async (file: string): Promise<string[]> =>
  (await readFile(file, 'utf8').catch(() => ''))
    .split('\n')
    .filter((l) => l !== '');

test('keep-alive refreshes idle grants before their refresh token expires; when that cannot extend it, warnings come once per threshold', async (t) => {
  const now = Date.now();
  const f = await fixture(t, ['rotating', 'fixed'], {
    accessTokenTtl: 3600,
    // the access tokens are good for an hour: only the refresh tokens' expiry makes the daemon act
    edit: (s) =>
      s.name === 'rotating'
        ? // a Questetra-style grant: each refresh issues a new refresh token with a new 30-day life
          { ...s, provider: 'questetra', token: { ...s.token, refresh_token_expires_at: new Date(now + 16_000).toISOString() } }
        : // a grant whose refresh token expiry does not move when refreshed
          { ...s, token: { ...s.token, refresh_token_expires_at: new Date(now + 14_000).toISOString() } },
  });
  const warnFile = `${f.base}/warnings.txt`;
  const hook = `printf '%s|%s|%s\\n' "$OAUTH_HANDOFF_NAME" "$OAUTH_HANDOFF_STATE" "$OAUTH_HANDOFF_MESSAGE" >> ${warnFile}`;
  const args = ['--all', ...FAST, '--warn-before', '6s,2s', '--keep-alive-before', '12s', '--on-warning', hook];
  const d = spawnDaemon(t, args, f.env);
  await d.waitForCount((e) => e.event === 'refresh_token_expiring' && e.name === 'fixed', 2, 20_000, 'two warnings for "fixed"');
  await d.waitForCount((e) => e.event === 'hook', 2, 5_000, 'both hooks ran');
  const keptAlive = d.events.filter((e) => e.event === 'refreshed');
  t.deepEqual(keptAlive.map((e) => `${e.name}:${e.reason}`).sort(), ['fixed:keep-alive', 'rotating:keep-alive']);
  t.regex(keptAlive.find((e) => e.name === 'fixed')?.message as string, /did not move/);
  t.deepEqual(
    d.events
      .filter((e) => e.event === 'keep_alive')
      .map((e) => `${e.name}:${e.extended}`)
      .sort(),
    ['fixed:false', 'rotating:true'],
  );
  const rotated = keptAlive.find((e) => e.name === 'rotating');
  t.true(Date.parse(rotated?.refresh_token_expires_at as string) > now + 29 * 86400_000, 'the new refresh token got a new 30-day life');
  t.true(Date.parse(rotated?.time as string) < now + 14_000, 'kept alive before the refresh token ran out');

  const status = JSON.parse((await runCli(['status', 'fixed', '--json'], { env: f.env })).stdout);
  t.is(status.daemon.refresh_token_warning.threshold_seconds, 2);

  // a restart does not warn again nor keep alive again
  t.is((await stopDaemon(d)).code, 0);
  const again = spawnDaemon(t, args, f.env);
  await again.waitFor((e) => e.event === 'ready', 10_000, 'ready');
  await sleep(1500);
  await stopDaemon(again);

  const warned = await lines(warnFile);
  t.is(warned.length, 2, warned.join('\n'));
  t.true(warned.every((l) => l.startsWith('fixed|refresh_token_expiring|fixed: the refresh token expires')));
  t.is(refreshEntries(f.sandbox).length, 2, 'one keep-alive refresh each, no loop');
  t.is(replays(f.sandbox).length, 0);
});

test('against oidc-provider (whole-grant revocation on replay): the daemon and token scripts keep one grant alive across many lifetimes', async (t) => {
  const oidc = await startOidcProvider({ accessTokenTtl: 4 });
  t.teardown(() => oidc.close());
  const tokens = await oidc.obtainTokens();
  const base = await tempDir(t, 'oh-daemon-oidc-');
  const home = `${base}/store`;
  await storeWith(home, settingsFrom({ endpoints: oidc.endpoints, client: oidc.client }, tokens, { name: 'oidc' }));
  const env = cleanEnv(base, { OAUTH_HANDOFF_HOME: home });
  const d = spawnDaemon(t, ['oidc', ...FAST], env);
  await d.waitFor((e) => e.event === 'ready', 10_000, 'ready');
  const track = trackChildren(t);
  const until = Date.now() + 11_000;
  const results: { code: number | null; status: number }[] = [];
  for (let i = 0; i < 200 && Date.now() < until; i++) {
    const r = await collect(track(spawnCli(['token', 'oidc', '--min-valid', '0.5'], { env })), { timeoutMs: 30_000 });
    const me = await fetch(`${oidc.issuer}/me`, { headers: { Authorization: `Bearer ${r.stdout.trim()}` } });
    results.push({ code: r.code, status: me.status });
    await sleep(100);
  }
  t.is((await stopDaemon(d)).code, 0);
  t.true(results.length >= 10);
  t.deepEqual(
    results.filter((r) => r.code !== 0 || r.status !== 200),
    [],
    'every printed token was accepted by the server',
  );
  t.true(d.events.filter((e) => ['refreshed', 'skipped', 'changed'].includes(e.event)).length >= 2, 'the daemon kept up with every new token');
  t.false(d.events.some((e) => e.event === 'reauthorization_required'));
  // a replay anywhere would have revoked the whole grant: refreshing once more proves it is alive
  const r = await runCli(['refresh', 'oidc', '--json'], { env });
  t.is(r.code, 0, r.stderr);
  t.true(JSON.parse(r.stdout).refresh_count >= 3);
});
