import test from 'ava';
import {
  backoffDelay,
  chooseSlot,
  DAY,
  keepAliveAt,
  parseDuration,
  refreshWindow,
  SECOND,
  warningsDue,
} from '../../../src/headless-side/daemon/schedule.js';

/** A seeded generator, so a failure can be replayed. */
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

test('durations read as people write them; a bare number is seconds; nonsense is a usage error', (t) => {
  t.is(parseDuration('7d', 'x'), 7 * DAY);
  t.is(parseDuration('12h', 'x'), 12 * 3600_000);
  t.is(parseDuration('30m', 'x'), 1_800_000);
  t.is(parseDuration('1.5s', 'x'), 1500);
  t.is(parseDuration('250ms', 'x'), 250);
  t.is(parseDuration('45', 'x'), 45_000);
  t.is(parseDuration(2, 'x'), 2000);
  for (const bad of ['', 'soon', '-1s', '1y', '1 d 2 h']) {
    t.throws(() => parseDuration(bad, '--warn-before'), { message: /invalid --warn-before/ });
  }
});

test('a refresh is planned at 75-85 % of the access token lifetime', (t) => {
  const w = refreshWindow({ now: 0, obtainedAt: 0, expiresAt: 3600_000 });
  t.false(w.overdue);
  t.is(w.lo, 0.75 * 3600_000);
  t.is(w.hi, 0.85 * 3600_000);
  t.is(w.earliest, 0.5 * 3600_000);
  const late = refreshWindow({ now: 3500_000, obtainedAt: 0, expiresAt: 3600_000 });
  t.true(late.overdue, 'a token found past its window is due now');
});

test('1,000 credentials imported in the same second are spread so that no second holds more than the rate allows', (t) => {
  const random = lcg(7);
  const load = new Map<number, number>();
  const capacity = 10;
  const life = 3600_000;
  for (let i = 0; i < 1000; i++) {
    const w = refreshWindow({ now: 0, obtainedAt: 0, expiresAt: life });
    const at = chooseSlot({ lo: w.lo, hi: w.hi, earliest: w.earliest, latest: w.hi, load: (s) => load.get(s) ?? 0, capacity, random });
    t.true(at >= w.earliest && at <= w.hi);
    const s = Math.floor(at / SECOND);
    load.set(s, (load.get(s) ?? 0) + 1);
  }
  t.true(Math.max(...load.values()) <= capacity);
});

test('when the window is too small for all of them, refreshes move earlier rather than pile up', (t) => {
  const random = lcg(11);
  const load = new Map<number, number>();
  const life = 60_000; // window 45-51 s: 6 seconds × 10 = 60 slots for 200 credentials
  for (let i = 0; i < 200; i++) {
    const w = refreshWindow({ now: 0, obtainedAt: 0, expiresAt: life });
    const at = chooseSlot({ lo: w.lo, hi: w.hi, earliest: w.earliest, latest: w.hi, load: (s) => load.get(s) ?? 0, capacity: 10, random });
    t.true(at >= 30_000 && at <= 51_000, `${at}`);
    const s = Math.floor(at / SECOND);
    load.set(s, (load.get(s) ?? 0) + 1);
  }
  t.true(Math.max(...load.values()) <= 10);
});

test('backoff grows exponentially with full jitter, is capped, and never comes sooner than Retry-After', (t) => {
  const random = lcg(3);
  for (let attempt = 1; attempt <= 20; attempt++) {
    for (let i = 0; i < 50; i++) {
      const d = backoffDelay({ attempt, baseMs: 2000, maxMs: 300_000, random });
      t.true(d >= 50 && d <= Math.min(300_000, 2000 * 2 ** (attempt - 1)), `attempt ${attempt}: ${d}`);
    }
  }
  const d = backoffDelay({ attempt: 1, baseMs: 100, maxMs: 1000, retryAfterSeconds: 30, random });
  t.true(d >= 30_000 && d <= 30_100);
  t.true(backoffDelay({ attempt: 1, baseMs: 100, maxMs: 1000, retryAfterSeconds: 10 ** 9, random }) <= 6 * 3600_000 + 100, 'absurd Retry-After values are clamped');
  // near expiry the retries come faster: a third of what is left
  t.true(backoffDelay({ attempt: 10, baseMs: 1000, maxMs: 300_000, validForMs: 30_000, random: () => 0.999 }) <= 10_000);
});

test('keep-alive comes ahead of the refresh token expiry, but never loops on a short-lived one', (t) => {
  const e = 30 * DAY;
  t.is(keepAliveAt({ refreshTokenExpiresAt: e, lastRefreshAt: 0, beforeMs: 14 * DAY }), 16 * DAY);
  t.is(keepAliveAt({ refreshTokenExpiresAt: 20_000, lastRefreshAt: 0, beforeMs: 14 * DAY }), 10_000, 'halfway at the earliest');
  t.is(keepAliveAt({ lastRefreshAt: 0, beforeMs: 1 }), undefined);
});

test('a credential found late gets one warning (the most urgent), not one per threshold', (t) => {
  const done = new Set<number>();
  const thresholds = [7 * DAY, 1 * DAY];
  let w = warningsDue({ refreshTokenExpiresAt: 10 * DAY, now: 0, thresholdsMs: thresholds, done: (x) => done.has(x) });
  t.is(w.crossed, undefined);
  t.is(w.nextAt, 3 * DAY);
  w = warningsDue({ refreshTokenExpiresAt: 10 * DAY, now: 9.5 * DAY, thresholdsMs: thresholds, done: (x) => done.has(x) });
  t.is(w.crossed, 1 * DAY);
  t.deepEqual(w.alsoCrossed, [7 * DAY]);
  done.add(DAY).add(7 * DAY);
  w = warningsDue({ refreshTokenExpiresAt: 10 * DAY, now: 9.6 * DAY, thresholdsMs: thresholds, done: (x) => done.has(x) });
  t.is(w.crossed, undefined);
  t.is(w.nextAt, undefined);
});
