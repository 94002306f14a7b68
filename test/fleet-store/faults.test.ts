/**
 * Fleet faults, caused for real: Redis stopped and started again (with and
 * without its data), a host removed from the fleet. Real CLI processes of
 * simulated hosts, the sandbox as the authorization server (a replayed
 * refresh token revokes the grant).
 */
import test from 'ava';
import type { ExecutionContext } from 'ava';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fingerprint } from '../../src/crypto/index.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { collect } from '../helpers/cli.js';
import { makeHost, runHostCli, sandboxCredential, seedFleet, spawnHostCli, startRedis, strictSandbox, waitFor } from './helpers.js';
import type { TestHost } from './helpers.js';

const refreshes = (s: Sandbox) => s.log().filter((e) => e.grantType === 'refresh_token');

function cacheFiles(h: TestHost): string[] {
  const dir = join(h.home, 'fleet');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((d) => readdirSync(join(dir, d)));
}

test('Redis stopped for 10 s while tokens are valid: every token call still succeeds; after the restart refreshes resume', async (t) => {
  t.timeout(60_000);
  const redis = await startRedis(t, { persist: true });
  const s = await strictSandbox(t);
  const hosts = await Promise.all([makeHost(t, redis.url, 'host-a'), makeHost(t, redis.url, 'host-b')]);
  const [a, b] = hosts as [TestHost, TestHost];
  // svc: 1500 s left of 3600, so --min-valid 4000 below makes it due (the margin is capped at half the lifetime)
  await seedFleet(hosts, await sandboxCredential(s, 'svc', 1500), await sandboxCredential(s, 'old', -60));
  // each host reads once while Redis is up: that leaves its cached copy
  for (const h of hosts) {
    t.is((await runHostCli(t, h, ['token', 'svc'])).code, 0);
    t.is((await runHostCli(t, h, ['status', 'old'])).code, 0);
  }
  const token = (await runHostCli(t, a, ['token', 'svc'])).stdout;

  await redis.stop();
  const stoppedAt = Date.now();
  let calls = 0;
  while (Date.now() - stoppedAt < 10_000) {
    const rs = await Promise.all(hosts.map((h) => runHostCli(t, h, ['token', 'svc'])));
    for (const r of rs) {
      t.is(r.code, 0, r.stderr);
      t.is(r.stdout, token);
    }
    calls += rs.length;
  }
  t.log(`${calls} token calls during the 10 s outage, all served from the hosts' cached copies`);
  // due for a refresh but still valid: served with a warning
  const due = await runHostCli(t, b, ['token', 'svc', '--min-valid', '4000']);
  t.is(due.code, 0, due.stderr);
  t.is(due.stdout, token);
  t.regex(due.stderr, /warning: could not refresh "svc" \(the fleet store redis:\/\/127\.0\.0\.1:\d+\/0 is unreachable/);
  // a cached copy that has expired: exit 7 (the store, not the provider), saying why
  const old = await runHostCli(t, a, ['token', 'old']);
  t.is(old.code, 7, old.stderr);
  t.regex(old.stderr, /unreachable .*cannot refresh or change "old" now; the copy cached on this host expired/);
  const status = await runHostCli(t, a, ['status', 'svc', '--json']);
  t.is(status.code, 0, status.stderr);
  t.regex(JSON.parse(status.stdout).stored_in, /unreachable/);
  t.is(refreshes(s).length, 0);

  await redis.start();
  const r = await runHostCli(t, b, ['refresh', 'svc']);
  t.is(r.code, 0, r.stderr);
  t.is(refreshes(s).length, 1);
  const after = await runHostCli(t, a, ['token', 'svc']);
  t.is(after.code, 0, after.stderr);
  t.not(after.stdout, token, 'host A sees the token host B refreshed');
  t.true(s.isAccessTokenValid(after.stdout.trim()));
  const stale = await runHostCli(t, a, ['token', 'old']);
  t.is(stale.code, 0, stale.stderr);
  t.is(refreshes(s).length, 2);
});

test('Redis restarted without its data: token says so (and does not loop); fleet restore writes the newest tokens back', async (t) => {
  t.timeout(60_000);
  const redis = await startRedis(t);
  const s = await strictSandbox(t);
  const [a, b] = await Promise.all([makeHost(t, redis.url, 'host-a'), makeHost(t, redis.url, 'host-b')]);
  await seedFleet([a, b], await sandboxCredential(s, 'svc', 30));
  const first = await runHostCli(t, a, ['token', 'svc']);
  t.is(first.code, 0, first.stderr);
  t.is(refreshes(s).length, 1, 'host A refreshed; the server rotated the refresh token');
  t.is((await runHostCli(t, b, ['token', 'svc'])).stdout, first.stdout);

  await redis.stop('SIGKILL');
  await redis.start();
  for (let i = 0; i < 2; i++) {
    const lost = await runHostCli(t, b, ['token', 'svc']);
    t.is(lost.code, 1, lost.stderr);
    t.regex(lost.stderr, /has lost "svc": it is empty \(Redis restarted without its data, or was flushed\)/);
    t.regex(lost.stderr, /\n.*`oauth-handoff fleet restore svc`/, 'the CLI adds the next step on a line of its own');
  }
  // the library says what happened and leaves the commands to the CLI
  const lostInLibrary = await t.throwsAsync((await b.store()).read('svc'));
  t.regex(lostInLibrary?.message ?? '', /has lost "svc"/);
  t.notRegex(lostInLibrary?.message ?? '', /fleet restore|oauth-handoff /);
  t.is(refreshes(s).length, 1, 'nothing was sent to the server');

  const restored = await runHostCli(t, b, ['fleet', 'restore', 'svc']);
  t.is(restored.code, 0, restored.stderr);
  // the store's member list went too: host B, restoring, is its first member now; host A must be added again
  const notMember = await runHostCli(t, a, ['token', 'svc']);
  t.is(notMember.code, 4, notMember.stderr);
  t.is((await runHostCli(t, b, ['fleet', 'add-member', a.publicKey])).code, 0);
  const back = await runHostCli(t, a, ['token', 'svc']);
  t.is(back.code, 0, back.stderr);
  t.is(back.stdout, first.stdout);
  // the restored copy holds the newest refresh token: refreshing with it works (an old one would revoke the grant)
  const refreshed = await runHostCli(t, a, ['refresh', 'svc']);
  t.is(refreshed.code, 0, refreshed.stderr);
  t.true(refreshes(s).every((e) => e.status === 200 && !e.replay));
});

test('a removed member can no longer open the credential after the next write; the others can', async (t) => {
  t.timeout(60_000);
  const redis = await startRedis(t);
  const s = await strictSandbox(t);
  const hosts = await Promise.all(['host-a', 'host-b', 'host-c'].map((l) => makeHost(t, redis.url, l)));
  const [a, b, c] = hosts as [TestHost, TestHost, TestHost];
  await seedFleet(hosts, await sandboxCredential(s, 'svc', 3000));
  const before = await runHostCli(t, b, ['token', 'svc']);
  t.is(before.code, 0, before.stderr);
  t.is(cacheFiles(b).length, 1);

  const removed = await runHostCli(t, a, ['fleet', 'remove-member', b.publicKey]);
  t.is(removed.code, 0, removed.stderr);
  t.regex(removed.stderr, /removed [0-9a-f]{16}; sealed 1 credential again to the new member list: svc/);
  const after = await runHostCli(t, b, ['token', 'svc']);
  t.is(after.code, 4, after.stderr);
  t.regex(after.stderr, /not sealed to this host's key .*this host is not a member/);
  t.deepEqual(cacheFiles(b), [], 'its cached copy is gone too');
  const other = await runHostCli(t, c, ['token', 'svc']);
  t.is(other.code, 0, other.stderr);
  t.is(other.stdout, before.stdout);

  const members = JSON.parse((await runHostCli(t, c, ['fleet', 'members', '--json'])).stdout) as { fingerprint: string }[];
  t.deepEqual(members.map((m) => m.fingerprint).sort(), [fingerprint(a.publicKey), fingerprint(c.publicKey)].sort());
  const self = await runHostCli(t, a, ['fleet', 'remove-member', a.publicKey]);
  t.is(self.code, 2, "removing this host's own key needs --force");
});

test('status says where a fleet credential lives and which host refreshed it last', async (t) => {
  const redis = await startRedis(t);
  const s = await strictSandbox(t);
  const hosts = await Promise.all(['host-a', 'host-b'].map((l) => makeHost(t, redis.url, l)));
  const [a, b] = hosts as [TestHost, TestHost];
  await seedFleet(hosts, await sandboxCredential(s, 'svc', 30));
  t.is((await runHostCli(t, b, ['token', 'svc'])).code, 0);
  const status = await runHostCli(t, a, ['status', 'svc', '--json']);
  t.is(status.code, 0, status.stderr);
  const d = JSON.parse(status.stdout);
  t.regex(d.stored_in, /^fleet store redis:\/\/127\.0\.0\.1:\d+\/0 as oauth-handoff:cred:svc \(version \d+, sealed to 2 member keys\)$/);
  t.true(d.last_refreshed_by.includes(`(key ${fingerprint(b.publicKey)})`), d.last_refreshed_by);
  const human = await runHostCli(t, a, ['status']);
  t.regex(human.stdout, /refreshed by: .*key [0-9a-f]{16}\) at /);
  t.regex(human.stdout, /stored in: +fleet store redis:/);
});

/** Start `token svc` on host A and stop Redis as soon as A has marked its (delayed) refresh. */
async function refreshIntoOutage(t: ExecutionContext, redis: Awaited<ReturnType<typeof startRedis>>, a: TestHost) {
  const before = Number(await redis.client.hget('oauth-handoff:cred:svc', 'version'));
  const run = collect(spawnHostCli(t, a, ['token', 'svc']), { timeoutMs: 30_000 });
  await waitFor('host A to mark its refresh', async () => Number(await redis.client.hget('oauth-handoff:cred:svc', 'version')) > before, 10_000, 10);
  await redis.stop();
  return { run };
}

test('Redis gone for a moment while a refresh is in flight: the same process stores the new tokens once it is back', async (t) => {
  t.timeout(60_000);
  const redis = await startRedis(t, { persist: true });
  const s = await strictSandbox(t);
  const [a, b] = await Promise.all([makeHost(t, redis.url, 'host-a'), makeHost(t, redis.url, 'host-b')]);
  await seedFleet([a, b], await sandboxCredential(s, 'svc', 30));
  s.injectFault({ delayMs: 1000, grantType: 'refresh_token', count: 1 });
  const { run: running } = await refreshIntoOutage(t, redis, a);
  await new Promise((r) => setTimeout(r, 2000)); // the answer arrives while Redis is down
  await redis.start();
  const run = await running;
  t.is(run.code, 0, run.stderr);
  t.is(run.stderr, '', 'no warning: the write went through after Redis came back');
  t.true(s.isAccessTokenValid(run.stdout.trim()));
  const other = await runHostCli(t, b, ['token', 'svc']);
  t.is(other.stdout, run.stdout, 'host B sees the new token');
  t.is((await runHostCli(t, b, ['refresh', 'svc'])).code, 0);
  t.true(refreshes(s).every((e) => e.status === 200 && !e.replay), JSON.stringify(refreshes(s)));
});

test('Redis gone for longer while a refresh is in flight: the host keeps the new tokens, serves them, and writes them back later', async (t) => {
  t.timeout(60_000);
  const redis = await startRedis(t, { persist: true });
  const s = await strictSandbox(t);
  const url = `${redis.url}?lease=1`;
  const [a, b] = await Promise.all([makeHost(t, url, 'host-a'), makeHost(t, url, 'host-b')]);
  // valid for 12 s more: host A reserves about 6 s for its request; the in-flight mark it leaves (Redis keeps it) lasts that long
  await seedFleet([a, b], await sandboxCredential(s, 'svc', 12));
  const old = (await runHostCli(t, b, ['token', 'svc', '--min-valid', '0'])).stdout;
  s.injectFault({ delayMs: 300, grantType: 'refresh_token', count: 1 });
  const run = await (await refreshIntoOutage(t, redis, a)).run;
  t.is(run.code, 0, run.stderr);
  t.is(run.stdout, old, 'the old token (still valid) is printed this time');
  t.regex(run.stderr, /the new tokens of "svc" could not be stored there; this host keeps them/);
  const kept = await runHostCli(t, a, ['token', 'svc']);
  t.is(kept.code, 0, kept.stderr);
  t.not(kept.stdout, old, 'while Redis is down, host A serves the new token it kept');
  t.true(s.isAccessTokenValid(kept.stdout.trim()));

  await redis.start();
  const back = await runHostCli(t, a, ['token', 'svc']);
  t.is(back.code, 0, back.stderr);
  t.is(back.stdout, kept.stdout);
  const other = await runHostCli(t, b, ['token', 'svc']);
  t.is(other.stdout, kept.stdout, 'host A wrote them back: host B sees them');
  t.is((await runHostCli(t, b, ['refresh', 'svc'])).code, 0);
  t.true(refreshes(s).every((e) => e.status === 200 && !e.replay), JSON.stringify(refreshes(s)));
  t.is(refreshes(s).length, 2);
});
