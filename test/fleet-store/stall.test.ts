/**
 * A lease holder starved of CPU while its refresh request is in flight
 * (seen in bench/fleet-herd at a load average of 55): caused for real with
 * SIGSTOP/SIGCONT on a real `token` process whose request the server holds
 * open, another simulated host started meanwhile, the sandbox as a strict
 * server (a replayed refresh token revokes the whole grant). And the fleet
 * store's side of it as a library: the write that marks a refresh.
 */
import test from 'ava';
import type { ExecutionContext } from 'ava';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Sandbox } from '../../src/sandbox/index.js';
import type { Settings } from '../../src/settings-file/index.js';
import { collect } from '../helpers/cli.js';
import type { CliResult } from '../helpers/cli.js';
import { settingsFrom } from '../helpers/fixtures.js';
import { makeHost, runHostCli, sandboxCredential, seedFleet, spawnHostCli, startRedis, startTokenRelay, strictSandbox, waitFor } from './helpers.js';
import type { TestHost, TestRedis, TokenRelay } from './helpers.js';

const LEASE_MS = 1000;
const LEASE = 'oauth-handoff:lease:svc';
const INFLIGHT = 'oauth-handoff:inflight:svc';
const refreshes = (s: Sandbox) => s.log().filter((e) => e.grantType === 'refresh_token');
const later = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Stalled {
  redis: TestRedis;
  sandbox: Sandbox;
  relay: TokenRelay;
  a: TestHost;
  b: TestHost;
  childA: ChildProcess;
  runA: Promise<CliResult>;
}

/**
 * Two hosts on a fleet store with a 1 s lease; host A's `token svc` finds the
 * (expired) token due, takes the lease, marks its refresh and sends it; the
 * server holds the request open; host A is stopped (SIGSTOP) and stays stopped
 * for longer than the lease TTL, so it can extend nothing.
 */
async function holderStalledMidRequest(t: ExecutionContext): Promise<Stalled> {
  const redis = await startRedis(t);
  const sandbox = await strictSandbox(t);
  const relay = await startTokenRelay(t, sandbox.endpoints.token);
  const url = `${redis.url}?lease=${LEASE_MS / 1000}`;
  const [a, b] = (await Promise.all([makeHost(t, url, 'host-a'), makeHost(t, url, 'host-b')])) as [TestHost, TestHost];
  // expired: nothing bounds the request but the HTTP timeout (30 s), which is what host A reserves
  const expired = await sandboxCredential(sandbox, 'svc', -60);
  await seedFleet([a, b], { ...expired, endpoints: { ...expired.endpoints, token: relay.tokenEndpoint } });
  relay.hold();
  const childA = spawnHostCli(t, a, ['token', 'svc']);
  const runA = collect(childA, { timeoutMs: 60_000 });
  await waitFor('host A to send its refresh', () => relay.arrivals() >= 1 || childA.exitCode !== null, 30_000);
  t.is(relay.arrivals(), 1, 'host A sent its refresh');
  process.kill(childA.pid as number, 'SIGSTOP');
  await later(LEASE_MS + 500); // the lease TTL passes while host A cannot run
  return { redis, sandbox, relay, a, b, childA, runA };
}

/** Host B asks for the token while host A is stopped; then A's answer comes and A runs again. Both results. */
async function secondHostMeanwhile(t: ExecutionContext, st: Stalled): Promise<[CliResult, CliResult]> {
  const childB = spawnHostCli(t, st.b, ['token', 'svc']);
  const runB = collect(childB, { timeoutMs: 60_000 });
  await waitFor(
    'host B to wait for host A (or to send a refresh of its own)',
    async () => Number(/blocked_clients:(\d+)/.exec(await st.redis.client.info('clients'))?.[1]) >= 1 || st.relay.arrivals() >= 2 || childB.exitCode !== null,
    30_000,
  );
  st.relay.release();
  process.kill(st.childA.pid as number, 'SIGCONT');
  return Promise.all([st.runA, runB]);
}

