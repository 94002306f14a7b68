/**
 * bench/fleet-herd: HOSTS simulated hosts (separate local stores and machine
 * keys) × PROCS `oauth-handoff token` processes each, all started at once on
 * a fleet store (a real redis-server on 127.0.0.1) against the sandbox
 * (replaying a used refresh token revokes the grant). Two kinds of rounds:
 *  - at expiry: the access token is due, so one process refreshes and the
 *    others wait for its lease;
 *  - fresh: the token is valid, nobody refreshes.
 * Prints per round: time until every process has its token, refreshes at the
 * server, distinct tokens printed, and Redis round trips per `token` call
 * (commands sent by clients, counted with MONITOR, script internals
 * excluded), plus connections made.
 *
 *   npm run build && node dist/bench/fleet-herd.js [hosts] [procs-per-host] [rounds]
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { startSandbox } from '../src/sandbox/index.js';
import { openRedisStore } from '../src/fleet-store/index.js';
import type { RedisStore } from '../src/fleet-store/index.js';
import { createMachineKey, storeLayout } from '../src/settings-file/index.js';
import { BIN } from '../test/helpers/cli.js';
import { settingsFrom, storeWith } from '../test/helpers/fixtures.js';
import { freePort } from '../test/helpers/net.js';

const HOSTS = Math.max(1, Math.min(10, Number(process.argv[2] ?? 3)));
const PROCS = Math.max(1, Math.min(100, Number(process.argv[3] ?? 20)));
const ROUNDS = Math.max(1, Math.min(20, Number(process.argv[4] ?? 3)));


interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function tokenProcess(env: NodeJS.ProcessEnv, extra: string[] = []): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child: ChildProcess = spawn(process.execPath, [BIN, 'token', 'svc', ...extra], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - started }));
  });
}

const dir = await mkdtemp(join(tmpdir(), 'oh-bench-fleet-'));
const port = await freePort();
const server = spawn('/usr/bin/redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--maxclients', '2000'], {
  stdio: 'ignore',
});
const sandbox = await startSandbox({ profile: 'generic', replayRevokesGrant: true });
const url = `redis://127.0.0.1:${port}/0`;
const admin = new Redis({ port, host: '127.0.0.1', retryStrategy: (n) => (n > 50 ? null : 100) });
admin.on('error', () => undefined);
let monitor: Awaited<ReturnType<Redis['monitor']>> | undefined;
let first: RedisStore | undefined;
try {
  for (let i = 0; i < 100 && (await admin.ping().catch(() => '')) !== 'PONG'; i++) await new Promise((r) => setTimeout(r, 50));
  const homes: string[] = [];
  const keys: string[] = [];
  for (let h = 0; h < HOSTS; h++) {
    const home = join(dir, `host-${h + 1}`);
    homes.push(home);
    keys.push((await createMachineKey(storeLayout(home))).publicKey);
  }
  first = await openRedisStore({ url, home: homes[0] as string });
  for (const k of keys) await first.addMember(k);
  const envs = homes.map((home) => ({ PATH: process.env.PATH, HOME: dir, OAUTH_HANDOFF_HOME: home, OAUTH_HANDOFF_STORE: url }));

  const sent = new Map<string, number>();
  monitor = await admin.monitor();
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (source === 'lua') return; // a command run inside a script: no round trip
    const cmd = String(args[0]).toLowerCase();
    if (cmd === 'info') return; // this bench's own
    sent.set(cmd, (sent.get(cmd) ?? 0) + 1);
  });

  const round = async (kind: 'at expiry' | 'fresh', n: number): Promise<void> => {
    const grant = await sandbox.mintGrant();
    const validFor = kind === 'fresh' ? 3000 : 30; // 30 s left: due (token refreshes when < 60 s are left)
    const s = settingsFrom(sandbox, { ...grant, expires_in: 3600 }, { name: 'svc', now: Date.now() - (3600 - validFor) * 1000 });
    const store = first as RedisStore;
    await store.withWriteLock('svc', async () => {
      await store.version('svc');
      await store.write(s);
    });
    // every host reads it once (without refreshing) so that its cached copy is current, as a real host's would be
    await Promise.all(envs.map((env) => tokenProcess(env, ['--min-valid', '0'])));
    await new Promise((r) => setTimeout(r, 200));
    sandbox.resetLog();
    sent.clear();
    const connectionsBefore = Number(/total_connections_received:(\d+)/.exec(await admin.info('stats'))?.[1]);
    const started = performance.now();
    const runs = await Promise.all(envs.flatMap((env) => Array.from({ length: PROCS }, () => tokenProcess(env))));
    const allMs = performance.now() - started;
    await new Promise((r) => setTimeout(r, 100)); // let MONITOR catch up
    const connections = Number(/total_connections_received:(\d+)/.exec(await admin.info('stats'))?.[1]) - connectionsBefore - 1;
    const failed = runs.filter((r) => r.code !== 0);
    const tokens = new Set(runs.filter((r) => r.code === 0).map((r) => r.stdout.trim()));
    const refreshes = sandbox.log().filter((e) => e.grantType === 'refresh_token');
    const calls = runs.length;
    const total = [...sent.values()].reduce((a, b) => a + b, 0);
    const breakdown = [...sent]
      .sort((a, b) => b[1] - a[1])
      .map(([c, k]) => `${c} ${(k / calls).toFixed(2)}`)
      .join(', ');
    const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
    const pct = (p: number) => (ms[Math.min(ms.length - 1, Math.floor((p / 100) * ms.length))] as number).toFixed(0);
    console.log(
      `${kind.padEnd(9)} #${n}: ${calls} token calls (${HOSTS}×${PROCS}): all done in ${allMs.toFixed(0)} ms; ` +
        `refreshes ${refreshes.length} (${refreshes.filter((e) => e.status !== 200).length} failed, ${refreshes.filter((e) => e.replay).length} replays); ` +
        `distinct tokens ${tokens.size}; failures ${failed.length}${failed.length ? ` (${failed[0]?.stderr.trim()})` : ''}`,
    );
    console.log(`            per process: median ${pct(50)} ms, p95 ${pct(95)} ms, max ${pct(100)} ms (start-up of ${calls} node processes on this machine included)`);
    console.log(`            Redis round trips per token call ${(total / calls).toFixed(2)} (${breakdown}); connections per call ${(connections / calls).toFixed(2)}`);
  };

  console.log(`fleet-herd: ${HOSTS} hosts × ${PROCS} processes, redis-server ${port}, sandbox ${sandbox.url}`);
  {
    // reference: the same processes on a file store per host (fresh token), to tell process start-up from the fleet's cost
    const fileEnvs: NodeJS.ProcessEnv[] = [];
    for (let h = 0; h < HOSTS; h++) {
      const home = join(dir, `file-host-${h + 1}`);
      await storeWith(home, settingsFrom(sandbox, { ...(await sandbox.mintGrant()), expires_in: 3600 }, { name: 'svc' }));
      fileEnvs.push({ PATH: process.env.PATH, HOME: dir, OAUTH_HANDOFF_HOME: home });
    }
    const started = performance.now();
    const runs = await Promise.all(fileEnvs.flatMap((env) => Array.from({ length: PROCS }, () => tokenProcess(env))));
    const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
    console.log(
      `file store (reference, fresh): ${runs.length} token calls: all done in ${(performance.now() - started).toFixed(0)} ms; per process median ${(ms[Math.floor(ms.length / 2)] as number).toFixed(0)} ms; failures ${runs.filter((r) => r.code !== 0).length}`,
    );
  }
  for (let i = 1; i <= ROUNDS; i++) await round('at expiry', i);
  for (let i = 1; i <= ROUNDS; i++) await round('fresh', i);
} finally {
  monitor?.disconnect();
  await first?.close();
  admin.disconnect();
  await sandbox.close();
  server.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
}
