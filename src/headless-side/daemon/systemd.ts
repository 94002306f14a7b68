/**
 * systemd's notify protocol (sd_notify(3)) for `Type=notify` units:
 * READY=1 once every credential has been read and planned, STATUS= lines as
 * states change, STOPPING=1, and WATCHDOG=1 pings when the unit sets
 * WatchdogSec= (WATCHDOG_USEC in our environment).
 *
 * The protocol is a datagram on the AF_UNIX socket named by NOTIFY_SOCKET.
 * Node has no Unix datagram sockets, and the packages that add them are
 * native addons (unix-dgram, sd-notify), which this project does not take.
 * So the messages are sent by systemd's own `systemd-notify` tool, with
 * `--pid` set to this process. Its trade-offs: the unit needs
 * `NotifyAccess=all` (the sender is a child process; systemd-notify waits
 * until systemd has processed the message, so it is attributed to the
 * unit reliably), and each message costs a short process (once per status
 * change, at most once a second, and one per half watchdog interval).
 */
import { execFile } from 'node:child_process';
import type { DaemonLog } from './log.js';
import type { Entry } from './record.js';
import type { DaemonObserver, DaemonView } from './runtime.js';
import { formatDuration } from './schedule.js';

const STATUS_EVERY_MS = 1000;
const SEND_TIMEOUT_MS = 10_000;
const MAX_STATUS_CHARS = 200;

export interface NotifyOptions {
  env: NodeJS.ProcessEnv;
  log: DaemonLog;
  /** the systemd-notify program (default: found on PATH) */
  program?: string;
}

/** The STATUS= line: how many credentials in which state, and the next refresh. */
export function statusLine(entries: Iterable<Readonly<Entry>>, now: number): string {
  const counts = new Map<string, number>();
  let total = 0;
  let next: number | undefined;
  for (const e of entries) {
    if (!e.loaded) continue;
    total += 1;
    counts.set(e.status, (counts.get(e.status) ?? 0) + 1);
    if (e.dueAt !== undefined && (next === undefined || e.dueAt < next)) next = e.dueAt;
  }
  const parts = [...counts].sort((a, b) => b[1] - a[1]).map(([s, n]) => `${n} ${s.replaceAll('_', ' ')}`);
  const line = `${total} credential(s)${parts.length ? `: ${parts.join(', ')}` : ''}${next === undefined ? '' : `; next refresh in ${formatDuration(Math.max(0, next - now))}`}`;
  return line.slice(0, MAX_STATUS_CHARS);
}

export class SystemdNotifier implements DaemonObserver {
  private readonly o: NotifyOptions;
  private view?: DaemonView;
  private watchdog?: NodeJS.Timeout;
  private statusTimer?: NodeJS.Timeout;
  private lastStatus = '';
  private lastStatusAt = 0;
  private sending: Promise<void> = Promise.resolve();
  private isReady = false;
  private warned = false;

  private constructor(o: NotifyOptions) {
    this.o = o;
  }

  /** A notifier when the service manager asked for notifications (NOTIFY_SOCKET is set). */
  static fromEnv(o: NotifyOptions): SystemdNotifier | undefined {
    return o.env.NOTIFY_SOCKET ? new SystemdNotifier(o) : undefined;
  }

  /** Half of WatchdogSec=, when the watchdog is meant for this process. */
  static watchdogIntervalMs(env: NodeJS.ProcessEnv, pid = process.pid): number | undefined {
    const usec = Number(env.WATCHDOG_USEC);
    if (!Number.isFinite(usec) || usec <= 0) return undefined;
    if (env.WATCHDOG_PID !== undefined && Number(env.WATCHDOG_PID) !== pid) return undefined;
    return Math.max(50, usec / 1000 / 2);
  }

  attach(view: DaemonView): void {
    this.view = view;
  }

  private status(): string {
    return this.view ? statusLine(this.view.entries(), Date.now()) : 'starting';
  }

  ready(): void {
    this.isReady = true;
    this.lastStatus = this.status();
    this.lastStatusAt = Date.now();
    this.send(['READY=1', `STATUS=${this.lastStatus}`]);
    const every = SystemdNotifier.watchdogIntervalMs(this.o.env);
    if (every !== undefined) {
      this.watchdog = setInterval(() => this.send(['WATCHDOG=1']), every);
      this.watchdog.unref();
    }
  }

  changed(): void {
    if (!this.isReady || this.statusTimer) return;
    const wait = Math.max(0, this.lastStatusAt + STATUS_EVERY_MS - Date.now());
    this.statusTimer = setTimeout(() => {
      this.statusTimer = undefined;
      const s = this.status();
      if (s === this.lastStatus) return;
      this.lastStatus = s;
      this.lastStatusAt = Date.now();
      this.send([`STATUS=${s}`]);
    }, wait);
    this.statusTimer.unref();
  }

  stopping(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    if (this.statusTimer) clearTimeout(this.statusTimer);
    this.statusTimer = undefined;
    this.send(['STOPPING=1', 'STATUS=stopping']);
  }

  /** Messages still being sent (stop waits for them). */
  pending(): Promise<void> {
    return this.sending;
  }

  private send(assignments: string[]): void {
    const args = [`--pid=${process.pid}`, ...assignments];
    this.sending = this.sending.then(
      () =>
        new Promise<void>((resolve) => {
          execFile(this.o.program ?? 'systemd-notify', args, { env: this.o.env, timeout: SEND_TIMEOUT_MS }, (err) => {
            if (err && !this.warned) {
              this.warned = true;
              const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
              const error = err.message.split('\n')[0] ?? '';
              this.o.log('warning', 'notify_failed', (t) => (missing ? t.t('daemon.notify_missing') : t.t('daemon.notify_failed', { error })));
            }
            resolve();
          });
        }),
    );
  }
}
