/**
 * The refresh loop: run, reload and stop, reading the store and starting
 * attempts. One timer per credential (plan.ts), no polling loop for
 * refreshes: due refreshes go through a rate-limited queue (queue.ts) to one
 * attempt each (attempt.ts), whose outcome outcome.ts applies; the store is
 * watched (watch.ts) and scanned every pollMs for what a watcher misses. No
 * decrypted settings are kept between wake-ups, only the per-credential
 * record (record.ts) of times, states and counters.
 */
import { DEFAULT_LOCK_TIMEOUT_MS } from '../../defaults.js';
import { CODES } from '../../errors.js';
import { createHttpClient } from '../../oauth/index.js';
import type { HttpClient } from '../../oauth/index.js';
import { NAME_PATTERN } from '../../settings-file/index.js';
import type { CredentialStore, HeldLock, Settings } from '../../settings-file/index.js';
import { USER_AGENT } from '../../version.js';
import { asHandoffError, attemptRefresh } from './attempt.js';
import type { AttemptOutcome } from './attempt.js';
import { HookRunner } from './hooks.js';
import { errorText, logDuration } from './log.js';
import type { DaemonLog } from './log.js';
import { Outcomes } from './outcome.js';
import { Planner } from './plan.js';
import { RefreshQueue } from './queue.js';
import { clearFailures, iso, newEntry, restoreFrom, snapshotOf } from './record.js';
import type { DaemonCredentialSnapshot, Entry } from './record.js';
import { DEFAULT_WARN_BEFORE_MS, SECOND } from './schedule.js';
import type { Random } from './schedule.js';
import { ensureStateDir, readDaemonState, removeDaemonState } from './state-file.js';
import { StoreWatcher } from './watch.js';

export type { DaemonCredentialSnapshot } from './record.js';

export const DEFAULT_POLL_MS = 5 * SECOND;
export const DEFAULT_HTTP_TIMEOUT_MS = 30 * SECOND;
export const DEFAULT_STOP_TIMEOUT_MS = 30 * SECOND;
/** With a working file watcher, versions of every credential are still compared this often. */
const FULL_SCAN_MS = 60 * SECOND;
const LOAD_CONCURRENCY = 8;

/**
 * Told about what the daemon does, for sinks, metrics and the service
 * manager. Called synchronously; an observer must not throw.
 */
export interface DaemonObserver {
  /** the daemon exists: what metrics and status lines read from */
  attach?(view: DaemonView): void;
  /** the credential's current token: at start, after a refresh, when another process refreshed it */
  token?(name: string, settings: Settings): void;
  /** its token must no longer be handed out: removed from the store, dead grant, or expired */
  withdraw?(name: string, why: 'removed' | 'reauthorization_required' | 'expired'): void;
  /** a refresh by this daemon succeeded (`reason`: refresh, keep-alive or retry) */
  refreshed?(name: string, reason: string): void;
  /** an attempt failed; `reason` is the OAuth error or the error code, lowercase */
  failed?(name: string, reason: string): void;
  /** every credential has been read and planned */
  ready?(): void;
  /** a credential's state or plan changed */
  changed?(): void;
  /** the daemon is stopping */
  stopping?(): void;
}

