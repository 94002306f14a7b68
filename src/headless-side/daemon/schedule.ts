/**
 * The daemon's timing rules as pure functions of their inputs (now, the
 * random source and the load of each second are passed in): when to refresh,
 * how long to back off, when to keep a grant alive and when to warn.
 */
import { CODES, HandoffError } from '../../errors.js';
import { message } from '../../i18n/index.js';
import { durationSeconds } from '../../duration.js';

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Refresh at this share of an access token's lifetime… */
export const DEFAULT_REFRESH_SHARE = 0.8;
/** …plus or minus this share, at random (so 75–85 %). */
export const DEFAULT_REFRESH_JITTER = 0.05;
/** When a second is full, a refresh may move as early as this share of the lifetime. */
export const EARLIEST_REFRESH_SHARE = 0.5;
/** Warn this long before a refresh token's known expiry. */
export const DEFAULT_WARN_BEFORE_MS: readonly number[] = [7 * DAY, 1 * DAY];
export const DEFAULT_MAX_RATE = 10;
/** Refreshes are planned at most this share of --max-rate per second, leaving room for retries and catch-up. */
export const PLANNED_SHARE_OF_RATE = 0.5;
export const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_BACKOFF_BASE_MS = 2 * SECOND;
export const DEFAULT_BACKOFF_MAX_MS = 5 * MINUTE;
/** Retry-After values beyond this are clamped (a broken header must not park a credential for weeks). */
export const MAX_RETRY_AFTER_MS = 6 * HOUR;
/** Never plan two refreshes of one credential closer than this (a server saying expires_in: 0). */
export const MIN_REFRESH_INTERVAL_MS = 1 * SECOND;
/** setTimeout's limit is 2^31-1 ms; longer waits wake up once a day and plan again. */
export const MAX_TIMER_MS = DAY;

export type Random = () => number;


/** "7d", "12h", "30m", "45s", "250ms", "1.5s"; a bare number is seconds (src/duration.ts). Returns milliseconds. */
export function parseDuration(text: string | number, what: string): number {
  const seconds = durationSeconds(text);
  if (seconds !== undefined) return Math.round(seconds * SECOND);
  throw new HandoffError(message('daemon.error.bad_duration', { option: what, value: String(text).slice(0, 40) }), { code: CODES.USAGE });
}

export { formatDuration } from '../common.js';

export interface RefreshWindowInput {
  now: number;
  /** when the current access token was obtained (epoch ms) */
  obtainedAt: number;
  /** when it expires (epoch ms) */
  expiresAt: number;
  share?: number;
  jitter?: number;
}

/**
 * Where in an access token's life to refresh it: [lo, hi] is the jittered
 * window (75–85 % by default), `earliest` how far forward a refresh may move
 * when the seconds of the window are already full. A token found past its
 * window is due now: `overdue`.
 */
export function refreshWindow(i: RefreshWindowInput): { lo: number; hi: number; earliest: number; overdue: boolean } {
  const share = i.share ?? DEFAULT_REFRESH_SHARE;
  const jitter = i.jitter ?? DEFAULT_REFRESH_JITTER;
  const life = Math.max(0, i.expiresAt - i.obtainedAt);
  const floor = i.obtainedAt + MIN_REFRESH_INTERVAL_MS;
  const hi = Math.max(floor, Math.round(i.obtainedAt + life * Math.min(1, share + jitter)));
  if (hi <= i.now) return { lo: i.now, hi: i.now, earliest: i.now, overdue: true };
  const lo = Math.max(i.now, floor, Math.round(i.obtainedAt + life * Math.max(0, share - jitter)));
  const earliest = Math.max(i.now, floor, Math.min(lo, Math.round(i.obtainedAt + life * EARLIEST_REFRESH_SHARE)));
  return { lo, hi, earliest, overdue: false };
}

export interface SlotInput {
  /** pick uniformly in [lo, hi]… */
  lo: number;
  hi: number;
  /** …and if that second is full, look back as far as `earliest` and forward as far as `latest` */
  earliest: number;
  latest: number;
  /** refreshes already planned in the second starting at sec*1000 */
  load: (sec: number) => number;
  /** refreshes allowed per second */
  capacity: number;
  random: Random;
}

/**
 * A time in [lo, hi] whose second has room (fewer than `capacity` planned
 * refreshes), searching outwards from the less loaded of two random points
 * ("power of two choices"); when every second in
 * [earliest, latest] is full, the least loaded one. This is what keeps many
 * credentials that were imported together from refreshing in one burst.
 */
export function chooseSlot(s: SlotInput): number {
  // two random choices, the less loaded wins: spreads far more evenly than one
  const c1 = s.lo + s.random() * Math.max(0, s.hi - s.lo);
  const c2 = s.lo + s.random() * Math.max(0, s.hi - s.lo);
  const c = s.load(Math.floor(c2 / SECOND)) < s.load(Math.floor(c1 / SECOND)) ? c2 : c1;
  const sec = Math.floor(c / SECOND);
  if (s.load(sec) < s.capacity) return c;
  const first = Math.floor(s.earliest / SECOND);
  const last = Math.floor(s.latest / SECOND);
  let best = sec;
  let bestLoad = s.load(sec);
  const inSecond = (x: number): number => Math.min(s.latest, Math.max(s.earliest, x * SECOND + s.random() * SECOND));
  for (let d = 1; sec - d >= first || sec + d <= last; d++) {
    // forward first: a little later costs nothing; earlier costs an extra refresh over time
    for (const x of [sec + d, sec - d]) {
      if (x < first || x > last) continue;
      const l = s.load(x);
      if (l < s.capacity) return inSecond(x);
      if (l < bestLoad) {
        best = x;
        bestLoad = l;
      }
    }
  }
  return best === sec ? c : inSecond(best);
}

