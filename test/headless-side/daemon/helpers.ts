import type { ExecutionContext } from 'ava';
import type { ChildProcess } from 'node:child_process';
import { startSandbox } from '../../../src/sandbox/index.js';
import type { LogEntry, Sandbox, SandboxOptions } from '../../../src/sandbox/index.js';
import type { Settings } from '../../../src/settings-file/index.js';
import { cleanEnv, spawnCli, tempDir, trackChildren } from '../../helpers/cli.js';
import { settingsFrom, storeWith } from '../../helpers/fixtures.js';

export interface DaemonEventLine {
  time: string;
  level: string;
  event: string;
  name?: string;
  message: string;
  [k: string]: unknown;
}

export interface DaemonProc {
  child: ChildProcess;
  events: DaemonEventLine[];
  stderr(): string;
  /** resolves with the first event (from the start) matching, or fails after timeoutMs */
  waitFor(pred: (e: DaemonEventLine) => boolean, timeoutMs?: number, what?: string): Promise<DaemonEventLine>;
  /** resolves when at least `count` events match */
  waitForCount(pred: (e: DaemonEventLine) => boolean, count: number, timeoutMs?: number, what?: string): Promise<DaemonEventLine[]>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A real `oauth-handoff daemon` child process whose JSON log lines are parsed as they come. Killed in teardown. */
export function spawnDaemon(t: ExecutionContext, args: string[], env: NodeJS.ProcessEnv): DaemonProc {
  const track = trackChildren(t);
  const child = track(spawnCli(['daemon', ...args], { env }));
  child.stdin?.end();
  const events: DaemonEventLine[] = [];
  let err = '';
  let buf = '';
  const listeners = new Set<() => void>();
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    buf += d;
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (line.trim() === '') continue;
      try {
        events.push(JSON.parse(line) as DaemonEventLine);
      } catch {
        events.push({ time: '', level: 'raw', event: 'raw', message: line });
      }
    }
    for (const l of listeners) l();
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      for (const l of listeners) l();
      resolve({ code, signal });
    });
  });
  const waitForCount = (pred: (e: DaemonEventLine) => boolean, count: number, timeoutMs = 20_000, what = 'an event') =>
    new Promise<DaemonEventLine[]>((resolve, reject) => {
      const check = () => {
        const found = events.filter(pred);
        if (found.length >= count) {
          done();
          resolve(found);
        } else if (child.exitCode !== null || child.signalCode !== null) {
          done();
          reject(new Error(`the daemon exited before ${what} (${found.length}/${count}); stderr: ${err}; events: ${JSON.stringify(events.slice(-10))}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out waiting for ${what} (${events.filter(pred).length}/${count}); stderr: ${err}; last events: ${JSON.stringify(events.slice(-10))}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });
  return {
    child,
    events,
    stderr: () => err,
    waitForCount,
    waitFor: async (pred, timeoutMs, what) => (await waitForCount(pred, 1, timeoutMs, what))[0] as DaemonEventLine,
    exited,
  };
}

export interface Fixture {
  sandbox: Sandbox;
  home: string;
  base: string;
  env: NodeJS.ProcessEnv;
}

/** A sandbox and a store holding `names`, each with its own fresh grant. */
export async function fixture(
  t: ExecutionContext,
  names: string[],
  opts: SandboxOptions & { edit?: (s: Settings) => Settings } = {},
): Promise<Fixture> {
  const { edit, ...sandboxOptions } = opts;
  const sandbox = await startSandbox({ profile: 'generic', replayRevokesGrant: true, ...sandboxOptions });
  t.teardown(() => sandbox.close());
  const base = await tempDir(t, 'oh-daemon-');
  const home = `${base}/store`;
  const settings: Settings[] = [];
  for (const name of names) {
    const s = settingsFrom(sandbox, await sandbox.mintGrant(), { name });
    settings.push(edit ? edit(s) : s);
  }
  await storeWith(home, ...settings);
  return { sandbox, home, base, env: cleanEnv(base, { OAUTH_HANDOFF_HOME: home }) };
}

export const refreshEntries = (s: Sandbox): LogEntry[] => s.log().filter((e) => e.grantType === 'refresh_token');
export const replays = (s: Sandbox): LogEntry[] => s.log().filter((e) => e.replay === true);

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Stop a daemon with SIGTERM and wait for it (SIGKILL after timeoutMs). */
export async function stopDaemon(d: DaemonProc, timeoutMs = 15_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (d.child.exitCode !== null || d.child.signalCode !== null) return d.exited;
  d.child.kill('SIGTERM');
  const timer = setTimeout(() => d.child.kill('SIGKILL'), timeoutMs);
  try {
    return await d.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** Common fast settings for time-compressed tests. */
export const FAST = ['--poll', '1s', '--backoff-base', '200ms', '--backoff-max', '2s'];

/** The user revokes a grant at the provider (RFC 7009), as its revocation endpoint is called; the next refresh gets invalid_grant. */
export async function revokeAtProvider(sandbox: Sandbox, refreshToken: string): Promise<number> {
  const res = await fetch(sandbox.endpoints.revocation as string, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: `Basic ${Buffer.from(`${sandbox.client.id}:${sandbox.client.secret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ token: refreshToken }).toString(),
  });
  await res.arrayBuffer();
  return res.status;
}