export interface DaemonOptions {
  store: CredentialStore;
  /** the store's home: the daemon lock, `daemon.json` and `state/` live here */
  home: string;
  /** keep only these fresh; undefined or empty = every credential, including ones imported later */
  names?: string[];
  /** shell command run once per failure (re-authorization required, client refused, refreshes failing past expiry, unreadable file) */
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
  /** watch the store for changes (default true; polling alone otherwise) */
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
  observers?: DaemonObserver[];
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

/** The daemon's view for metrics: the records and the queue. */
export interface DaemonView {
  entries(): Iterable<Readonly<Entry>>;
  queueLength(): number;
}

export class Daemon implements RunningDaemon, DaemonView {
  readonly ready: Promise<void>;
  private readonly o: DaemonOptions;
  private readonly lock: HeldLock;
  private readonly log: DaemonLog;
  private readonly names?: Set<string>;
  private readonly entries_ = new Map<string, Entry>();
  private readonly planner: Planner;
  private readonly queue: RefreshQueue;
  private readonly watcher: StoreWatcher;
  private readonly hooks: HookRunner;
  private readonly outcomes: Outcomes;
  private readonly observers: DaemonObserver[];
  private pollTimer?: NodeJS.Timeout;
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
    this.observers = o.observers ?? [];
    if (o.names && o.names.length > 0) this.names = new Set(o.names);
    const warnBeforeMs = o.warnBeforeMs ?? DEFAULT_WARN_BEFORE_MS;
    this.queue = new RefreshQueue({ log: o.log, maxRate: o.maxRate, concurrency: o.concurrency, start: (e) => this.begin(e) });
    this.planner = new Planner({
      log: o.log,
      random: o.random ?? Math.random,
      spacingMs: this.queue.spacingMs,
      refreshShare: o.refreshShare,
      refreshJitter: o.refreshJitter,
      warnBeforeMs,
      keepAliveBeforeMs: o.keepAliveBeforeMs ?? 2 * Math.max(0, ...warnBeforeMs),
      onDue: (e) => this.queue.add(e),
      onWarning: (e, threshold, also, now) => this.outcomes.warnExpiring(e, threshold, also, now),
      onSecretWarning: (e, threshold, also, now) => this.outcomes.warnSecretExpiring(e, threshold, also, now),
      onExpired: (e) => this.outcomes.expired(e),
    });
    this.watcher = new StoreWatcher(o.store, (names) => this.changedOnDisk(names));
    this.hooks = new HookRunner({ log: o.log, env: o.env, onFailure: o.onFailure, onWarning: o.onWarning });
    this.outcomes = new Outcomes({ o, log: o.log, planner: this.planner, hooks: this.hooks, tell: (fn) => this.tell(fn), stopping: () => this.stopping });
    this.ready = new Promise((r) => (this.resolveReady = r));
    this.finished = new Promise((r) => (this.finish = r));
    if (o.http) this.http = Promise.resolve(o.http);
  }

  /** Runs until stop(); resolves with the exit code. */
  async run(): Promise<number> {
    await ensureStateDir(this.o.home);
    const names = this.names ? [...this.names].join(', ') : undefined;
    const label = this.o.store.label;
    this.log('info', 'started', (t) => {
      const store = label.map((m) => t.render(m.key, m.params)).join(t.t('store.label.separator'));
      return names === undefined ? t.t('daemon.started.all', { store }) : t.t('daemon.started.some', { names, store });
    }, {
      pid: process.pid,
      scope: this.names ? [...this.names] : 'all',
    });
    if (this.o.watch !== false) this.watcher.start();
    await this.scan({ initial: true });
    this.lastFullScan = Date.now();
    this.pollTimer = setInterval(() => void this.tick(), this.o.pollMs ?? DEFAULT_POLL_MS);
    const planned = [...this.entries_.values()].filter((e) => e.dueAt !== undefined);
    const next = planned.reduce<number | undefined>((m, e) => (m === undefined || (e.dueAt as number) < m ? e.dueAt : m), undefined);
    const count = this.entries_.size;
    const nextIn = next ? next - Date.now() : undefined;
    this.log('info', 'ready', (t) => (nextIn === undefined ? t.t('daemon.ready', { count, planned: planned.length }) : t.t('daemon.ready_next', { count, planned: planned.length, duration: logDuration(t, nextIn) })), {
      credentials: this.entries_.size,
      scheduled: planned.length,
      next_attempt_at: next === undefined ? undefined : iso(next),
    });
    this.resolveReady();
    this.tell((ob) => ob.ready?.());
    // load the HTTP stack now rather than on the first refresh, which may be due soon
    if (planned.length > 0) void this.httpClient().catch(() => undefined);
    return this.finished;
  }

  credentials(): DaemonCredentialSnapshot[] {
    return [...this.entries_.values()].map(snapshotOf);
  }

  entries(): Iterable<Readonly<Entry>> {
    return this.entries_.values();
  }

  queueLength(): number {
    return this.queue.length;
  }

  private tell(fn: (ob: DaemonObserver) => void): void {
    for (const ob of this.observers) {
      try {
        fn(ob);
      } catch (err) {
        this.log('warning', 'failing', (t) => t.t('daemon.observer_error', { error: errorText(err, t) }));
      }
    }
  }

  // ---------------------------------------------------------------- the store

