/** The sandbox's request log: what was answered, never a token, code or secret. */
import type { LogEntry } from './types.js';

/** The request log keeps at most this many entries (oldest dropped). */
export const MAX_LOG_ENTRIES = 10_000;

export class RequestLog {
  private readonly entries: LogEntry[] = [];

  record(e: LogEntry): void {
    this.entries.push(e);
    if (this.entries.length > MAX_LOG_ENTRIES) this.entries.splice(0, this.entries.length - MAX_LOG_ENTRIES);
  }

  /** copies: a caller cannot change what was logged */
  list(): LogEntry[] {
    return this.entries.map((e) => ({ ...e }));
  }

  reset(): void {
    this.entries.length = 0;
  }
}
