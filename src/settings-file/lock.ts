import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rm, rmdir, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_LOCK_TIMEOUT_MS } from '../defaults.js';
import { CODES, HandoffError } from '../errors.js';
import { message } from '../i18n/index.js';
import type { Message } from '../i18n/index.js';

/**
 * The writer side of the per-credential read/write lock.
 *
 * Readers take no lock at all: every write is an atomic rename, so a reader
 * always sees one complete version, and a reader of a fresh token never waits.
 * Writers (refresh, import, forget) serialise on a lock directory
 * `<target>.lock` (mkdir is atomic) holding an `owner` record: pid, process
 * start time, host. A stale reader joins the refresh in flight by waiting for
 * this lock and re-reading (double-checked) instead of refreshing again.
 *
 * Why not proper-lockfile: it decides that a holder is dead when the lock's
 * mtime has not been touched for `stale` ms (2 s at the least). Under load
 * (32 processes starting on 2 cores) a live holder can miss that deadline; a
 * second process then takes the lock and replays the refresh token, which on
 * strict servers revokes the whole grant. Here a holder on this host is dead
 * exactly when its process is gone (kill(pid, 0), /proc start time against pid
 * reuse), so a SIGKILLed holder is taken over at once and a slow one never.
 * Only a lock without a readable owner (its maker died between mkdir and
 * writing the owner) or owned from another host falls back to the heartbeat:
 * the holder touches the directory every HEARTBEAT_MS.
 */
export const HEARTBEAT_MS = 1000;
/** a lock whose owner cannot be checked is stale after this long without a heartbeat */
export const STALE_MS = 2500;
/** the same for an owner on another host (a store on a shared file system) */
export const FOREIGN_STALE_MS = 15_000;
export { DEFAULT_LOCK_TIMEOUT_MS };
const POLL_MIN_MS = 15;
const POLL_MAX_MS = 60;
const OWNER_FILE = 'owner';

export interface LockOptions {
  /** give up after this long (LOCK_TIMEOUT, exit 6) */
  timeoutMs?: number;
  /** called once when the lock is busy and we start waiting */
  onWait?: () => void;
}

export interface HeldLock {
  /** false once the lock directory was removed or taken over by someone else */
  readonly held: boolean;
  /**
   * True for a lock that passes to another process when its holder stalls
   * long enough, alive or not (a fleet store's lease): a refresh is then sent
   * only within the time its first write reserved (`WriteOptions.refreshStarts`).
   */
  readonly expires?: boolean;
}

interface Owner {
  pid: number;
  host: string;
  /** /proc/<pid>/stat start time (Linux), against pid reuse */
  start?: string;
  /** random per acquisition: tells our lock from a later one */
  id: string;
}

/** Start time of a process in clock ticks since boot, or undefined where /proc is missing. "Z" counts as gone. */
function processStart(pid: number): string | undefined | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? null : undefined;
  }
  // pid (comm) state ... : comm may contain spaces and parentheses; fields restart after the last ')'
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  if (fields[0] === 'Z' || fields[0] === 'X') return null;
  return fields[19];
}

function selfOwner(): Owner {
  const o: Owner = { pid: process.pid, host: hostname(), id: randomBytes(8).toString('hex') };
  const start = processStart(process.pid);
  if (typeof start === 'string') o.start = start;
  return o;
}