  private inScope(name: string): boolean {
    return NAME_PATTERN.test(name) && (this.names === undefined || this.names.has(name));
  }

  private entry(name: string): Entry {
    let e = this.entries_.get(name);
    if (!e) {
      e = newEntry(name);
      this.entries_.set(name, e);
    }
    return e;
  }

  /** Run `fn` after everything already queued for this credential. */
  private serialize(e: Entry, fn: () => Promise<void>): Promise<void> {
    const p = e.op.then(fn).catch((err) => {
      this.log('error', 'failing', (t) => t.t('daemon.internal_error', { error: errorText(err, t) }), { name: e.name, code: CODES.INTERNAL });
    });
    e.op = p;
    return p;
  }

  private changedOnDisk(names: string[]): void {
    if (this.stopping) return;
    for (const name of names) {
      if (!this.inScope(name)) continue;
      const e = this.entry(name);
      if (!e.running) void this.serialize(e, () => this.check(e));
    }
  }

  private async scan(o: { initial?: boolean; versions?: boolean; reload?: boolean }): Promise<void> {
    let names: string[];
    try {
      names = (await this.o.store.list()).filter((n) => this.inScope(n));
    } catch (err) {
      this.log('error', 'unreadable', (t) => t.t('daemon.cannot_list', { error: errorText(err, t) }));
      return;
    }
    const present = new Set(names);
    for (const e of this.entries_.values()) {
      if (!present.has(e.name) && !e.running) void this.serialize(e, () => this.check(e));
    }
    if (o.initial && this.names) {
      for (const n of this.names) {
        if (!present.has(n)) this.log('warning', 'missing', (t) => t.t('daemon.missing', { name: n }), { name: n });
      }
    }
    // a credential being refreshed is looked at again when that ends; do not wait for it here
    const todo = names.filter((n) => (o.versions || o.reload || !this.entries_.has(n)) && this.entries_.get(n)?.running !== true);
    let i = 0;
    const worker = async (): Promise<void> => {
      while (i < todo.length) {
        const e = this.entry(todo[i++] as string);
        await this.serialize(e, () => this.check(e, { initial: o.initial, reload: o.reload }));
      }
    };
    await Promise.all(Array.from({ length: Math.min(LOAD_CONCURRENCY, todo.length) }, worker));
  }

