/**
 * The queue of due refreshes: at most `maxRate` started per second and
 * `concurrency` in flight, earliest due first. When refreshes start well
 * after they were due, it says so (once a minute) with what to raise.
 */
import { logDuration } from './log.js';
import type { DaemonLog } from './log.js';
import type { Entry } from './record.js';
import { DEFAULT_CONCURRENCY, DEFAULT_MAX_RATE, SECOND } from './schedule.js';

const BEHIND_AFTER_MS = 10 * SECOND;
const BEHIND_LOG_EVERY_MS = 60 * SECOND;

export interface QueueOptions {
  log: DaemonLog;
  /** refreshes started per second at most (default 10) */
  maxRate?: number;
  /** refreshes in flight at once (default 4) */
  concurrency?: number;
  /** start the refresh of `e`; the promise settles when it is over */
  start(e: Entry): Promise<void>;
}

export class RefreshQueue {
  /** milliseconds between two starts */
  readonly spacingMs: number;
  private readonly concurrency: number;
  private readonly o: QueueOptions;
  private readonly waiting: Entry[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private lastStartAt = 0;
  private lastBehindLog = 0;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(o: QueueOptions) {
    this.o = o;
    this.spacingMs = SECOND / Math.max(0.001, o.maxRate ?? DEFAULT_MAX_RATE);
    this.concurrency = Math.max(1, Math.floor(o.concurrency ?? DEFAULT_CONCURRENCY));
  }

  /** refreshes due and not started yet */
  get length(): number {
    return this.waiting.length;
  }

  /** refreshes in flight right now */
  running(): Promise<void>[] {
    return [...this.inFlight];
  }

  add(e: Entry): void {
    if (this.stopped || e.queued || e.running || e.removed) return;
    e.queued = true;
    this.waiting.push(e);
    this.pump();
  }

  remove(e: Entry): void {
    const i = this.waiting.indexOf(e);
    if (i >= 0) this.waiting.splice(i, 1);
    e.queued = false;
  }

  /** Start nothing more; what is in flight goes on. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const e of this.waiting) e.queued = false;
    this.waiting.length = 0;
  }

  /** Start what may start now; come back when the rate allows the next one. */
  pump(): void {
    if (this.timer || this.stopped) return;
    while (this.waiting.length > 0 && this.inFlight.size < this.concurrency) {
      const now = Date.now();
      const wait = this.lastStartAt + this.spacingMs - now;
      if (wait > 0) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.pump();
        }, wait);
        return;
      }
      let k = 0;
      for (let j = 1; j < this.waiting.length; j++) {
        if (((this.waiting[j] as Entry).dueAt ?? 0) < ((this.waiting[k] as Entry).dueAt ?? 0)) k = j;
      }
      const e = this.waiting.splice(k, 1)[0] as Entry;
      e.queued = false;
      if (e.removed) continue;
      this.lastStartAt = now;
      this.begin(e, now);
    }
  }

  private begin(e: Entry, now: number): void {
    const late = now - (e.dueAt ?? now);
    if (late > BEHIND_AFTER_MS && now - this.lastBehindLog > BEHIND_LOG_EVERY_MS) {
      this.lastBehindLog = now;
      const count = this.waiting.length;
      this.o.log('warning', 'behind', (t) => t.t('daemon.behind', { duration: logDuration(t, late), count }), {
        waiting: this.waiting.length,
        late_ms: late,
      });
    }
    const p: Promise<void> = this.o.start(e).finally(() => {
      this.inFlight.delete(p);
      this.pump();
    });
    this.inFlight.add(p);
  }
}
