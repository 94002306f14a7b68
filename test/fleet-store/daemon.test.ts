/**
 * The daemon, unchanged, on a fleet store: one daemon per host, all keeping
 * the same credential fresh, one refresh per token lifetime in all.
 */
import test from 'ava';
import { startSandbox } from '../../src/sandbox/index.js';
import { settingsFrom } from '../helpers/fixtures.js';
import { FAST, refreshEntries, replays, sleep, spawnDaemon, stopDaemon } from '../headless-side/daemon/helpers.js';
import { makeHost, seedFleet, startRedis } from './helpers.js';

test('daemons on two hosts keep one fleet credential fresh: one refresh per lifetime in all, never a replay', async (t) => {
  t.timeout(90_000);
  // long enough that a refresh at 75-85 % of the lifetime lands before expiry on a loaded 2-core machine
  const ttl = 8;
  const redis = await startRedis(t);
  const sandbox = await startSandbox({ profile: 'generic', replayRevokesGrant: true, accessTokenTtl: ttl });
  t.teardown(() => sandbox.close());
  const hosts = await Promise.all([makeHost(t, redis.url, 'host-a'), makeHost(t, redis.url, 'host-b')]);
  await seedFleet(hosts, settingsFrom(sandbox, await sandbox.mintGrant(), { name: 'svc' }));
  const daemons = hosts.map((h) => spawnDaemon(t, ['svc', ...FAST], h.env));
  for (const d of daemons) await d.waitFor((e) => e.event === 'ready', 15_000, 'ready');
  const reader = await (hosts[0] as (typeof hosts)[number]).store();
  const startedAt = Date.now();
  const before = (await reader.read('svc')).health.refresh_count ?? 0;
  const invalid: string[] = [];
  let checks = 0;
  while (Date.now() - startedAt < 20_000) {
    const s = await reader.read('svc');
    checks++;
    if (!sandbox.isAccessTokenValid(s.token.access_token)) invalid.push(new Date().toISOString());
    await sleep(200);
  }
  const elapsed = Date.now() - startedAt;
  for (const d of daemons) t.is((await stopDaemon(d)).code, 0, d.stderr());
  const count = ((await reader.read('svc')).health.refresh_count ?? 0) - before;
  t.deepEqual(invalid, [], `the stored token was always valid (${checks} checks)`);
  t.is(replays(sandbox).length, 0);
  t.is(refreshEntries(sandbox).filter((e) => e.status !== 200).length, 0);
  // one refresh at 75-85 % of each token's life, whichever daemon gets there first: not one per host
  const hi = Math.ceil(elapsed / (0.75 * ttl * 1000)) + 1;
  t.true(count >= 2 && count <= hi, `${count} refreshes in ${elapsed} ms (at most ${hi} expected)`);
  const refreshedBy = daemons.map((d) => d.events.filter((e) => e.event === 'refreshed').length);
  t.log(`refreshes by daemon: ${refreshedBy.join(', ')}; skipped (another host was first): ${daemons.map((d) => d.events.filter((e) => e.event === 'skipped').length).join(', ')}`);
});
