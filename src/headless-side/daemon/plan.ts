/**
 * Planning: when each credential is tried next, and the one timer per
 * credential that wakes for it. A refresh is planned in its window of the
 * access token's life, spread over seconds that still have room (so many
 * credentials imported together do not refresh in one burst); a retry after
 * its backoff; a keep-alive before an idle refresh token runs out. The timer
 * also wakes for refresh-token expiry warnings and for the moment the access
 * token of a credential whose refreshes fail runs out.
 */
import { logDuration } from './log.js';
import type { DaemonLog } from './log.js';
import type { Entry } from './record.js';
import { iso } from './record.js';
import {
  DEFAULT_REFRESH_JITTER,
  DEFAULT_REFRESH_SHARE,
  HOUR,
  MAX_TIMER_MS,
  PLANNED_SHARE_OF_RATE,
  SECOND,
  chooseSlot,
  keepAliveAt,
  refreshWindow,
  warningsDue,
} from './schedule.js';
import type { NextAttemptReason } from './state-file.js';
import type { Random } from './schedule.js';

export interface PlannerOptions {
  log: DaemonLog;
  random: Random;
  /** milliseconds between two refresh starts (1 / --max-rate) */
  spacingMs: number;
  refreshShare?: number;
  refreshJitter?: number;
  /** refresh an idle grant this long before its refresh token expires */
  keepAliveBeforeMs: number;
  /** warn this long before a refresh token's known expiry */
  warnBeforeMs: readonly number[];
  /** a refresh or retry is due now */
  onDue(e: Entry): void;
  /** a refresh-token expiry warning is due (`threshold`, and others crossed at the same time) */
  onWarning(e: Entry, threshold: number, also: number[], now: number): void;
  /** a client-secret expiry warning is due (the same thresholds) */
  onSecretWarning(e: Entry, threshold: number, also: number[], now: number): void;
  /** the access token of a credential whose refreshes keep failing has just run out */
  onExpired(e: Entry): void;
}

/** States in which nothing is planned until the credential changes. */
const STOPPED = new Set(['reauthorization_required', 'client_rejected', 'unreadable', 'not_refreshable']);

export class Planner {
  private readonly o: PlannerOptions;
  /** planned refreshes per second (epoch seconds → count), to spread them */
  private readonly load = new Map<number, number>();
  private stopping = false;

  constructor(o: PlannerOptions) {
    this.o = o;
  }

  /** No more timers from now on. */
  stop(entries: Iterable<Entry>): void {
    this.stopping = true;
    for (const e of entries) {
      if (e.timer) clearTimeout(e.timer);
      e.timer = undefined;
    }
  }

  private releaseBucket(e: Entry): void {
    if (e.bucket === undefined) return;
    const n = (this.load.get(e.bucket) ?? 1) - 1;
    if (n <= 0) this.load.delete(e.bucket);
    else this.load.set(e.bucket, n);
    e.bucket = undefined;
  }

  /** The refresh has started: its second no longer counts as planned. */
  started(e: Entry): void {
    this.releaseBucket(e);
  }

  unplan(e: Entry): void {
    if (e.timer) clearTimeout(e.timer);
    e.timer = undefined;
    e.wakeAt = undefined;
    e.dueAt = undefined;
    e.dueReason = undefined;
    this.releaseBucket(e);
  }

  private slot(lo: number, hi: number, earliest: number, latest: number): number {
    return chooseSlot({
      lo,
      hi,
      earliest,
      latest,
      load: (s) => this.load.get(s) ?? 0,
      capacity: Math.max(1, Math.floor((PLANNED_SHARE_OF_RATE * SECOND) / this.o.spacingMs)),
      random: this.o.random,
    });
  }