export interface BackoffInput {
  /** consecutive failures so far, counting this one (1 = first failure) */
  attempt: number;
  baseMs: number;
  maxMs: number;
  /** from the server's Retry-After (HandoffError.oauth.retryAfter, in seconds) */
  retryAfterSeconds?: number;
  /** how long the current access token stays valid; retries come faster as it runs out */
  validForMs?: number;
  random: Random;
}

/**
 * Exponential backoff with full jitter (a uniform delay in
 * [0, min(max, base·2^(attempt-1))]), never sooner than Retry-After asks.
 * While the old token is still valid the cap shrinks to a third of what is
 * left, so a short outage near expiry is retried in time.
 */
export function backoffDelay(b: BackoffInput): number {
  let cap = Math.min(b.maxMs, b.baseMs * 2 ** Math.min(Math.max(0, b.attempt - 1), 30));
  if (b.validForMs !== undefined && b.validForMs > 0) cap = Math.min(cap, Math.max(b.baseMs, b.validForMs / 3));
  const delay = Math.max(Math.min(50, b.baseMs), b.random() * cap);
  if (b.retryAfterSeconds === undefined) return delay;
  const asked = Math.min(MAX_RETRY_AFTER_MS, b.retryAfterSeconds * SECOND);
  // a little spread after Retry-After too: everyone who was told "2 s" must not return together
  return Math.max(delay, asked + b.random() * Math.min(b.baseMs, SECOND));
}

/** A retry cut short to come before the access token's expiry comes this long before it at most… */
export const EXPIRY_GUARD_MS = 5 * SECOND;
/** …and only while at least this much validity is left (closer than that, the wait is left alone). */
export const MIN_CUT_VALIDITY_MS = 1 * SECOND;

/**
 * A wait that would end after the access token we still hold expires is cut
 * short, so the retry comes while that token is valid: at the latest a
 * quarter of what is left (at most EXPIRY_GUARD_MS) before the expiry.
 * `ignoredMs` is what was cut (0 when nothing was). A Retry-After of a day
 * with 20 s of validity left gives a retry after 15 s.
 */
export function retryBeforeExpiry(i: { delayMs: number; validForMs?: number; baseMs: number }): { delayMs: number; ignoredMs: number } {
  const valid = i.validForMs;
  if (valid === undefined || valid < Math.max(MIN_CUT_VALIDITY_MS, Math.min(i.baseMs, EXPIRY_GUARD_MS))) return { delayMs: i.delayMs, ignoredMs: 0 };
  const latest = valid - Math.min(EXPIRY_GUARD_MS, valid / 4);
  if (i.delayMs <= latest) return { delayMs: i.delayMs, ignoredMs: 0 };
  return { delayMs: latest, ignoredMs: i.delayMs - latest };
}

/**
 * When to refresh an otherwise idle grant so its refresh token does not run
 * out: `before` ahead of its expiry, but no sooner than halfway between the
 * last refresh and that expiry (so a short-lived refresh token cannot cause a
 * refresh loop). Undefined when there is nothing to keep alive.
 */
export function keepAliveAt(i: { refreshTokenExpiresAt?: number; lastRefreshAt: number; beforeMs: number }): number | undefined {
  if (i.refreshTokenExpiresAt === undefined) return undefined;
  const e = i.refreshTokenExpiresAt;
  return Math.max(e - i.beforeMs, i.lastRefreshAt + (e - i.lastRefreshAt) / 2, i.lastRefreshAt + MIN_REFRESH_INTERVAL_MS);
}

/**
 * Refresh-token expiry warnings. `crossed` is the smallest threshold already
 * reached (one warning for a credential found late, not one per threshold),
 * `nextAt` when the next one will be reached.
 */
export function warningsDue(i: { refreshTokenExpiresAt?: number; now: number; thresholdsMs: readonly number[]; done: (thresholdMs: number) => boolean }): {
  crossed?: number;
  alsoCrossed: number[];
  nextAt?: number;
} {
  if (i.refreshTokenExpiresAt === undefined) return { alsoCrossed: [] };
  const left = i.refreshTokenExpiresAt - i.now;
  const pending = [...i.thresholdsMs].filter((t) => !i.done(t)).sort((a, b) => a - b);
  const crossedAll = pending.filter((t) => left <= t);
  const future = pending.filter((t) => left > t);
  const r: { crossed?: number; alsoCrossed: number[]; nextAt?: number } = { alsoCrossed: [] };
  if (crossedAll.length > 0) {
    r.crossed = crossedAll[0] as number;
    r.alsoCrossed = crossedAll.slice(1);
  }
  if (future.length > 0) r.nextAt = i.refreshTokenExpiresAt - Math.max(...future);
  return r;
}