async function grantSurvives(t: ExecutionContext, st: Stalled, token: string): Promise<void> {
  t.true(st.sandbox.isAccessTokenValid(token.trim()), 'the token works at the server');
  t.deepEqual(
    refreshes(st.sandbox).map((e) => ({ status: e.status, replay: e.replay === true })),
    [{ status: 200, replay: false }],
    'exactly one refresh, and no refresh token replayed',
  );
  // the rotated refresh token was stored: refreshing with it works (the grant was not revoked)
  const again = await runHostCli(t, st.b, ['refresh', 'svc']);
  t.is(again.code, 0, again.stderr);
  t.true(refreshes(st.sandbox).every((e) => e.status === 200 && !e.replay), JSON.stringify(refreshes(st.sandbox)));
}

test('a lease holder stopped past its lease TTL while its refresh is in flight: the next host waits for it, no replay', async (t) => {
  t.timeout(120_000);
  const st = await holderStalledMidRequest(t);
  const [ra, rb] = await secondHostMeanwhile(t, st);
  t.is(ra.code, 0, ra.stderr);
  t.is(rb.code, 0, rb.stderr);
  t.is(rb.stdout, ra.stdout, 'host B got the token host A refreshed');
  await grantSurvives(t, st, ra.stdout);
});

test('the lease lost while the refresh is in flight (deleted): its in-flight mark still keeps the next host from replaying', async (t) => {
  t.timeout(120_000);
  const st = await holderStalledMidRequest(t);
  await st.redis.client.del(LEASE);
  const pttl = await st.redis.client.pttl(INFLIGHT);
  t.true(pttl > LEASE_MS, `the in-flight mark lasts ${pttl} ms`);
  t.regex((await st.redis.client.get(INFLIGHT)) ?? '', new RegExp(`^\\d+ [^/]+/${st.childA.pid}/[0-9a-f]+$`), 'it names the grant generation and the holder (host, pid)');
  const [ra, rb] = await secondHostMeanwhile(t, st);
  t.is(ra.code, 0, ra.stderr);
  t.is(rb.code, 0, rb.stderr);
  t.is(rb.stdout, ra.stdout);
  await grantSurvives(t, st, ra.stdout);
  t.is(await st.redis.client.exists(INFLIGHT), 0, 'the mark went with the answer');
});

test('a holder stopped past the end of its in-flight time still stores its answer when nobody wrote meanwhile', async (t) => {
  t.timeout(120_000);
  const st = await holderStalledMidRequest(t);
  // as if the time host A reserved had run out (30 s and the lease TTL), without waiting for it
  await st.redis.client.del(LEASE, INFLIGHT);
  st.relay.release();
  process.kill(st.childA.pid as number, 'SIGCONT');
  const ra = await st.runA;
  t.is(ra.code, 0, ra.stderr);
  const rb = await runHostCli(t, st.b, ['token', 'svc']);
  t.is(rb.code, 0, rb.stderr);
  t.is(rb.stdout, ra.stdout, 'the rotated tokens host A got late were stored, not thrown away');
  await grantSurvives(t, st, ra.stdout);
});

/** The process state letter from /proc (T: stopped). */
function processState(pid: number): string {
  try {
    return /^\d+ \(.*\) (\S)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1] ?? '?';
  } catch {
    return 'gone';
  }
}

test('a holder stopped right after marking its refresh, past all of its reserved time: it never sends; the next host refreshes once', async (t) => {
  t.timeout(120_000);
  const redis = await startRedis(t);
  const sandbox = await strictSandbox(t);
  const url = `${redis.url}?lease=${LEASE_MS / 1000}`;
  const [a, b] = (await Promise.all([makeHost(t, url, 'host-a'), makeHost(t, url, 'host-b')])) as [TestHost, TestHost];
  // valid for 10 s more: host A reserves about half of what is left for its request, so its deadline comes soon
  await seedFleet([a, b], await sandboxCredential(sandbox, 'svc', 10));
  const childA = spawnHostCli(t, a, ['token', 'svc'], { OAUTH_HANDOFF_TEST_STOP_AT: 'marked' });
  const runA = collect(childA, { timeoutMs: 60_000 });
  const pid = childA.pid as number;
  await waitFor('host A to stop right after marking its refresh', () => processState(pid) === 'T' || childA.exitCode !== null, 30_000);
  t.is(processState(pid), 'T');
  t.is(refreshes(sandbox).length, 0, 'nothing sent yet');
  // the time host A reserved runs out while it cannot run: it is taken for dead, as it must be
  await waitFor('the in-flight mark to run out', async () => (await redis.client.exists(INFLIGHT)) === 0, 30_000);
  const rb = await runHostCli(t, b, ['token', 'svc'], { timeoutMs: 60_000 });
  t.is(rb.code, 0, rb.stderr);
  t.is(refreshes(sandbox).length, 1, 'host B refreshed with the stored refresh token, which host A never sent');
  process.kill(pid, 'SIGCONT');
  const ra = await runA;
  t.is(ra.code, 0, ra.stderr);
  t.is(ra.stdout, rb.stdout, "host A did not send its stale refresh: its second mark was refused, and it read host B's token");
  t.true(sandbox.isAccessTokenValid(rb.stdout.trim()));
  t.deepEqual(
    refreshes(sandbox).map((e) => ({ status: e.status, replay: e.replay === true })),
    [{ status: 200, replay: false }],
  );
  const again = await runHostCli(t, a, ['refresh', 'svc']);
  t.is(again.code, 0, again.stderr);
  t.true(refreshes(sandbox).every((e) => e.status === 200 && !e.replay), JSON.stringify(refreshes(sandbox)));
});