  /** Compare the stored version with what we know; re-read it when it changed (or on reload). */
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
      this.planner.unplan(e);
      e.loaded = true;
      e.status = 'unreadable';
      e.lastError = { code: h.code, message: h.message, at: iso(Date.now()) };
      this.log('error', 'unreadable', (t) => t.t('daemon.unreadable', { error: errorText(h, t) }), { name: e.name, code: h.code });
      this.outcomes.notify(e, key, 'unreadable', h.message);
      this.outcomes.persist(e);
      return;
    }
    const first = !e.loaded;
    const tokenChanged = !first && s.token.obtained_at !== e.obtainedAt;
    const healthChanged = !first && s.health.state !== e.health;
    const wasStopped = e.status === 'unreadable';
    e.version = version;
    if (first) {
      const r = await readDaemonState(this.o.home, e.name);
      if (r) restoreFrom(e, r, s, Date.now());
    }
    if (!first && !tokenChanged && !healthChanged && !wasStopped && !o.reload) return;
    this.outcomes.absorb(e, s);
    if (tokenChanged || wasStopped || (healthChanged && s.health.state === 'ok')) clearFailures(e);
    if (o.reload && (e.status === 'retrying' || e.status === 'failing' || e.status === 'client_rejected')) {
      e.retryAt = undefined;
      if (e.status === 'client_rejected') e.status = 'scheduled';
    }
    if (first && !o.initial) this.log('info', 'added', (t) => t.t('daemon.added'), { name: e.name });
    else if (first) this.log('debug', 'added', (t) => t.t('daemon.loaded'), { name: e.name });
    else if (tokenChanged || healthChanged || wasStopped) {
      this.log('info', 'changed', (t) => t.t('daemon.changed'), { name: e.name });
    }
    if (!first && !tokenChanged && !healthChanged && !wasStopped && o.reload && e.dueAt !== undefined && e.retryAt === undefined && e.dueReason !== 'retry') {
      this.planner.arm(e);
    } else this.planner.schedule(e);
    this.outcomes.persist(e);
    this.tell((ob) => ob.changed?.());
  }

  private forget(e: Entry): void {
    if (e.removed) return;
    e.removed = true;
    this.planner.unplan(e);
    this.queue.remove(e);
    if (this.entries_.get(e.name) === e) this.entries_.delete(e.name);
    if (!e.loaded) return; // a file event for something never seen (a temp file, a forget we never knew of)
    void e.writing.then(() => removeDaemonState(this.o.home, e.name));
    this.log('info', 'removed', (t) => t.t('daemon.removed'), { name: e.name });
    this.tell((ob) => ob.withdraw?.(e.name, 'removed'));
    this.tell((ob) => ob.changed?.());
  }

  // ---------------------------------------------------------------- one attempt and its outcome

  private httpClient(): Promise<HttpClient> {
    this.http ??= createHttpClient({ userAgent: USER_AGENT, timeoutMs: this.o.httpTimeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS }).catch((e: unknown) => {
      this.http = undefined;
      throw e;
    });
    return this.http;
  }

  /** Called by the queue when a refresh may start. */
  private begin(e: Entry): Promise<void> {
    this.planner.started(e);
    e.running = true;
    return this.serialize(e, () => this.refresh(e)).finally(() => {
      e.running = false;
      // file events seen during the refresh were skipped: compare the version once more
      if (!this.stopping && !e.removed) void this.serialize(e, () => this.check(e));
    });
  }

  private async refresh(e: Entry): Promise<void> {
    if (e.removed) return;
    const reason = e.dueReason ?? 'refresh';
    const rtBefore = e.rtExpiresAt;
    let outcome: AttemptOutcome;
    try {
      outcome = await attemptRefresh({
        store: this.o.store,
        name: e.name,
        plannedFor: e.obtainedAt,
        http: () => this.httpClient(),
        lockTimeoutMs: this.o.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
      });
    } catch (err) {
      if ((await this.outcomes.failed(e, asHandoffError(err))) === 'gone') this.forget(e);
      return;
    }
    this.outcomes.succeeded(e, outcome, reason, rtBefore);
  }

  // ---------------------------------------------------------------- tick, reload and stop

  /** Every pollMs: new or removed credentials, lost lock, timers that slept through a suspend. */
  private async tick(): Promise<void> {
    if (this.ticking || this.stopping) return;
    this.ticking = true;
    try {
      if (!this.lock.held) {
        this.log('error', 'lock_lost', (t) => t.t('daemon.lock_lost'));
        void this.stop(1);
        return;
      }
      if (this.o.watch !== false) this.watcher.start();
      const now = Date.now();
      const full = !this.watcher.active || now - this.lastFullScan >= FULL_SCAN_MS;
      if (full) this.lastFullScan = now;
      await this.scan({ versions: full });
      for (const e of this.entries_.values()) {
        if (e.wakeAt !== undefined && e.wakeAt < now - SECOND && !e.queued && !e.running) this.planner.wake(e);
      }
    } finally {
      this.ticking = false;
    }
  }

  reload(): void {
    if (this.stopping) return;
    this.log('info', 'reloading', (t) => t.t('daemon.reloading'));
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
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.watcher.close();
    this.planner.stop(this.entries_.values());
    this.queue.stop();
    this.tell((ob) => ob.stopping?.());
    const inFlight = this.queue.running();
    this.log('info', 'stopping', (t) => (inFlight.length ? t.t('daemon.stopping_in_flight', { count: inFlight.length }) : t.t('daemon.stopping')), { in_flight: inFlight.length });
    const bounded = (ps: Promise<unknown>[], ms: number) => {
      let timer: NodeJS.Timeout | undefined;
      return Promise.race([Promise.allSettled(ps).then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)))]).finally(() => clearTimeout(timer));
    };
    const finished = await bounded(inFlight, this.o.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS);
    await bounded([...[...this.entries_.values()].map((e) => e.writing), ...this.hooks.pending()], 5 * SECOND);
    this.log(finished ? 'info' : 'warning', 'stopped', (t) => (finished ? t.t('daemon.stopped') : t.t('daemon.stopped_abandoned')));
    this.finish(exitCode);
    return exitCode;
  }
}
