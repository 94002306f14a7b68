/**
 * The fleet store as a library, against a real redis-server: the lease, the
 * version compare-and-swap, waiting without polling, sealing, prefixes.
 */
import test from 'ava';
import { CODES, HandoffError } from '../../src/errors.js';
import { openCredential } from '../../src/index.js';
import { startSandbox } from '../../src/sandbox/index.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { openRedisStore } from '../../src/fleet-store/index.js';
import type { Settings } from '../../src/settings-file/index.js';
import { settingsFrom } from '../helpers/fixtures.js';
import { makeHost, runHostCli, seedFleet, startRedis, waitFor } from './helpers.js';

const FAKE = { endpoints: { token: 'http://127.0.0.1:9/token' }, client: { id: 'client' } };

function settings(name: string, accessToken: string, validFor = 3000): Settings {
  return settingsFrom(FAKE, { access_token: accessToken, token_type: 'Bearer', expires_in: 3600, refresh_token: `rt-${accessToken}` }, { name, now: Date.now() - (3600 - validFor) * 1000 });
}

const later = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('Redis holds only sealed blobs: no token or client secret appears in any value', async (t) => {
  const redis = await startRedis(t);
  const [a, b] = await Promise.all([makeHost(t, redis.url, 'a'), makeHost(t, redis.url, 'b')]);
  const s = settings('svc', 'ACCESS-TOKEN-SECRET-1');
  s.client.secret = 'CLIENT-SECRET-1';
  await seedFleet([a, b], s);
  const dump: string[] = [];
  for (const key of await redis.client.keys('*')) {
    const type = await redis.client.type(key);
    if (type === 'string') dump.push((await redis.client.getBuffer(key))?.toString('latin1') ?? '');
    if (type === 'hash') dump.push(...Object.values(await redis.client.hgetallBuffer(key)).map((v) => v.toString('latin1')));
    if (type === 'set') dump.push(...(await redis.client.smembers(key)));
  }
  const all = dump.join('\n');
  t.false(all.includes('ACCESS-TOKEN-SECRET-1'));
  t.false(all.includes('rt-ACCESS-TOKEN-SECRET-1'));
  t.false(all.includes('CLIENT-SECRET-1'));
  // and both members open it with their own keys
  t.is((await (await b.store()).read('svc')).token.access_token, 'ACCESS-TOKEN-SECRET-1');
});

test('a host whose lease expired mid-refresh cannot overwrite the newer state; it re-runs on what is there', async (t) => {
  const redis = await startRedis(t);
  const url = `${redis.url}?lease=1`;
  const [a, b] = await Promise.all([makeHost(t, url, 'a'), makeHost(t, url, 'b')]);
  await seedFleet([a, b], settings('svc', 'v1'));
  const sa = await a.store();
  const sb = await b.store();
  const seen: string[] = [];
  let runs = 0;
  await sa.withWriteLock('svc', async () => {
    runs++;
    const cur = await sa.read('svc');
    seen.push(cur.token.access_token);
    if (runs > 1) return;
    // host A stalls; its lease is lost (as if it expired) and host B takes over and writes
    await redis.client.del('oauth-handoff:lease:svc');
    await sb.withWriteLock('svc', async () => {
      await sb.read('svc');
      await sb.write(settings('svc', 'v2-from-b'));
    });
    await sa.write(settings('svc', 'v2-from-a'));
  });
  t.deepEqual(seen, ['v1', 'v2-from-b'], 'the write failed, and the second run saw host B\'s state');
  t.is((await sb.read('svc')).token.access_token, 'v2-from-b', "host B's newer state was kept");
});

