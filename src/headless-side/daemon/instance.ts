/**
 * One daemon per store. The daemon holds `<home>/daemon.lock` (the same
 * proper-lockfile directory lock the credentials use, touched every second)
 * for as long as it runs. A second daemon finding it fresh refuses at once;
 * a lock left by a daemon killed with SIGKILL goes stale within STALE_MS and
 * is taken over, so a restart by systemd is delayed by a few seconds at most.
 */
import { kill } from 'node:process';
import { unlink } from 'node:fs/promises';
import { CODES, HandoffError, isHandoffError } from '../../errors.js';
import { STALE_MS, withFileLock, writeFileAtomic } from '../../settings-file/index.js';
import type { HeldLock } from '../../settings-file/index.js';
import { daemonInfoFile, daemonLockTarget, daemonRunning, readDaemonInfo } from './state-file.js';
import type { DaemonInfo } from './state-file.js';

function alive(pid: number): boolean {
  try {
    kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function refusal(home: string, info: DaemonInfo | undefined, cause?: unknown): HandoffError {
  const who = info ? ` (pid ${info.pid}, started ${info.started_at})` : '';
  return new HandoffError(`another oauth-handoff daemon${who} is already running on the store ${home}; only one daemon may run per store`, {
    code: CODES.LOCK_TIMEOUT,
    cause,
  });
}

export function isRefusal(e: unknown): boolean {
  return isHandoffError(e, CODES.LOCK_TIMEOUT) && /already running on the store/.test(e.message);
}

/**
 * Hold the daemon lock of `home` while `fn` runs. `fn` gets the lock (whose
 * `held` turns false if it is ever lost) and must resolve when the daemon stops.
 */
export async function withDaemonLock<T>(home: string, info: DaemonInfo, fn: (lock: HeldLock) => Promise<T>): Promise<T> {
  // Quick answer for the common case: a live daemon touched its lock just now.
  if (await daemonRunning(home)) {
    const other = await readDaemonInfo(home);
    if (other && other.pid !== process.pid && alive(other.pid)) throw refusal(home, other);
  }
  try {
    return await withFileLock(
      daemonLockTarget(home),
      'the daemon lock',
      async (lock) => {
        await writeFileAtomic(daemonInfoFile(home), new TextEncoder().encode(JSON.stringify(info, null, 2) + '\n'), { mode: 0o600 });
        try {
          return await fn(lock);
        } finally {
          await unlink(daemonInfoFile(home)).catch(() => undefined);
        }
      },
      // long enough for a SIGKILLed daemon's lock to go stale and be taken over
      { timeoutMs: STALE_MS + 2000 },
    );
  } catch (e) {
    if (isHandoffError(e, CODES.LOCK_TIMEOUT) && !isRefusal(e) && /the daemon lock/.test(e.message)) {
      throw refusal(home, await readDaemonInfo(home), e);
    }
    throw e;
  }
}