// ---------------------------------------------------------------- the store's side, as a library

const FAKE = { endpoints: { token: 'http://127.0.0.1:9/token' }, client: { id: 'client' } };

function settings(name: string): Settings {
  return settingsFrom(FAKE, { access_token: 'at-1', token_type: 'Bearer', expires_in: 3600, refresh_token: 'rt-1' }, { name });
}

function marked(s: Settings): Settings {
  return { ...s, health: { ...s.health, refresh_started_at: new Date().toISOString() } };
}

test('the write marking a refresh is refused once the lease is lost (nothing written); on a new lease it reserves the request time until release', async (t) => {
  const redis = await startRedis(t);
  const a = await makeHost(t, `${redis.url}?lease=1`, 'a');
  await seedFleet([a], settings('svc'));
  const store = await a.store();
  const refused: string[] = [];
  let runs = 0;
  await store.withWriteLock('svc', async () => {
    runs++;
    const cur = await store.read('svc');
    const version = await redis.client.hget('oauth-handoff:cred:svc', 'version');
    if (runs === 1) await redis.client.del(LEASE); // the lease ran out while this host stalled before sending
    try {
      await store.write(marked(cur), { refreshStarts: { requestMs: 10_000 } });
    } catch (e) {
      refused.push((e as Error).message);
      t.is(await redis.client.hget('oauth-handoff:cred:svc', 'version'), version, 'nothing was written');
      t.is(await redis.client.exists(INFLIGHT), 0, 'nothing was marked');
      throw e;
    }
    const owner = await redis.client.get(LEASE);
    t.is(await redis.client.get(INFLIGHT), `${cur.grant?.generation ?? 0} ${owner}`);
    t.true((await redis.client.pttl(INFLIGHT)) > 5_000, 'the mark lasts the request time (10 s) and the lease TTL');
    t.true((await redis.client.pttl(LEASE)) > 5_000, 'so does the lease');
    await later(700); // a heartbeat (every third of the TTL) must not shorten it again
    t.true((await redis.client.pttl(LEASE)) > 5_000);
  });
  t.is(runs, 2, 'refused, then run again on a new lease');
  t.is(refused.length, 1);
  t.regex(refused[0] ?? '', /no longer held its lease.*nothing was written or sent/);
  t.is(await redis.client.exists(INFLIGHT), 0, 'released with the lease');
  t.is(await redis.client.exists(LEASE), 0);
});

test('while another owner has a refresh in flight, the lease cannot be taken, even when the lease key is gone', async (t) => {
  const redis = await startRedis(t);
  const a = await makeHost(t, `${redis.url}?lease=1`, 'a');
  await seedFleet([a], settings('svc'));
  const store = await a.store();
  await redis.client.set(INFLIGHT, '0 far-host/4242/abc', 'PX', 20_000);
  const err = await t.throwsAsync(store.withWriteLock('svc', async () => undefined, { timeoutMs: 300 }));
  t.regex(err?.message ?? '', /timed out waiting for the lease on "svc" .*held by far-host pid 4242/);
  // the same mark from a holder that is done (its deadline passed): the lease is free
  await redis.client.pexpire(INFLIGHT, 1);
  await waitFor('the mark to expire', async () => (await redis.client.exists(INFLIGHT)) === 0, 5_000);
  t.true(await store.withWriteLock('svc', async (lock) => lock.held, { timeoutMs: 300 }));
});