/** true: alive, false: gone, undefined: cannot tell from here (another host). */
function ownerAlive(o: Owner): boolean | undefined {
  if (o.host !== hostname()) return undefined;
  try {
    process.kill(o.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const start = processStart(o.pid);
  if (start === null) return false;
  if (o.start !== undefined && start !== undefined && start !== o.start) return false;
  return true;
}

async function readOwner(dir: string): Promise<Owner | undefined> {
  try {
    const o = JSON.parse(await readFile(join(dir, OWNER_FILE), 'utf8')) as Owner;
    return typeof o.pid === 'number' && typeof o.host === 'string' && typeof o.id === 'string' ? o : undefined;
  } catch {
    return undefined;
  }
}

async function mtimeAge(path: string): Promise<number | undefined> {
  try {
    return Date.now() - (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
}

export interface LockHolder {
  pid?: number;
  host?: string;
  /** false when the holder is gone (the next acquirer takes the lock over at once) */
  alive: boolean;
}

/** Who holds the lock on `target`, if anyone (for `status` and the daemon's single-instance check). */
export async function lockHolder(target: string): Promise<LockHolder | undefined> {
  const dir = `${target}.lock`;
  const age = await mtimeAge(dir);
  if (age === undefined) return undefined;
  const owner = await readOwner(dir);
  if (!owner) return { alive: age < STALE_MS };
  const alive = ownerAlive(owner);
  return { pid: owner.pid, host: owner.host, alive: alive ?? age < FOREIGN_STALE_MS };
}

/**
 * Remove a lock whose holder is gone. Two waiters may judge the same dead
 * lock at once: a short-lived guard directory lets one of them re-check and
 * remove it, so nobody removes a lock that a third process just took.
 */
async function takeOver(dir: string, judged: Owner | undefined): Promise<void> {
  const guard = `${dir}.takeover`;
  try {
    await mkdir(guard);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    // someone else is taking over; a guard left by a process killed in this tiny window goes after STALE_MS
    const age = await mtimeAge(guard);
    if (age !== undefined && age > STALE_MS) await rmdir(guard).catch(() => undefined);
    return;
  }
  try {
    const now = await readOwner(dir);
    if (now?.id !== judged?.id) return; // changed since we judged it: not ours to remove
    await rm(dir, { recursive: true, force: true });
  } finally {
    await rmdir(guard).catch(() => undefined);
  }
}

async function tryAcquire(dir: string, me: Owner): Promise<boolean> {
  try {
    await mkdir(dir, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  await writeFile(join(dir, OWNER_FILE), JSON.stringify(me), { mode: 0o600 });
  return true;
}

/** When the lock is busy: take it over if its holder is gone. */
async function clearIfDead(dir: string): Promise<void> {
  const owner = await readOwner(dir);
  if (owner) {
    const alive = ownerAlive(owner);
    if (alive === false) return takeOver(dir, owner);
    if (alive === undefined) {
      const age = await mtimeAge(dir);
      if (age !== undefined && age > FOREIGN_STALE_MS) return takeOver(dir, owner);
    }
    return;
  }
  const age = await mtimeAge(dir);
  if (age !== undefined && age > STALE_MS) return takeOver(dir, undefined);
}

/** What a lock guards, as callers name it (one catalog sentence per kind). */
export type LockSubject = `credential "${string}"` | `settings file ${string}` | 'the daemon lock';

/** "timed out after N s waiting for the lock on …", as a whole sentence per kind of lock. */
export function lockTimeout(what: LockSubject, timeoutMs: number, holder?: { pid: number | string; host: string }): Message {
  const seconds = String(Math.round(timeoutMs / 1000));
  const name = /^credential "(.*)"$/.exec(what)?.[1];
  const held = holder ? { pid: String(holder.pid), host: holder.host } : undefined;
  if (name !== undefined) {
    return held ? message('store.lock_timeout.credential_held', { seconds, name, ...held }) : message('store.lock_timeout.credential', { seconds, name });
  }
  if (what.startsWith('settings file ')) {
    const path = what.slice('settings file '.length);
    return held ? message('store.lock_timeout.settings_file_held', { seconds, path, ...held }) : message('store.lock_timeout.settings_file', { seconds, path });
  }
  return held ? message('store.lock_timeout.daemon_held', { seconds, ...held }) : message('store.lock_timeout.daemon', { seconds });
}

export async function withFileLock<T>(target: string, what: LockSubject, fn: (lock: HeldLock) => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const dir = `${target}.lock`;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  const me = selfOwner();
  let waited = false;
  while (!(await tryAcquire(dir, me))) {
    await clearIfDead(dir);
    if (Date.now() >= deadline) {
      const holder = await readOwner(dir);
      throw new HandoffError(lockTimeout(what, timeoutMs, holder), { code: CODES.LOCK_TIMEOUT });
    }
    if (!waited) {
      waited = true;
      opts.onWait?.();
    }
    const pause = POLL_MIN_MS + Math.random() * (POLL_MAX_MS - POLL_MIN_MS);
    await new Promise((r) => setTimeout(r, Math.min(pause, Math.max(1, deadline - Date.now()))));
  }
  const state = { held: true };
  const heartbeat = setInterval(() => {
    const t = new Date();
    utimes(dir, t, t).catch(() => {
      state.held = false;
    });
  }, HEARTBEAT_MS);
  heartbeat.unref();
  try {
    return await fn(state);
  } finally {
    clearInterval(heartbeat);
    const owner = await readOwner(dir);
    if (owner?.id === me.id) await rm(dir, { recursive: true, force: true });
    else state.held = false;
  }
}
