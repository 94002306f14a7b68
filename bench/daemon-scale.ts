/**
 * bench/daemon-scale: one `oauth-handoff daemon --all` process with 1,000
 * credentials against the sandbox. Prints
 *  - idle: start-up time, RSS and CPU over an idle window (access tokens
 *    valid for an hour, so nothing is due: only timers, no polling loop);
 *  - refreshing: short access-token lifetimes, the tokens obtained at
 *    spread-out times as on a real server (some already past their refresh
 *    point): refreshes done, the most started in any one second (from the
 *    sandbox's log), errors, replays, peak RSS and CPU.
 * Targets: RSS ≤ 120 MB, idle CPU ≈ 0, no burst (≤ --max-rate, default 10/s).
 *
 *   npm run build && node dist/bench/daemon-scale.js [credentials] [seconds]
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../src/sandbox/index.js';
import type { Sandbox } from '../src/sandbox/index.js';
import { createMachineKey, FileStore, storeLayout } from '../src/settings-file/index.js';
import { BIN } from '../test/helpers/cli.js';
import { settingsFrom } from '../test/helpers/fixtures.js';

const N = Math.max(10, Math.min(5000, Number(process.argv[2] ?? 1000)));
const ACTIVE_SECONDS = Math.max(20, Math.min(300, Number(process.argv[3] ?? 60)));
const IDLE_SECONDS = 20;
const TTL = 240;
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`;

async function procStatus(pid: number): Promise<{ rssKb: number; hwmKb: number }> {
  const text = await readFile(`/proc/${pid}/status`, 'utf8');
  const field = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
  return { rssKb: field('VmRSS'), hwmKb: field('VmHWM') };
}

/** user + system CPU seconds used by the process so far */
async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); utime and stime are fields 14 and 15
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/** A store of N credentials, each its own grant; `obtainedAgo(i)` says how old each token claims to be. */
async function makeStore(dir: string, sandbox: Sandbox, obtainedAgo: (i: number) => number): Promise<string> {
  const home = join(dir, 'store');
  const store = await FileStore.openForWriting(home, await createMachineKey(storeLayout(home)));
  const now = Date.now();
  const batch = 32;
  for (let i = 0; i < N; i += batch) {
    const work: Promise<void>[] = [];
    for (let j = i; j < Math.min(N, i + batch); j++) {
      work.push(
        sandbox.mintGrant().then((g) => store.write(settingsFrom(sandbox, g, { name: `cred-${String(j).padStart(5, '0')}`, now: now - obtainedAgo(j) }))),
      );
    }
    await Promise.all(work);
  }
  return home;
}

interface Daemon {
  child: ChildProcess;
  ready: Promise<number>;
  events: () => number;
}

function startDaemon(home: string, dir: string): Daemon {
  const t0 = Date.now();
  const child = spawn(process.execPath, [BIN, 'daemon', '--all'], {
    env: { PATH: process.env.PATH, HOME: dir, OAUTH_HANDOFF_HOME: home, NO_COLOR: '1', ...(process.env.NODE_OPTIONS ? { NODE_OPTIONS: process.env.NODE_OPTIONS } : {}) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let events = 0;
  let buf = '';
  const ready = new Promise<number>((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      buf += d;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        events++;
        if (line.includes('"event":"ready"')) resolve(Date.now() - t0);
        if (line.includes('"level":"error"')) process.stderr.write(`daemon: ${line}\n`);
      }
    });
    child.on('exit', (code) => reject(new Error(`the daemon exited with ${code} before it was ready`)));
  });
  return { child, ready, events: () => events };
}

