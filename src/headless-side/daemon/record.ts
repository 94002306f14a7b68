/**
 * What the daemon remembers about one credential between wake-ups: times,
 * states and counters, never the decrypted settings. Also how that record
 * becomes the state file (`<home>/state/NAME.json`) and comes back from it.
 */
import type { Settings } from '../../settings-file/index.js';
import { DAEMON_STATE_FORMAT, DAEMON_STATE_VERSION } from './state-file.js';
import type { DaemonCredentialState, DaemonErrorRecord, DaemonStateRecord, NextAttemptReason } from './state-file.js';

/** Hook events remembered per credential (each is sent once). */
export const MAX_NOTIFIED = 20;

export interface Entry {
  name: string;
  loaded: boolean;
  removed: boolean;
  version?: string;
  status: DaemonCredentialState;
  /** the token's obtained_at: identifies the token version the plan is for */
  obtainedAt?: string;
  obtainedAtMs: number;
  expiresAt?: number;
  rtExpiresAt?: number;
  /** when the client secret of a registered client stops working (RFC 7591 client_secret_expires_at) */
  secretExpiresAt?: number;
  health: Settings['health']['state'];
  hasRefreshToken: boolean;
  dueAt?: number;
  dueReason?: NextAttemptReason;
  bucket?: number;
  retryAt?: number;
  /** the plan found in the state file of the previous run, used once */
  restored?: { at: number; reason: NextAttemptReason };
  timer?: NodeJS.Timeout;
  wakeAt?: number;
  queued: boolean;
  running: boolean;
  attempts: number;
  lastError?: DaemonErrorRecord;
  lastSuccessAt?: string;
  keepAliveFor?: number;
  rtWarning?: DaemonStateRecord['refresh_token_warning'];
  notified: string[];
  /** every change to this entry runs through this chain, one at a time */
  op: Promise<void>;
  writing: Promise<void>;
  lastWritten?: string;
}

/** What the daemon knows about one credential (for the library and tests). */
export interface DaemonCredentialSnapshot {
  name: string;
  state: DaemonCredentialState;
  next_attempt_at?: string;
  next_attempt_reason?: NextAttemptReason;
  attempts: number;
  refreshing: boolean;
  last_error?: DaemonErrorRecord;
}

export const iso = (ms: number): string => new Date(ms).toISOString();

export const parseTime = (s: string | undefined): number | undefined => {
  if (s === undefined) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
};

export function newEntry(name: string): Entry {
  return {
    name,
    loaded: false,
    removed: false,
    status: 'scheduled',
    obtainedAtMs: 0,
    health: 'ok',
    hasRefreshToken: false,
    queued: false,
    running: false,
    attempts: 0,
    notified: [],
    op: Promise.resolve(),
    writing: Promise.resolve(),
  };
}

/** Settings → the few facts the plan needs. */
export function takeFacts(e: Entry, s: Settings): void {
  e.loaded = true;
  e.obtainedAt = s.token.obtained_at;
  e.obtainedAtMs = parseTime(s.token.obtained_at) ?? Date.now();
  e.expiresAt = parseTime(s.token.expires_at);
  e.rtExpiresAt = parseTime(s.token.refresh_token_expires_at);
  e.secretExpiresAt = parseTime(s.client.secret_expires_at);
  e.health = s.health.state;
  e.hasRefreshToken = s.token.refresh_token !== undefined;
}

/** The failure count and the planned retry start over (a new token, a recovery). */
export function clearFailures(e: Entry): void {
  e.attempts = 0;
  e.retryAt = undefined;
  e.lastError = undefined;
}

export function remember(e: Entry, key: string): void {
  e.notified.push(key);
  if (e.notified.length > MAX_NOTIFIED) e.notified.splice(0, e.notified.length - MAX_NOTIFIED);
}

export function snapshotOf(e: Entry): DaemonCredentialSnapshot {
  const s: DaemonCredentialSnapshot = { name: e.name, state: e.status, attempts: e.attempts, refreshing: e.running };
  if (e.dueAt !== undefined) s.next_attempt_at = iso(e.dueAt);
  if (e.dueReason && e.dueAt !== undefined) s.next_attempt_reason = e.dueReason;
  if (e.lastError) s.last_error = e.lastError;
  return s;
}

/** The state-file record of `e` (or of `base`, a record read back, where it has a field). */
export function recordOf(e: Entry, base?: Partial<DaemonStateRecord>): Omit<DaemonStateRecord, 'updated_at' | 'pid'> {
  const r: Omit<DaemonStateRecord, 'updated_at' | 'pid'> = {
    format: DAEMON_STATE_FORMAT,
    version: DAEMON_STATE_VERSION,
    name: e.name,
    state: base?.state ?? e.status,
    attempts: base?.attempts ?? e.attempts,
    notified: base?.notified ?? e.notified,
  };
  const next = base ? base.next_attempt_at : e.dueAt === undefined ? undefined : iso(e.dueAt);
  if (next !== undefined) r.next_attempt_at = next;
  const reason = base ? base.next_attempt_reason : e.dueAt === undefined ? undefined : e.dueReason;
  if (reason !== undefined) r.next_attempt_reason = reason;
  const lastError = base ? base.last_error : e.lastError;
  if (lastError) r.last_error = lastError;
  const success = base ? base.last_success_at : e.lastSuccessAt;
  if (success) r.last_success_at = success;
  const warn = base ? base.refresh_token_warning : e.rtWarning;
  if (warn) r.refresh_token_warning = warn;
  const planned = base ? base.planned_for : e.obtainedAt;
  if (planned) r.planned_for = planned;
  const ka = base ? base.keep_alive_for : e.keepAliveFor === undefined ? undefined : iso(e.keepAliveFor);
  if (ka) r.keep_alive_for = ka;
  return r;
}

/**
 * A restart keeps what the last daemon knew: hooks sent, keep-alive done, and
 * the plan if it still fits the token now stored.
 */
export function restoreFrom(e: Entry, r: DaemonStateRecord, s: Settings, now: number): void {
  e.notified = r.notified.filter((k) => typeof k === 'string').slice(-MAX_NOTIFIED);
  if (r.last_success_at) e.lastSuccessAt = r.last_success_at;
  if (r.refresh_token_warning) e.rtWarning = r.refresh_token_warning;
  if (r.keep_alive_for && r.keep_alive_for === s.token.refresh_token_expires_at) e.keepAliveFor = parseTime(r.keep_alive_for);
  const next = parseTime(r.next_attempt_at);
  if (r.planned_for === s.token.obtained_at && s.health.state === 'ok' && next !== undefined && next > now) {
    if (r.next_attempt_reason === 'retry' && (r.state === 'retrying' || r.state === 'failing')) {
      e.attempts = r.attempts;
      e.retryAt = next;
      e.status = r.state;
      if (r.last_error) e.lastError = r.last_error;
    } else if (r.next_attempt_reason === 'refresh' || r.next_attempt_reason === 'keep-alive') {
      e.restored = { at: next, reason: r.next_attempt_reason };
    }
  }
  e.lastWritten = JSON.stringify(recordOf(e, r));
}
