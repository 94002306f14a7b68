/**
 * The refresh loop. One timer per credential (no polling loop): it wakes
 * when the credential's refresh is due or a refresh-token warning is, and
 * otherwise nothing runs. Due refreshes go through a small queue that starts
 * at most `maxRate` per second and `concurrency` at a time, earliest first.
 *
 * A refresh takes the credential's write lock (the same one `token` takes),
 * re-reads, and refreshes only if the token is still the one it planned for:
 * if a script refreshed it meanwhile, the daemon plans from the new token
 * instead (double-checked, exactly one refresh per expiry). No decrypted
 * settings are kept between wake-ups; only times, states and counters.
 */
import { watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { freshSettings, reauthError } from '../../credential/index.js';
import type { RefreshOutcome } from '../../credential/index.js';
import { DEFAULT_LOCK_TIMEOUT_MS } from '../../defaults.js';
import { CODES, HandoffError } from '../../errors.js';
import { createHttpClient } from '../../oauth/index.js';
import type { HttpClient } from '../../oauth/index.js';
import { NAME_PATTERN, storeLayout } from '../../settings-file/index.js';
import type { CredentialStore, HeldLock, Settings } from '../../settings-file/index.js';
import { hintFor } from '../../terminal/index.js';
import { USER_AGENT } from '../../version.js';
import { runHook } from './hooks.js';
import type { HookEvent } from './hooks.js';
import type { DaemonLog } from './log.js';
import {
  DEFAULT_BACKOFF_BASE_MS,
  DEFAULT_BACKOFF_MAX_MS,
  DEFAULT_CONCURRENCY,
  DEFAULT_MAX_RATE,
  DEFAULT_REFRESH_JITTER,
  DEFAULT_REFRESH_SHARE,
  DEFAULT_WARN_BEFORE_MS,
  HOUR,
  MAX_TIMER_MS,
  PLANNED_SHARE_OF_RATE,
  SECOND,
  backoffDelay,
  chooseSlot,
  formatDuration,
  keepAliveAt,
  refreshWindow,
  warningsDue,
} from './schedule.js';
import type { Random } from './schedule.js';
import { DAEMON_STATE_FORMAT, DAEMON_STATE_VERSION, ensureStateDir, readDaemonState, removeDaemonState, writeDaemonState } from './state-file.js';
import type { DaemonCredentialState, DaemonErrorRecord, DaemonStateRecord, NextAttemptReason } from './state-file.js';

export const DEFAULT_POLL_MS = 5 * SECOND;
export const DEFAULT_HTTP_TIMEOUT_MS = 30 * SECOND;
export const DEFAULT_STOP_TIMEOUT_MS = 30 * SECOND;
/** With a working file watcher, versions of every credential are still compared this often. */
const FULL_SCAN_MS = 60 * SECOND;
const WATCH_DEBOUNCE_MS = 100;
const LOAD_CONCURRENCY = 8;
const BEHIND_AFTER_MS = 10 * SECOND;
const MAX_NOTIFIED = 20;

export interface DaemonOptions {
  store: CredentialStore;
  /** the store's home: the daemon lock, `daemon.json` and `state/` live here */
  home: string;
  /** keep only these fresh; undefined or empty = every credential, including ones imported later */
  names?: string[];
  /** shell command run once per failure (re-authorization required, refreshes failing past expiry, unreadable file) */
  onFailure?: string;
  /** shell command run once per warning (refresh token nearing its expiry) */
  onWarning?: string;
  /** warn this long before a refresh token's known expiry (default 7 d and 1 d) */
  warnBeforeMs?: readonly number[];
  /** refresh an idle grant this long before its refresh token expires (default twice the longest warning) */
  keepAliveBeforeMs?: number;
  /** share of an access token's lifetime at which to refresh (default 0.8) */
  refreshShare?: number;
  /** ± this share at random (default 0.05) */
  refreshJitter?: number;
  /** refreshes started per second at most (default 10) */
  maxRate?: number;
  /** refreshes in flight at once (default 4) */
  concurrency?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** how often to list the store for imported or removed credentials (default 5 s) */
  pollMs?: number;
  /** watch the credentials directory for changes (default true; polling alone otherwise) */
  watch?: boolean;
  httpTimeoutMs?: number;
  /** how long a refresh waits for another process's write lock */
  lockTimeoutMs?: number;
  /** on stop, how long to let refreshes in flight finish */
  stopTimeoutMs?: number;
  log: DaemonLog;
  http?: HttpClient;
  random?: Random;
  /** the environment hooks inherit (secrets removed) */
  env?: NodeJS.ProcessEnv;
}

/** What the daemon knows about one credential (for the library and tests). */
export interface DaemonCredentialSnapshot {
  name: string;
  state: DaemonCredentialState;
  next_attempt_at?: string;
  next_attempt_reason?: NextAttemptReason;
  attempts: number;
  refreshing: boolean;
  last_error?: DaemonErrorRecord;
}

export interface RunningDaemon {
  /** resolves once every credential has been read and planned */
  readonly ready: Promise<void>;
  /** re-read the store; credentials waiting out a backoff are retried now */
  reload(): void;
  /** stop planning, let refreshes in flight finish (bounded), release the lock */
  stop(exitCode?: number): Promise<number>;
  credentials(): DaemonCredentialSnapshot[];
}

interface Entry {
  name: string;
  loaded: boolean;
  removed: boolean;
  version?: string;
  status: DaemonCredentialState;
  /** the token's obtained_at: identifies the token version the plan is for */
  obtainedAt?: string;
  obtainedAtMs: number;
  expiresAt?: number;
  rtExpiresAt?: number;
  health: Settings['health']['state'];
  hasRefreshToken: boolean;
  dueAt?: number;
  dueReason?: NextAttemptReason;
  bucket?: number;
  retryAt?: number;
  /** the plan found in the state file of the previous run, used once */
  restored?: { at: number; reason: NextAttemptReason };
  timer?: NodeJS.Timeout;
  wakeAt?: number;
  queued: boolean;
  running: boolean;
  attempts: number;
  lastError?: DaemonErrorRecord;
  lastSuccessAt?: string;
  keepAliveFor?: number;
  rtWarning?: DaemonStateRecord['refresh_token_warning'];
  notified: string[];
  /** every change to this entry runs through this chain, one at a time */
  op: Promise<void>;
  writing: Promise<void>;
  lastWritten?: string;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const parseTime = (s: string | undefined): number | undefined => {
  if (s === undefined) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
};
const TRANSIENT = new Set<string>([CODES.PROVIDER_UNAVAILABLE, CODES.STORE_UNAVAILABLE, CODES.LOCK_TIMEOUT, CODES.STORE_CONFLICT]);

function asHandoffError(e: unknown): HandoffError {
  return e instanceof HandoffError ? e : new HandoffError(`refresh failed: ${(e as Error)?.message ?? String(e)}`, { code: CODES.INTERNAL, cause: e });
}

export class Daemon implements RunningDaemon {
  readonly ready: Promise<void>;
  private readonly o: DaemonOptions;
  private readonly lock: HeldLock;
  private readonly log: DaemonLog;
  private readonly random: Random;
  private readonly names?: Set<string>;
  private readonly warnBefore: readonly number[];
  private readonly keepAliveBefore: number;
  private readonly spacingMs: number;
  private readonly concurrency: number;
  private readonly entries = new Map<string, Entry>();
  /** planned refreshes per second (epoch seconds → count), to spread them */
  private readonly load = new Map<number, number>();
  private readonly readyQueue: Entry[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly hooks = new Set<Promise<void>>();
  private readonly dirty = new Set<string>();
  private running = 0;
  private lastStartAt = 0;
  private lastBehindLog = 0;
  private pumpTimer?: NodeJS.Timeout;
  private pollTimer?: NodeJS.Timeout;
  private dirtyTimer?: NodeJS.Timeout;
  private watcher?: FSWatcher;
  private lastFullScan = 0;
  private ticking = false;
  private stopping = false;
  private http?: Promise<HttpClient>;
  private resolveReady!: () => void;
  private finished: Promise<number>;
  private finish!: (code: number) => void;
  private stopPromise?: Promise<number>;

  constructor(o: DaemonOptions, lock: HeldLock) {
    this.o = o;
    this.lock = lock;
    this.log = o.log;
    this.random = o.random ?? Math.random;
    if (o.names && o.names.length > 0) this.names = new Set(o.names);
    this.warnBefore = o.warnBeforeMs ?? DEFAULT_WARN_BEFORE_MS;
    this.keepAliveBefore = o.keepAliveBeforeMs ?? 2 * Math.max(0, ...this.warnBefore);
    this.spacingMs = SECOND / Math.max(0.001, o.maxRate ?? DEFAULT_MAX_RATE);
    this.concurrency = Math.max(1, Math.floor(o.concurrency ?? DEFAULT_CONCURRENCY));
    this.ready = new Promise((r) => (this.resolveReady = r));
    this.finished = new Promise((r) => (this.finish = r));
    if (o.http) this.http = Promise.resolve(o.http);
  }

  /** Runs until stop(); resolves with the exit code. */
  async run(): Promise<number> {
    await ensureStateDir(this.o.home);
    this.log('info', 'started', `keeping ${this.names ? [...this.names].join(', ') : 'every credential'} fresh in the ${this.o.store.description}`, {
      pid: process.pid,
      scope: this.names ? [...this.names] : 'all',
    });
    this.startWatching();
    await this.scan({ initial: true });
    this.lastFullScan = Date.now();
    this.pollTimer = setInterval(() => void this.tick(), this.o.pollMs ?? 5 * SECOND);
    const planned = [...this.entries.values()].filter((e) => e.dueAt !== undefined);
    const next = planned.reduce<number | undefined>((m, e) => (m === undefined || (e.dueAt as number) < m ? e.dueAt : m), undefined);
    this.log('info', 'ready', `${this.entries.size} credential(s), ${planned.length} with a refresh planned${next ? `, the first ${formatDuration(next - Date.now())} from now` : ''}`, {
      credentials: this.entries.size,
      scheduled: planned.length,
      next_attempt_at: next === undefined ? undefined : iso(next),
    });
    this.resolveReady();
    // load the HTTP stack now rather than on the first refresh, which may be due soon
    if (planned.length > 0) void this.httpClient().catch(() => undefined);
    return this.finished;
  }

  credentials(): DaemonCredentialSnapshot[] {
    return [...this.entries.values()].map((e) => {
      const s: DaemonCredentialSnapshot = { name: e.name, state: e.status, attempts: e.attempts, refreshing: e.running };
      if (e.dueAt !== undefined) s.next_attempt_at = iso(e.dueAt);
      if (e.dueReason && e.dueAt !== undefined) s.next_attempt_reason = e.dueReason;
      if (e.lastError) s.last_error = e.lastError;
      return s;
    });
  }

  // ---------------------------------------------------------------- store scanning

  private inScope(name: string): boolean {
    return NAME_PATTERN.test(name) && (this.names === undefined || this.names.has(name));
  }

  private entry(name: string): Entry {
    let e = this.entries.get(name);
    if (!e) {
      e = {
        name,
        loaded: false,
        removed: false,
        status: 'scheduled',
        obtainedAtMs: 0,
        health: 'ok',
        hasRefreshToken: false,
        queued: false,
        running: false,
        attempts: 0,
        notified: [],
        op: Promise.resolve(),
        writing: Promise.resolve(),
      };
      this.entries.set(name, e);
    }
    return e;
  }

  /** Run `fn` after everything already queued for this credential. */
  private serialize(e: Entry, fn: () => Promise<void>): Promise<void> {
    const p = e.op.then(fn).catch((err) => {
      this.log('error', 'failing', `internal error: ${(err as Error)?.message ?? String(err)}`, { name: e.name, code: CODES.INTERNAL });
    });
    e.op = p;
    return p;
  }

  private async scan(o: { initial?: boolean; versions?: boolean; reload?: boolean }): Promise<void> {
    let names: string[];
    try {
      names = (await this.o.store.list()).filter((n) => this.inScope(n));
    } catch (err) {
      this.log('error', 'unreadable', `cannot list the store: ${(err as Error).message}`);
      return;
    }
    const present = new Set(names);
    for (const e of this.entries.values()) {
      if (!present.has(e.name) && !e.running) void this.serialize(e, () => this.check(e));
    }
    if (o.initial && this.names) {
      for (const n of this.names) {
        if (!present.has(n)) this.log('warning', 'missing', `no credential named "${n}" in the store yet; it will be picked up when it is imported`, { name: n });
      }
    }
    // a credential being refreshed is looked at again when that ends; do not wait for it here
    const todo = names.filter((n) => (o.versions || o.reload || !this.entries.has(n)) && this.entries.get(n)?.running !== true);
    let i = 0;
    const worker = async (): Promise<void> => {
      while (i < todo.length) {
        const e = this.entry(todo[i++] as string);
        await this.serialize(e, () => this.check(e, { initial: o.initial, reload: o.reload }));
      }
    };
    await Promise.all(Array.from({ length: Math.min(LOAD_CONCURRENCY, todo.length) }, worker));
  }

  /** Compare the file's version with what we know; re-read it when it changed (or on reload). */
  private async check(e: Entry, o: { initial?: boolean; reload?: boolean } = {}): Promise<void> {
    if (e.removed || this.stopping) return;
    const version = await this.o.store.version(e.name);
    if (version === undefined) return this.forget(e);
    if (e.loaded && version === e.version && !o.reload) return;
    let s: Settings;
    try {
      s = await this.o.store.read(e.name);
    } catch (err) {
      const h = asHandoffError(err);
      if (h.code === CODES.NOT_FOUND) return this.forget(e);
      const key = `unreadable:${version}`;
      e.version = version;
      if (e.notified.includes(key) && e.status === 'unreadable') return;
      this.unplan(e);
      e.loaded = true;
      e.status = 'unreadable';
      e.lastError = { code: h.code, message: h.message, at: iso(Date.now()) };
      this.log('error', 'unreadable', `${h.message}; not refreshing it until the file is replaced`, { name: e.name, code: h.code });
      this.notify(e, key, 'unreadable', h.message);
      this.persist(e);
      return;
    }
    const first = !e.loaded;
    const tokenChanged = !first && s.token.obtained_at !== e.obtainedAt;
    const healthChanged = !first && s.health.state !== e.health;
    const wasStopped = e.status === 'unreadable';
    e.version = version;
    if (first) await this.restore(e, s);
    if (!first && !tokenChanged && !healthChanged && !wasStopped && !o.reload) return;
    this.absorb(e, s);
    if (tokenChanged || wasStopped || (healthChanged && s.health.state === 'ok')) {
      e.attempts = 0;
      e.retryAt = undefined;
      e.lastError = undefined;
    }
    if (o.reload && (e.status === 'retrying' || e.status === 'failing')) e.retryAt = undefined;
    if (first && !o.initial) this.log('info', 'added', 'new credential; planning its refreshes', { name: e.name });
    else if (first) this.log('debug', 'added', 'loaded', { name: e.name });
    else if (tokenChanged || healthChanged || wasStopped) {
      this.log('info', 'changed', 'changed on disk (refreshed by another process, or replaced); planning again', { name: e.name });
    }
    if (!first && !tokenChanged && !healthChanged && !wasStopped && o.reload && e.dueAt !== undefined && e.retryAt === undefined && e.dueReason !== 'retry') {
      this.arm(e);
    } else this.schedule(e);
    this.persist(e);
  }

  /** Settings → the few facts the plan needs. The settings themselves are not kept. */
  private absorb(e: Entry, s: Settings): void {
    e.loaded = true;
    e.obtainedAt = s.token.obtained_at;
    e.obtainedAtMs = parseTime(s.token.obtained_at) ?? Date.now();
    e.expiresAt = parseTime(s.token.expires_at);
    e.rtExpiresAt = parseTime(s.token.refresh_token_expires_at);
    e.health = s.health.state;
    e.hasRefreshToken = s.token.refresh_token !== undefined;
    if (e.health === 'reauthorization_required') {
      const was = e.status;
      e.status = 'reauthorization_required';
      e.retryAt = undefined;
      const message = s.health.message ?? 'the provider rejected its refresh token';
      if (was !== 'reauthorization_required') this.reauthRequired(e, reauthError(s));
      else this.notify(e, `reauth:${e.obtainedAt}`, 'reauthorization_required', message);
    } else if (!e.hasRefreshToken) {
      if (e.status !== 'not_refreshable') {
        this.log('warning', 'not_refreshable', 'it has no refresh token, so it cannot be kept fresh; its access token is served until it expires', { name: e.name });
      }
      e.status = 'not_refreshable';
    } else if (e.status !== 'retrying' && e.status !== 'failing') e.status = 'scheduled';
  }

  /** A restart keeps what the last daemon knew: hooks sent, keep-alive done, the plan if it still fits. */
  private async restore(e: Entry, s: Settings): Promise<void> {
    const r = await readDaemonState(this.o.home, e.name);
    if (!r) return;
    e.notified = r.notified.filter((k) => typeof k === 'string').slice(-MAX_NOTIFIED);
    if (r.last_success_at) e.lastSuccessAt = r.last_success_at;
    if (r.refresh_token_warning) e.rtWarning = r.refresh_token_warning;
    if (r.keep_alive_for && r.keep_alive_for === s.token.refresh_token_expires_at) e.keepAliveFor = parseTime(r.keep_alive_for);
    const next = parseTime(r.next_attempt_at);
    if (r.planned_for === s.token.obtained_at && s.health.state === 'ok' && next !== undefined && next > Date.now()) {
      if (r.next_attempt_reason === 'retry' && (r.state === 'retrying' || r.state === 'failing')) {
        e.attempts = r.attempts;
        e.retryAt = next;
        e.status = r.state;
        if (r.last_error) e.lastError = r.last_error;
      } else if (r.next_attempt_reason === 'refresh' || r.next_attempt_reason === 'keep-alive') {
        e.restored = { at: next, reason: r.next_attempt_reason };
      }
    }
    e.lastWritten = JSON.stringify(this.recordOf(e, r));
  }

  private forget(e: Entry): void {
    if (e.removed) return;
    e.removed = true;
    this.unplan(e);
    const i = this.readyQueue.indexOf(e);
    if (i >= 0) this.readyQueue.splice(i, 1);
    if (this.entries.get(e.name) === e) this.entries.delete(e.name);
    if (!e.loaded) return; // a file event for something never seen (a temp file, a forget we never knew of)
    void e.writing.then(() => removeDaemonState(this.o.home, e.name));
    this.log('info', 'removed', 'removed from the store; no longer refreshed', { name: e.name });
  }

  // ---------------------------------------------------------------- planning

  private releaseBucket(e: Entry): void {
    if (e.bucket === undefined) return;
    const n = (this.load.get(e.bucket) ?? 1) - 1;
    if (n <= 0) this.load.delete(e.bucket);
    else this.load.set(e.bucket, n);
    e.bucket = undefined;
  }

  private unplan(e: Entry): void {
    if (e.timer) clearTimeout(e.timer);
    e.timer = undefined;
    e.wakeAt = undefined;
    e.dueAt = undefined;
    e.dueReason = undefined;
    this.releaseBucket(e);
  }

  private slot(lo: number, hi: number, earliest: number, latest: number): number {
    return chooseSlot({ lo, hi, earliest, latest, load: (s) => this.load.get(s) ?? 0, capacity: Math.max(1, Math.floor((PLANNED_SHARE_OF_RATE * SECOND) / this.spacingMs)), random: this.random });
  }

  /** Choose when to try next: a retry after backoff, the access token's refresh window, or a keep-alive. */
  private schedule(e: Entry): void {
    const kept = e.restored;
    e.restored = undefined;
    this.unplan(e);
    if (this.stopping || e.removed || e.status === 'reauthorization_required' || e.status === 'unreadable' || e.status === 'not_refreshable') {
      this.arm(e);
      return;
    }
    const now = Date.now();
    if (e.retryAt !== undefined) {
      e.dueAt = Math.max(now, e.retryAt);
      e.dueReason = 'retry';
    } else if (kept && kept.at > now && (e.expiresAt === undefined || kept.at < e.expiresAt)) {
      // restored from the state file of the previous run
      e.dueAt = kept.at;
      e.dueReason = kept.reason;
    } else {
      let due: number | undefined;
      let reason: NextAttemptReason = 'refresh';
      if (e.expiresAt !== undefined) {
        const w = refreshWindow({ now, obtainedAt: e.obtainedAtMs, expiresAt: e.expiresAt, share: this.o.refreshShare ?? DEFAULT_REFRESH_SHARE, jitter: this.o.refreshJitter ?? DEFAULT_REFRESH_JITTER });
        due = w.overdue ? this.slot(now, now + SECOND, now, now + HOUR) : this.slot(w.lo, w.hi, w.earliest, w.hi);
      }
      const ka = e.rtExpiresAt !== undefined && e.keepAliveFor !== e.rtExpiresAt ? keepAliveAt({ refreshTokenExpiresAt: e.rtExpiresAt, lastRefreshAt: e.obtainedAtMs, beforeMs: this.keepAliveBefore }) : undefined;
      if (ka !== undefined && (due === undefined || ka < due)) {
        reason = 'keep-alive';
        due = ka <= now ? this.slot(now, now + SECOND, now, now + HOUR) : this.slot(ka, ka + Math.min(HOUR, (ka - now) / 10), ka, ka + HOUR);
      }
      if (due !== undefined) {
        e.dueAt = due;
        e.dueReason = reason;
      }
    }
    if (e.dueAt !== undefined && e.dueReason !== 'retry') {
      e.bucket = Math.floor(e.dueAt / SECOND);
      this.load.set(e.bucket, (this.load.get(e.bucket) ?? 0) + 1);
    }
    if (e.dueAt !== undefined) {
      this.log('debug', 'scheduled', `${e.dueReason} in ${formatDuration(e.dueAt - now)}`, { name: e.name, next_attempt_at: iso(e.dueAt), reason: e.dueReason });
    }
    this.arm(e);
  }

  /** Give warnings that are due and set the one timer for the next thing to do. */
  private arm(e: Entry): void {
    if (e.timer) clearTimeout(e.timer);
    e.timer = undefined;
    e.wakeAt = undefined;
    if (this.stopping || e.removed) return;
    const now = Date.now();
    let nextWarn: number | undefined;
    if (e.health === 'ok' && e.rtExpiresAt !== undefined && e.hasRefreshToken) {
      const rt = iso(e.rtExpiresAt);
      const w = warningsDue({ refreshTokenExpiresAt: e.rtExpiresAt, now, thresholdsMs: this.warnBefore, done: (t) => e.notified.includes(`warn:${t}:${rt}`) });
      if (w.crossed !== undefined) this.warnExpiring(e, w.crossed, w.alsoCrossed, now);
      nextWarn = w.nextAt;
    }
    const wake = [e.dueAt, nextWarn].filter((x): x is number => x !== undefined).reduce<number | undefined>((m, x) => (m === undefined || x < m ? x : m), undefined);
    if (wake === undefined || e.queued) return;
    e.wakeAt = wake;
    e.timer = setTimeout(() => this.wake(e), Math.min(MAX_TIMER_MS, Math.max(0, wake - now)));
  }

  private wake(e: Entry): void {
    e.timer = undefined;
    e.wakeAt = undefined;
    if (this.stopping || e.removed) return;
    if (e.running) {
      // a check or refresh of it is under way; it plans again when done
      e.timer = setTimeout(() => this.wake(e), 50);
      return;
    }
    if (e.dueAt !== undefined && e.dueAt <= Date.now() + 5) this.enqueue(e);
    else this.arm(e);
  }

  private warnExpiring(e: Entry, threshold: number, also: number[], now: number): void {
    const rtIso = iso(e.rtExpiresAt as number);
    for (const t of [threshold, ...also]) this.remember(e, `warn:${t}:${rtIso}`);
    const left = (e.rtExpiresAt as number) - now;
    const message =
      left > 0
        ? `the refresh token expires in ${formatDuration(left)} (${rtIso}) and refreshing does not extend it; re-authorize before then`
        : `the refresh token expired at ${rtIso}; re-authorize`;
    e.rtWarning = { threshold_seconds: Math.round(threshold / SECOND), at: iso(now), refresh_token_expires_at: rtIso };
    this.log('warning', 'refresh_token_expiring', message, {
      name: e.name,
      refresh_token_expires_at: rtIso,
      threshold_seconds: Math.round(threshold / SECOND),
      hint: hintFor(new HandoffError(message, { code: CODES.REAUTH_REQUIRED, credential: e.name })),
    });
    this.runHookFor(this.o.onWarning, { name: e.name, state: 'refresh_token_expiring', event: 'refresh_token_expiring', message: `${e.name}: ${message}` });
    this.persist(e);
  }

  // ---------------------------------------------------------------- the queue

  private enqueue(e: Entry): void {
    if (e.queued || e.running || e.removed) return;
    e.queued = true;
    this.readyQueue.push(e);
    this.pump();
  }

  private pump(): void {
    if (this.pumpTimer || this.stopping) return;
    while (this.readyQueue.length > 0 && this.running < this.concurrency) {
      const now = Date.now();
      const wait = this.lastStartAt + this.spacingMs - now;
      if (wait > 0) {
        this.pumpTimer = setTimeout(() => {
          this.pumpTimer = undefined;
          this.pump();
        }, wait);
        return;
      }
      let k = 0;
      for (let j = 1; j < this.readyQueue.length; j++) {
        if (((this.readyQueue[j] as Entry).dueAt ?? 0) < ((this.readyQueue[k] as Entry).dueAt ?? 0)) k = j;
      }
      const e = this.readyQueue.splice(k, 1)[0] as Entry;
      e.queued = false;
      if (e.removed) continue;
      this.lastStartAt = now;
      this.begin(e, now);
    }
  }

  private begin(e: Entry, now: number): void {
    const late = now - (e.dueAt ?? now);
    if (late > BEHIND_AFTER_MS && now - this.lastBehindLog > 60 * SECOND) {
      this.lastBehindLog = now;
      this.log('warning', 'behind', `refreshes are starting ${formatDuration(late)} late (${this.readyQueue.length} waiting); raise --max-rate or --concurrency`, {
        waiting: this.readyQueue.length,
        late_ms: late,
      });
    }
    this.releaseBucket(e);
    e.running = true;
    this.running += 1;
    const p = this.serialize(e, () => this.refresh(e)).finally(() => {
      e.running = false;
      this.running -= 1;
      this.inFlight.delete(p);
      // file events seen during the refresh were skipped: compare the version once more
      if (!this.stopping && !e.removed) void this.serialize(e, () => this.check(e));
      this.pump();
    });
    this.inFlight.add(p);
  }

  private httpClient(): Promise<HttpClient> {
    this.http ??= createHttpClient({ userAgent: USER_AGENT, timeoutMs: this.o.httpTimeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS }).catch((e: unknown) => {
      this.http = undefined;
      throw e;
    });
    return this.http;
  }

  // ---------------------------------------------------------------- one refresh

  private async refresh(e: Entry): Promise<void> {
    if (e.removed) return;
    const reason = e.dueReason ?? 'refresh';
    const rtBefore = e.rtExpiresAt;
    const store = this.o.store;
    let outcome: RefreshOutcome;
    try {
      // the one refresh rule: refresh the token this plan was made for, unless another process replaced it meanwhile
      outcome = await freshSettings(store, e.name, {
        replacing: { obtained_at: e.obtainedAt },
        http: await this.httpClient(),
        lockTimeoutMs: this.o.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
        withVersion: true,
      });
    } catch (err) {
      await this.failed(e, asHandoffError(err));
      return;
    }
    e.version = outcome.version;
    const after = e.attempts;
    if (reason === 'keep-alive' && rtBefore !== undefined) e.keepAliveFor = rtBefore;
    e.attempts = 0;
    e.retryAt = undefined;
    e.lastError = undefined;
    if (e.status === 'retrying' || e.status === 'failing') e.status = 'scheduled';
    this.absorb(e, outcome.settings);
    if (e.status === 'reauthorization_required' || e.status === 'not_refreshable') {
      // another process found the grant dead meanwhile (absorb has said so)
      this.schedule(e);
      this.persist(e);
      return;
    }
    if (outcome.refreshed) e.lastSuccessAt = iso(Date.now());
    this.schedule(e);
    const next = e.dueAt === undefined ? '' : `; next ${e.dueReason} in ${formatDuration(e.dueAt - Date.now())}`;
    const expires = e.expiresAt === undefined ? 'no expiry given' : `expires in ${formatDuration(e.expiresAt - Date.now())}`;
    if (outcome.refreshed) {
      const extended = reason === 'keep-alive' && rtBefore !== undefined && e.rtExpiresAt === rtBefore ? ' (the refresh token expiry did not move)' : '';
      this.log('info', 'refreshed', `refreshed${reason === 'refresh' ? '' : ` (${reason})`}${after > 0 ? ` after ${after} failed attempt(s)` : ''}; the new access token ${expires}${next}${extended}`, {
        name: e.name,
        reason,
        rotated: outcome.rotated,
        expires_at: e.expiresAt === undefined ? undefined : iso(e.expiresAt),
        refresh_token_expires_at: e.rtExpiresAt === undefined ? undefined : iso(e.rtExpiresAt),
        next_attempt_at: e.dueAt === undefined ? undefined : iso(e.dueAt),
        failed_attempts: after > 0 ? after : undefined,
      });
      if (reason === 'keep-alive') {
        this.log('info', 'keep_alive', `kept the idle grant alive; its refresh token ${extended ? 'still expires' : 'now expires'} ${e.rtExpiresAt === undefined ? '(no known expiry)' : `at ${iso(e.rtExpiresAt)}`}`, {
          name: e.name,
          refresh_token_expires_at: e.rtExpiresAt === undefined ? undefined : iso(e.rtExpiresAt),
          extended: extended === '',
        });
      }
      if (after > 0) this.log('info', 'recovered', `refreshes work again after ${after} failed attempt(s)`, { name: e.name, failed_attempts: after });
    } else {
      this.log('info', 'skipped', `another process refreshed it first; its access token ${expires}${next}`, { name: e.name });
    }
    this.persist(e);
  }

  private reauthRequired(e: Entry, err: HandoffError): void {
    this.unplan(e);
    e.status = 'reauthorization_required';
    e.health = 'reauthorization_required';
    e.retryAt = undefined;
    const hint = hintFor(new HandoffError(err.message, { code: CODES.REAUTH_REQUIRED, credential: e.name }));
    this.log('error', 'reauthorization_required', `${err.message}; no more refreshes are tried for it (the others go on)`, { name: e.name, code: err.code, hint });
    this.notify(e, `reauth:${e.obtainedAt}`, 'reauthorization_required', err.message);
  }

  private async failed(e: Entry, err: HandoffError): Promise<void> {
    const now = Date.now();
    if (err.code === CODES.NOT_FOUND) return this.forget(e);
    e.lastError = { code: err.code, message: err.message, at: iso(now) };
    if (err.oauth?.status !== undefined) e.lastError.status = err.oauth.status;
    if (err.oauth?.error !== undefined) e.lastError.error = err.oauth.error;
    if (err.code === CODES.REAUTH_REQUIRED) {
      e.version = await this.o.store.version(e.name);
      this.reauthRequired(e, err);
      this.arm(e);
      this.persist(e);
      return;
    }
    e.attempts += 1;
    const validFor = e.expiresAt === undefined ? undefined : e.expiresAt - now;
    const delay = backoffDelay({
      attempt: e.attempts,
      baseMs: this.o.backoffBaseMs ?? DEFAULT_BACKOFF_BASE_MS,
      maxMs: this.o.backoffMaxMs ?? DEFAULT_BACKOFF_MAX_MS,
      retryAfterSeconds: err.oauth?.retryAfter,
      validForMs: validFor,
      random: this.random,
    });
    e.retryAt = now + delay;
    const transient = TRANSIENT.has(err.code);
    const expired = validFor !== undefined && validFor <= 0;
    e.status = transient && !expired ? 'retrying' : 'failing';
    const still = validFor === undefined ? '' : expired ? '; the access token has expired' : `; the current access token stays valid for ${formatDuration(validFor)}`;
    const message = `${err.message}; attempt ${e.attempts} failed${this.stopping ? '' : `, next in ${formatDuration(delay)}`}${still}`;
    this.log(transient && !expired ? 'warning' : 'error', e.status, message, {
      name: e.name,
      code: err.code,
      status: err.oauth?.status,
      error: err.oauth?.error,
      attempt: e.attempts,
      retry_in_ms: Math.round(delay),
      retry_after_seconds: err.oauth?.retryAfter,
      next_attempt_at: iso(e.retryAt),
    });
    if (e.status === 'failing') this.notify(e, `failing:${err.code}:${e.obtainedAt}`, 'failing', message);
    this.schedule(e);
    this.persist(e);
  }

  // ---------------------------------------------------------------- hooks and the state file

  private remember(e: Entry, key: string): void {
    e.notified.push(key);
    if (e.notified.length > MAX_NOTIFIED) e.notified.splice(0, e.notified.length - MAX_NOTIFIED);
  }

  /** Each failure is reported once (per token, per cause), not on every attempt or restart. */
  private notify(e: Entry, key: string, state: string, message: string): void {
    if (e.notified.includes(key)) return;
    this.remember(e, key);
    this.runHookFor(this.o.onFailure, { name: e.name, state, event: state, message: `${e.name}: ${message}` });
  }

  private runHookFor(command: string | undefined, ev: HookEvent): void {
    if (!command) return;
    const p = runHook(command, ev, { env: this.o.env ?? process.env }).then((r) => {
      if (r.code === 0) this.log('info', 'hook', `hook for ${ev.event} ran`, { name: ev.name, state: ev.state });
      else {
        const why = r.timedOut ? 'timed out and was killed' : r.error ? `could not start: ${r.error}` : r.signal ? `was killed by ${r.signal}` : `exited with ${r.code}`;
        this.log('warning', 'hook_failed', `hook for ${ev.event} ${why}`, { name: ev.name, state: ev.state, exit_code: r.code });
      }
    });
    this.hooks.add(p);
    void p.finally(() => this.hooks.delete(p));
  }

  private recordOf(e: Entry, base?: Partial<DaemonStateRecord>): Omit<DaemonStateRecord, 'updated_at' | 'pid'> {
    const r: Omit<DaemonStateRecord, 'updated_at' | 'pid'> = {
      format: DAEMON_STATE_FORMAT,
      version: DAEMON_STATE_VERSION,
      name: e.name,
      state: base?.state ?? e.status,
      attempts: base?.attempts ?? e.attempts,
      notified: base?.notified ?? e.notified,
    };
    const next = base ? base.next_attempt_at : e.dueAt === undefined ? undefined : iso(e.dueAt);
    if (next !== undefined) r.next_attempt_at = next;
    const reason = base ? base.next_attempt_reason : e.dueAt === undefined ? undefined : e.dueReason;
    if (reason !== undefined) r.next_attempt_reason = reason;
    const lastError = base ? base.last_error : e.lastError;
    if (lastError) r.last_error = lastError;
    const success = base ? base.last_success_at : e.lastSuccessAt;
    if (success) r.last_success_at = success;
    const warn = base ? base.refresh_token_warning : e.rtWarning;
    if (warn) r.refresh_token_warning = warn;
    const planned = base ? base.planned_for : e.obtainedAt;
    if (planned) r.planned_for = planned;
    const ka = base ? base.keep_alive_for : e.keepAliveFor === undefined ? undefined : iso(e.keepAliveFor);
    if (ka) r.keep_alive_for = ka;
    return r;
  }

  /** Write the state file when something in it changed (one write at a time per credential). */
  private persist(e: Entry): void {
    if (e.removed) return;
    e.writing = e.writing.then(async () => {
      if (e.removed) return;
      const r = this.recordOf(e);
      const text = JSON.stringify(r);
      if (text === e.lastWritten) return;
      try {
        await writeDaemonState(this.o.home, { ...r, updated_at: iso(Date.now()), pid: process.pid });
        e.lastWritten = text;
      } catch (err) {
        this.log('warning', 'unreadable', `cannot write the daemon state file: ${(err as Error).message}`, { name: e.name });
      }
    });
  }

  // ---------------------------------------------------------------- watching the store

  private startWatching(): void {
    if (this.o.watch === false) return;
    const dir = storeLayout(this.o.home).credentialsDir;
    try {
      this.watcher = watch(dir, { persistent: false }, (_event, filename) => {
        if (typeof filename !== 'string' || filename.startsWith('.') || !filename.endsWith('.ohs')) return;
        const name = filename.slice(0, -'.ohs'.length);
        if (!this.inScope(name)) return;
        this.dirty.add(name);
        this.dirtyTimer ??= setTimeout(() => this.flushDirty(), WATCH_DEBOUNCE_MS);
      });
      this.watcher.on('error', () => {
        this.watcher?.close();
        this.watcher = undefined;
      });
    } catch {
      // no such directory yet, or no inotify watches left: polling covers it
      this.watcher = undefined;
    }
  }

  private flushDirty(): void {
    this.dirtyTimer = undefined;
    if (this.stopping) return;
    for (const name of this.dirty) {
      const e = this.entry(name);
      if (!e.running) void this.serialize(e, () => this.check(e));
    }
    this.dirty.clear();
  }

  /** Every pollMs: new or removed files, lost lock, timers that slept through a suspend. */
  private async tick(): Promise<void> {
    if (this.ticking || this.stopping) return;
    this.ticking = true;
    try {
      if (!this.lock.held) {
        this.log('error', 'lock_lost', 'the daemon lock was taken over (the process stalled for seconds?); stopping so that only one daemon runs');
        void this.stop(1);
        return;
      }
      if (!this.watcher && this.o.watch !== false) this.startWatching();
      const now = Date.now();
      const full = !this.watcher || now - this.lastFullScan >= FULL_SCAN_MS;
      if (full) this.lastFullScan = now;
      await this.scan({ versions: full });
      for (const e of this.entries.values()) {
        if (e.wakeAt !== undefined && e.wakeAt < now - SECOND && !e.queued && !e.running) {
          if (e.timer) clearTimeout(e.timer);
          this.wake(e);
        }
      }
    } finally {
      this.ticking = false;
    }
  }

  // ---------------------------------------------------------------- reload and stop

  reload(): void {
    if (this.stopping) return;
    this.log('info', 'reloading', 're-reading the store; credentials waiting out a backoff are tried again now');
    void this.scan({ reload: true }).then(() => {
      this.lastFullScan = Date.now();
    });
  }

  stop(exitCode = 0): Promise<number> {
    this.stopPromise ??= this.doStop(exitCode);
    return this.stopPromise;
  }

  private async doStop(exitCode: number): Promise<number> {
    this.stopping = true;
    for (const t of [this.pollTimer, this.pumpTimer, this.dirtyTimer]) if (t) clearTimeout(t);
    this.watcher?.close();
    for (const e of this.entries.values()) {
      if (e.timer) clearTimeout(e.timer);
      e.timer = undefined;
      e.queued = false;
    }
    this.readyQueue.length = 0;
    const inFlight = [...this.inFlight];
    this.log('info', 'stopping', inFlight.length ? `stopping; letting ${inFlight.length} refresh(es) in flight finish` : 'stopping', { in_flight: inFlight.length });
    const bounded = (ps: Promise<unknown>[], ms: number) => {
      let timer: NodeJS.Timeout | undefined;
      return Promise.race([
        Promise.allSettled(ps).then(() => true),
        new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms))),
      ]).finally(() => clearTimeout(timer));
    };
    const finished = await bounded(inFlight, this.o.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS);
    await bounded([...[...this.entries.values()].map((e) => e.writing), ...this.hooks], 5 * SECOND);
    this.log(finished ? 'info' : 'warning', 'stopped', finished ? 'stopped' : 'stopped with a refresh still in flight (it was abandoned; its credential is marked as interrupted)');
    this.finish(exitCode);
    return exitCode;
  }
}
