/**
 * One daemon per store. The daemon holds `<home>/daemon.lock` (the same
 * directory lock the credentials use, which records its holder's pid) for as
 * long as it runs. A second daemon finding a live holder refuses at once; a
 * lock left by a daemon killed with SIGKILL is taken over at once (its holder
 * is gone), or after STALE_MS when even its owner record was never written,
 * so a restart by systemd is never blocked for long.
 */
import { unlink } from 'node:fs/promises';
import { CODES, HandoffError, isHandoffError } from '../../errors.js';
import { message } from '../../i18n/index.js';
import { STALE_MS, withFileLock, writeFileAtomic } from '../../settings-file/index.js';
import type { HeldLock } from '../../settings-file/index.js';
import { daemonHolder, daemonInfoFile, daemonLockTarget, readDaemonInfo } from './state-file.js';
import type { DaemonInfo } from './state-file.js';

function refusal(home: string, info: DaemonInfo | undefined, pid?: number, cause?: unknown): HandoffError {
  const m = info
    ? message('daemon.error.running_since', { pid: info.pid, started: info.started_at, home })
    : pid !== undefined
      ? message('daemon.error.running_pid', { pid, home })
      : message('daemon.error.running', { home });
  return new HandoffError(m, {
    code: CODES.DAEMON_RUNNING,
    cause,
  });
}

export function isRefusal(e: unknown): boolean {
  return isHandoffError(e, CODES.DAEMON_RUNNING);
}

/**
 * Hold the daemon lock of `home` while `fn` runs. `fn` gets the lock (whose
 * `held` turns false if it is ever lost) and must resolve when the daemon stops.
 */
export async function withDaemonLock<T>(home: string, info: DaemonInfo, fn: (lock: HeldLock) => Promise<T>): Promise<T> {
  // Quick answer for the common case: a live daemon holds the lock.
  const holder = await daemonHolder(home);
  if (holder.running && holder.pid !== process.pid) {
    const info = await readDaemonInfo(home);
    throw refusal(home, info?.pid === holder.pid || holder.pid === undefined ? info : undefined, holder.pid);
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
      // long enough for a lock without an owner record to go stale and be taken over
      { timeoutMs: STALE_MS + 2000 },
    );
  } catch (e) {
    if (isHandoffError(e, CODES.LOCK_TIMEOUT) && !isRefusal(e) && /the daemon lock/.test(e.message)) {
      const h = await daemonHolder(home);
      throw refusal(home, await readDaemonInfo(home), h.pid, e);
    }
    throw e;
  }
}