test('a writer that lost its lease for good gets a clear error, nothing overwritten', async (t) => {
  const redis = await startRedis(t);
  const [a, b] = await Promise.all([makeHost(t, redis.url, 'a'), makeHost(t, redis.url, 'b')]);
  await seedFleet([a, b], settings('svc', 'v1'));
  const sa = await a.store();
  const sb = await b.store();
  const err = await t.throwsAsync(
    sa.withWriteLock('svc', async () => {
      await sa.read('svc');
      await redis.client.del('oauth-handoff:lease:svc');
      await sb.withWriteLock('svc', async () => {
        await sb.read('svc');
        await sb.write(settings('svc', `v-from-b`));
      });
      await sa.write(settings('svc', 'v-from-a'));
    }),
  );
  t.true(err instanceof HandoffError && err.code === CODES.STORE_CONFLICT);
  t.regex(err?.message ?? '', /was changed by another host while this one held its lease .* nothing was overwritten/);
  t.is((await sb.read('svc')).token.access_token, 'v-from-b');
});

test('writes outside the lease are refused', async (t) => {
  const redis = await startRedis(t);
  const a = await makeHost(t, redis.url, 'a');
  await seedFleet([a], settings('svc', 'v1'));
  const sa = await a.store();
  const err = await t.throwsAsync(sa.write(settings('svc', 'v2')));
  t.regex(err?.message ?? '', /outside withWriteLock/);
});

test('a re-entrant withWriteLock sees the lease being lost, as the outer holder does (held is read live, not copied)', async (t) => {
  const redis = await startRedis(t);
  const url = `${redis.url}?lease=0.5`;
  const a = await makeHost(t, url, 'a');
  await seedFleet([a], settings('svc', 'v1'));
  const sa = await a.store();
  await sa.withWriteLock('svc', async (outer) => {
    await sa.withWriteLock('svc', async (inner) => {
      t.true(outer.held);
      t.true(inner.held);
      // the lease vanishes (expired during a stall, or taken): the next extension finds it gone
      await redis.client.del('oauth-handoff:lease:svc');
      await waitFor('the outer holder to notice', () => !outer.held, 10_000);
      t.false(inner.held, 'the re-entrant holder must not keep believing it holds the lease');
    });
  });
});

test('the lease is extended while held, so a long refresh keeps it; a waiter wakes at its release without polling', async (t) => {
  const redis = await startRedis(t);
  const url = `${redis.url}?lease=0.6`;
  const [a, b] = await Promise.all([makeHost(t, url, 'a'), makeHost(t, url, 'b')]);
  await seedFleet([a, b], settings('svc', 'v1'));
  const sa = await a.store();
  const sb = await b.store();
  await sb.list(); // connected
  let releasedAt = 0;
  let heldThroughout = true;
  let waited = false;
  let resolveTaken!: () => void;
  const taken = new Promise<void>((r) => (resolveTaken = r));
  const holder = sa.withWriteLock('svc', async (lock) => {
    resolveTaken();
    await later(2000); // more than three lease TTLs
    heldThroughout = lock.held;
    releasedAt = Date.now();
  });
  await taken;
  await redis.client.config('RESETSTAT');
  const acquiredAt = await sb.withWriteLock('svc', async () => Date.now(), { onWait: () => (waited = true) });
  await holder;
  const stats = await redis.commandStats();
  t.true(heldThroughout, 'the holder still held its lease after 2 s (TTL 0.6 s)');
  t.true(waited);
  t.true(acquiredAt >= releasedAt, 'the waiter did not get the lease while the holder had it');
  t.true(acquiredAt - releasedAt < 300, `the waiter had it ${acquiredAt - releasedAt} ms after the release`);
  // waiting is BLPOP bounded by the lease TTL: a few commands over 2 s, not a poll loop
  const waiterCommands = (stats.blpop ?? 0) + (stats.eval ?? 0);
  t.log(`commands while waiting 2 s: ${JSON.stringify(stats)}`);
  t.true((stats.blpop ?? 0) <= 6, `${stats.blpop} BLPOPs`);
  t.true(waiterCommands <= 25, `${waiterCommands} BLPOP + EVAL in all (the holder's extensions included)`);
});

