/**
 * Many hosts, one grant: real `oauth-handoff` processes of three simulated
 * hosts (separate local stores and machine keys, each process in a process
 * group of its own) share a real redis-server, against oidc-provider, where
 * replaying a used refresh token would revoke the whole grant.
 */
import test from 'ava';
import { collect } from '../helpers/cli.js';
import type { CliResult } from '../helpers/cli.js';
import { dueSettings, makeHost, runHostCli, seedFleet, spawnHostCli, startGatedProvider, startRedis, waitFor } from './helpers.js';

const HOSTS = 3;
const PER_HOST = 20;

test('3 hosts × 20 processes asking for a token at expiry: exactly one refresh, all get the same valid token', async (t) => {
  t.timeout(90_000);
  const redis = await startRedis(t);
  const provider = await startGatedProvider(t);
  const hosts = await Promise.all(Array.from({ length: HOSTS }, (_, i) => makeHost(t, redis.url, `host-${i + 1}`)));
  await seedFleet(hosts, await dueSettings(provider));
  // hold the refresh at the server until every other process is waiting for the lease: a real herd
  provider.hold();
  const runs: Promise<CliResult>[] = [];
  let exited = 0;
  for (let i = 0; i < PER_HOST; i++) {
    for (const h of hosts) runs.push(collect(spawnHostCli(t, h, ['token', 'svc']), { timeoutMs: 60_000 }).finally(() => exited++));
  }
  await waitFor(
    'every other process to wait for the lease',
    async () => {
      const blocked = Number(/blocked_clients:(\d+)/.exec(await redis.client.info('clients'))?.[1]);
      if (exited > 0) throw new Error(`a process exited before the refresh was let through: ${exited}`);
      return blocked >= HOSTS * PER_HOST - 1;
    },
    40_000,
    50,
  );
  const released = Date.now();
  provider.release();
  const results = await Promise.all(runs);
  const allDoneMs = Date.now() - released;
  for (const r of results) t.is(r.code, 0, r.stderr);
  const tokens = new Set(results.map((r) => r.stdout.trim()));
  t.is(tokens.size, 1, 'every process printed the same token');
  const [token] = [...tokens];
  t.true(await provider.isValid(token as string), 'the token works at the server');
  t.deepEqual(
    provider.refreshes().map((c) => c.status),
    [200],
    'exactly one refresh reached the server, and it succeeded',
  );
  t.log(`${HOSTS * PER_HOST} processes: all had the token ${allDoneMs} ms after the refresh was let through`);
});

test('the lease holder killed with SIGKILL right after marking its refresh: another host takes over once the time it reserved has run out, no replay', async (t) => {
  t.timeout(60_000);
  const redis = await startRedis(t);
  const provider = await startGatedProvider(t);
  const url = `${redis.url}?lease=2`;
  const [a, b] = await Promise.all([makeHost(t, url, 'host-a'), makeHost(t, url, 'host-b')]);
  // valid for 12 s more: host A gives its request about 6 s, and reserves that and the lease TTL
  await seedFleet([a, b], await dueSettings(provider, 'svc', 12), await dueSettings(provider, 'baseline'));
  // host A dies right after marking its refresh, holding the lease, before its request leaves
  const killed = await runHostCli(t, a, ['token', 'svc'], { env: { OAUTH_HANDOFF_TEST_KILL_AT: 'marked' } });
  t.is(killed.signal, 'SIGKILL');
  // a dead holder and one starved of CPU mid-request look the same from outside: neither is taken for dead before its deadline
  const reserved = await redis.client.pttl('oauth-handoff:inflight:svc');
  t.true(reserved > 2000, `the dead holder left its in-flight mark behind, for ${reserved} ms more (lease TTL 2 s)`);
  t.true((await redis.client.pttl('oauth-handoff:lease:svc')) > 2000, 'and its lease, as long');
  // the same refresh without a dead holder in the way: what process start and a refresh cost here
  let at = Date.now();
  t.is((await runHostCli(t, b, ['token', 'baseline'])).code, 0);
  const baseline = Date.now() - at;
  at = Date.now();
  const r = await runHostCli(t, b, ['token', 'svc', '--lock-timeout', '30']);
  const total = Date.now() - at;
  t.is(r.code, 0, r.stderr);
  t.true(await provider.isValid(r.stdout.trim()));
  t.log(`host B waited about ${total - baseline} ms for the dead holder's deadline (${total} ms in all, ${baseline} ms without it)`);
  t.deepEqual(provider.refreshes().map((c) => c.status), [200, 200], 'one refresh per credential, no replay');
  // and host A, started again, gets the same token without refreshing
  const again = await runHostCli(t, a, ['token', 'svc']);
  t.is(again.code, 0, again.stderr);
  t.is(again.stdout, r.stdout);
  t.is(provider.refreshes().length, 2);
});

test('killed after the server rotated the token but before storing it: the next host says why (exit 3) and nobody loops', async (t) => {
  t.timeout(60_000);
  const redis = await startRedis(t);
  const provider = await startGatedProvider(t);
  const url = `${redis.url}?lease=1`;
  const [a, b] = await Promise.all([makeHost(t, url, 'host-a'), makeHost(t, url, 'host-b')]);
  // valid for 12 s more: host A reserves about 6 s for its request (and the lease TTL); host B waits that out
  await seedFleet([a, b], await dueSettings(provider, 'svc', 12));
  const killed = await runHostCli(t, a, ['token', 'svc'], { env: { OAUTH_HANDOFF_TEST_KILL_AT: 'responded' } });
  t.is(killed.signal, 'SIGKILL');
  const r = await runHostCli(t, b, ['token', 'svc']);
  t.is(r.code, 3, r.stderr);
  t.regex(r.stderr, /interrupted/);
  const again = await runHostCli(t, a, ['token', 'svc']);
  t.is(again.code, 3, again.stderr);
  t.is(provider.refreshes().length, 2, 'the lost rotation, then one refused replay; nothing more is sent');
  const status = await runHostCli(t, a, ['status', 'svc', '--json']);
  t.is(JSON.parse(status.stdout).state, 'reauthorization_required');
});