async function stop(d: Daemon): Promise<void> {
  if (d.child.exitCode !== null) return;
  const exited = new Promise((r) => d.child.on('exit', r));
  d.child.kill('SIGTERM');
  const timer = setTimeout(() => d.child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

// a bench that hangs says so instead of sitting there
const watchdog = setTimeout(() => {
  console.error(`daemon-scale: gave up after ${IDLE_SECONDS + ACTIVE_SECONDS + 180} s`);
  for (const d of children) d.child.kill('SIGKILL');
  process.exit(1);
}, (IDLE_SECONDS + ACTIVE_SECONDS + 180) * 1000);
watchdog.unref();

const dirs: string[] = [];
const children: Daemon[] = [];
const sandboxes: Sandbox[] = [];
try {
  console.log(`daemon-scale: one daemon, ${N} credentials, sandbox on 127.0.0.1 (Node ${process.version}, CLK_TCK ${CLK_TCK})`);

  // ---- idle: nothing due for an hour
  {
    const sandbox = await startSandbox({ profile: 'generic', accessTokenTtl: 3600 });
    sandboxes.push(sandbox);
    const dir = await mkdtemp(join(tmpdir(), 'oh-bench-daemon-'));
    dirs.push(dir);
    const t0 = Date.now();
    const home = await makeStore(dir, sandbox, () => 0);
    console.log(`  store of ${N} sealed credentials written in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const d = startDaemon(home, dir);
    children.push(d);
    const readyMs = await d.ready;
    const pid = d.child.pid as number;
    await sleep(3000);
    const c0 = await cpuSeconds(pid);
    const w0 = Date.now();
    await sleep(IDLE_SECONDS * 1000);
    const cpu = (await cpuSeconds(pid)) - c0;
    const wall = (Date.now() - w0) / 1000;
    const m = await procStatus(pid);
    console.log(`idle (access tokens valid 1 h):`);
    console.log(`  ready after         ${(readyMs / 1000).toFixed(2)} s (every credential read, decrypted and planned)`);
    console.log(`  RSS                 ${mb(m.rssKb)} (peak ${mb(m.hwmKb)})`);
    console.log(`  CPU while idle      ${cpu.toFixed(2)} s over ${wall.toFixed(1)} s = ${((100 * cpu) / wall).toFixed(2)} %`);
    console.log(`  refreshes           ${sandbox.log().filter((e) => e.grantType === 'refresh_token').length}`);
    await stop(d);
  }

  // ---- refreshing: tokens of TTL s, obtained at spread-out times over the last TTL s
  {
    const sandbox = await startSandbox({ profile: 'generic', accessTokenTtl: TTL });
    sandboxes.push(sandbox);
    const dir = await mkdtemp(join(tmpdir(), 'oh-bench-daemon-'));
    dirs.push(dir);
    const home = await makeStore(dir, sandbox, (i) => ((i * 7919) % N) * ((TTL * 1000) / N));
    const d = startDaemon(home, dir);
    children.push(d);
    const readyMs = await d.ready;
    const pid = d.child.pid as number;
    const c0 = await cpuSeconds(pid);
    const w0 = Date.now();
    let peakRss = 0;
    while (Date.now() - w0 < ACTIVE_SECONDS * 1000) {
      await sleep(1000);
      peakRss = Math.max(peakRss, (await procStatus(pid)).rssKb);
    }
    const cpu = (await cpuSeconds(pid)) - c0;
    const wall = (Date.now() - w0) / 1000;
    const m = await procStatus(pid);
    await stop(d);
    const refreshes = sandbox.log().filter((e) => e.grantType === 'refresh_token');
    const perSecond = new Map<number, number>();
    for (const e of refreshes) {
      const s = Math.floor(Date.parse(e.at) / 1000);
      perSecond.set(s, (perSecond.get(s) ?? 0) + 1);
    }
    const firstSecond = Math.min(...perSecond.keys());
    const steady = [...perSecond].filter(([s]) => s >= firstSecond + 20).map(([, n]) => n);
    const overdue = Math.round(N * 0.15);
    console.log(`refreshing (access tokens of ${TTL} s obtained over the last ${TTL} s; ~${overdue} already past their refresh point):`);
    console.log(`  ready after         ${(readyMs / 1000).toFixed(2)} s`);
    console.log(`  refreshes           ${refreshes.length} in ${wall.toFixed(0)} s (${(refreshes.length / wall).toFixed(1)}/s on average)`);
    console.log(`  most in one second  ${Math.max(...perSecond.values())} overall; ${steady.length ? Math.max(...steady) : 0} after the first 20 s (catch-up done)`);
    console.log(`  errors, replays     ${refreshes.filter((e) => e.status !== 200).length}, ${refreshes.filter((e) => e.replay).length}`);
    console.log(`  RSS                 ${mb(m.rssKb)} at the end, peak ${mb(Math.max(peakRss, m.hwmKb))}`);
    console.log(`  CPU                 ${cpu.toFixed(2)} s over ${wall.toFixed(1)} s = ${((100 * cpu) / wall).toFixed(1)} %`);
    console.log(`  log lines           ${d.events()}`);
  }
} finally {
  for (const d of children) if (d.child.exitCode === null) d.child.kill('SIGKILL');
  for (const s of sandboxes) await s.close();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
}
