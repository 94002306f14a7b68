import { hostname } from 'node:os';
import { USER_AGENT } from '../../version.js';
import { withDaemonLock } from './instance.js';
import { Daemon } from './runtime.js';
import type { DaemonOptions, RunningDaemon } from './runtime.js';

export interface DaemonHandle extends RunningDaemon {
  /** resolves with the exit code once the daemon has stopped and released its lock */
  readonly done: Promise<number>;
}

/**
 * Take the store's daemon lock (refusing when another daemon holds it) and
 * start the refresh loop. Resolves once the lock is held; `ready` tells when
 * every credential has been read and planned.
 */
export function startDaemon(o: DaemonOptions): Promise<DaemonHandle> {
  return new Promise((resolve, reject) => {
    let started = false;
    const info = { pid: process.pid, started_at: new Date().toISOString(), scope: o.names && o.names.length > 0 ? o.names : ('all' as const), tool: `${USER_AGENT} on ${hostname()}` };
    const done = withDaemonLock(o.home, info, (lock) => {
      const d = new Daemon(o, lock);
      for (const ob of o.observers ?? []) ob.attach?.(d);
      started = true;
      resolve({
        ready: d.ready,
        reload: () => d.reload(),
        stop: (code?: number) => d.stop(code),
        credentials: () => d.credentials(),
        done,
      });
      return d.run();
    });
    done.catch((e) => {
      if (!started) reject(e);
    });
  });
}