  /** Choose when to try next: a retry after backoff, the access token's refresh window, or a keep-alive; then arm. */
  schedule(e: Entry): void {
    const kept = e.restored;
    e.restored = undefined;
    this.unplan(e);
    if (this.stopping || e.removed || STOPPED.has(e.status)) {
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
        const w = refreshWindow({
          now,
          obtainedAt: e.obtainedAtMs,
          expiresAt: e.expiresAt,
          share: this.o.refreshShare ?? DEFAULT_REFRESH_SHARE,
          jitter: this.o.refreshJitter ?? DEFAULT_REFRESH_JITTER,
        });
        due = w.overdue ? this.slot(now, now + SECOND, now, now + HOUR) : this.slot(w.lo, w.hi, w.earliest, w.hi);
      }
      const ka =
        e.rtExpiresAt !== undefined && e.keepAliveFor !== e.rtExpiresAt
          ? keepAliveAt({ refreshTokenExpiresAt: e.rtExpiresAt, lastRefreshAt: e.obtainedAtMs, beforeMs: this.o.keepAliveBeforeMs })
          : undefined;
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
      const reason = e.dueReason ?? 'refresh';
      const dueIn = e.dueAt - now;
      this.o.log('debug', 'scheduled', (t) => t.t('daemon.scheduled', { reason, duration: logDuration(t, dueIn) }), { name: e.name, next_attempt_at: iso(e.dueAt), reason: e.dueReason });
    }
    this.arm(e);
  }

  /** Give warnings that are due and set the one timer for the next thing to do. */
  arm(e: Entry): void {
    if (e.timer) clearTimeout(e.timer);
    e.timer = undefined;
    e.wakeAt = undefined;
    if (this.stopping || e.removed) return;
    const now = Date.now();
    let nextWarn: number | undefined;
    if (e.health === 'ok' && e.rtExpiresAt !== undefined && e.hasRefreshToken) {
      const rt = iso(e.rtExpiresAt);
      const w = warningsDue({ refreshTokenExpiresAt: e.rtExpiresAt, now, thresholdsMs: this.o.warnBeforeMs, done: (t) => e.notified.includes(`warn:${t}:${rt}`) });
      if (w.crossed !== undefined) this.o.onWarning(e, w.crossed, w.alsoCrossed, now);
      nextWarn = w.nextAt;
    }
    if (e.health === 'ok' && e.secretExpiresAt !== undefined) {
      const at = iso(e.secretExpiresAt);
      const w = warningsDue({ refreshTokenExpiresAt: e.secretExpiresAt, now, thresholdsMs: this.o.warnBeforeMs, done: (t) => e.notified.includes(`warn-secret:${t}:${at}`) });
      if (w.crossed !== undefined) this.o.onSecretWarning(e, w.crossed, w.alsoCrossed, now);
      if (w.nextAt !== undefined && (nextWarn === undefined || w.nextAt < nextWarn)) nextWarn = w.nextAt;
    }
    // a credential whose refreshes fail turns `failing` the moment its access token runs out
    const expiry = e.status === 'retrying' && e.expiresAt !== undefined ? e.expiresAt : undefined;
    const wake = [e.dueAt, nextWarn, expiry].filter((x): x is number => x !== undefined).reduce<number | undefined>((m, x) => (m === undefined || x < m ? x : m), undefined);
    if (wake === undefined || e.queued) return;
    e.wakeAt = wake;
    e.timer = setTimeout(() => this.wake(e), Math.min(MAX_TIMER_MS, Math.max(0, wake - now)));
  }

  /** The timer fired (or a tick found it overslept). */
  wake(e: Entry): void {
    if (e.timer) clearTimeout(e.timer);
    e.timer = undefined;
    e.wakeAt = undefined;
    if (this.stopping || e.removed) return;
    if (e.running) {
      // a check or refresh of it is under way; it plans again when done
      e.timer = setTimeout(() => this.wake(e), 50);
      return;
    }
    const now = Date.now();
    if (e.status === 'retrying' && e.expiresAt !== undefined && e.expiresAt <= now) this.o.onExpired(e);
    if (e.dueAt !== undefined && e.dueAt <= now + 5) this.o.onDue(e);
    else this.arm(e);
  }
}