test('a dead holder blocks the next host for at most the lease TTL; a too short lock timeout says who holds it', async (t) => {
  const redis = await startRedis(t);
  const url = `${redis.url}?lease=1`;
  const a = await makeHost(t, url, 'a');
  await seedFleet([a], settings('svc', 'v1'));
  const sa = await a.store();
  await redis.client.set('oauth-handoff:lease:svc', 'dead-host/4242/abc', 'PX', 800);
  const err = await t.throwsAsync(sa.withWriteLock('svc', async () => undefined, { timeoutMs: 200 }));
  t.true(err instanceof HandoffError && err.code === CODES.LOCK_TIMEOUT);
  t.regex(err?.message ?? '', /timed out waiting for the lease on "svc" .*held by dead-host pid 4242/);
  const started = Date.now();
  await sa.withWriteLock('svc', async () => undefined, { timeoutMs: 30_000 });
  t.true(Date.now() - started < 1000, `took over after ${Date.now() - started} ms`);
});

test('key prefixes keep two fleets on one Redis apart (--redis-prefix)', async (t) => {
  const redis = await startRedis(t);
  const a = await makeHost(t, redis.url, 'a');
  const store = async (prefix: string) => openRedisStore({ url: `${redis.url}?prefix=${encodeURIComponent(prefix)}`, home: a.home });
  const one = await store('fleet-one:');
  const two = await store('fleet-two:');
  t.teardown(() => Promise.all([one.close(), two.close()]));
  await one.withWriteLock('svc', () => one.write(settings('svc', 'one')));
  await two.withWriteLock('svc', () => two.write(settings('svc', 'two')));
  t.is((await one.read('svc')).token.access_token, 'one');
  t.is((await two.read('svc')).token.access_token, 'two');
  const viaCli = await runHostCli(t, a, ['token', 'svc', '--redis-prefix', 'fleet-two:']);
  t.is(viaCli.code, 0, viaCli.stderr);
  t.is(viaCli.stdout, 'two\n');
  t.true((await redis.client.keys('*')).every((k) => k.startsWith('fleet-one:') || k.startsWith('fleet-two:')));
  const dir = await runHostCli(t, a, ['status', '--store', a.home, '--redis-prefix', 'x:']);
  t.is(dir.code, 2, dir.stderr);
});

test('Redis unreachable and no cached copy: exit 7 at once, saying so', async (t) => {
  const redis = await startRedis(t);
  const [a, b] = await Promise.all([makeHost(t, redis.url, 'a'), makeHost(t, redis.url, 'b')]);
  await seedFleet([a, b], settings('svc', 'v1'));
  await redis.stop();
  const started = Date.now();
  // host B never read it, so it has no copy of its own
  const r = await runHostCli(t, b, ['token', 'svc']);
  t.is(r.code, 7, r.stderr);
  t.regex(r.stderr, /the fleet store redis:\/\/127\.0\.0\.1:\d+\/0 is unreachable \(connect ECONNREFUSED [^)]*\), and this host has no cached copy of "svc"/);
  t.true(Date.now() - started < 3000);
});

test('the library works unchanged on a fleet store: openCredential sees a refresh made by another host', async (t) => {
  const redis = await startRedis(t);
  const sandbox: Sandbox = await startSandbox({ profile: 'generic', replayRevokesGrant: true });
  t.teardown(() => sandbox.close());
  const [a, b] = await Promise.all([makeHost(t, redis.url, 'a'), makeHost(t, redis.url, 'b')]);
  await seedFleet([a, b], settingsFrom(sandbox, await sandbox.mintGrant(), { name: 'svc' }));
  const cred = await openCredential({ name: 'svc' }, { store: redis.url, env: a.env });
  t.teardown(() => cred.close());
  const first = await cred.accessToken();
  t.true(sandbox.isAccessTokenValid(first));
  const refreshed = await runHostCli(t, b, ['refresh', 'svc']);
  t.is(refreshed.code, 0, refreshed.stderr);
  const second = await cred.accessToken();
  t.not(second, first);
  t.true(sandbox.isAccessTokenValid(second));
});
