import { CODES, HandoffError } from '../errors.js';

/**
 * The writer side of the per-credential read/write lock.
 *
 * Readers take no lock at all: every write is an atomic rename, so a reader
 * always sees one complete version, and a reader of a fresh token never waits.
 * Writers (refresh, import, forget) serialise on a lock directory managed by
 * proper-lockfile (mkdir is atomic on every local file system; the holder
 * touches it every second, and a lock untouched for STALE_MS is taken over,
 * so a holder killed with SIGKILL blocks the others for at most ~2-3 s).
 * A stale reader joins the refresh in flight by waiting for this lock and
 * re-reading (double-checked), instead of refreshing again.
 */
export const STALE_MS = 2000;
export const UPDATE_MS = 1000;
export const DEFAULT_LOCK_TIMEOUT_MS = 30_000;
const POLL_MIN_MS = 20;
const POLL_MAX_MS = 80;

export interface LockOptions {
  /** give up after this long (LOCK_TIMEOUT, exit 6) */
  timeoutMs?: number;
  /** called once when the lock is busy and we start waiting */
  onWait?: () => void;
}

export interface HeldLock {
  /** false once the lock was lost (its directory taken over after a stall) */
  readonly held: boolean;
}

export async function withFileLock<T>(
  target: string,
  what: string,
  fn: (lock: HeldLock) => Promise<T>,
  opts: LockOptions = {},
): Promise<T> {
  const { lock } = await import('proper-lockfile');
  const timeoutMs = opts.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  const state = { held: true };
  let waited = false;
  let release: () => Promise<void>;
  for (;;) {
    try {
      release = await lock(target, {
        realpath: false,
        lockfilePath: `${target}.lock`,
        stale: STALE_MS,
        update: UPDATE_MS,
        retries: 0,
        // Lost after an event-loop stall: keep going (the refresh already
        // happened at the server; losing its result would be worse) but say so.
        onCompromised: () => {
          state.held = false;
        },
      });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ELOCKED') throw e;
      if (Date.now() >= deadline) {
        throw new HandoffError(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for the lock on ${what}`, {
          code: CODES.LOCK_TIMEOUT,
          cause: e,
        });
      }
      if (!waited) {
        waited = true;
        opts.onWait?.();
      }
      const pause = POLL_MIN_MS + Math.random() * (POLL_MAX_MS - POLL_MIN_MS);
      await new Promise((r) => setTimeout(r, Math.min(pause, Math.max(1, deadline - Date.now()))));
    }
  }
  try {
    return await fn(state);
  } finally {
    if (state.held) await release().catch(() => undefined);
  }
}
