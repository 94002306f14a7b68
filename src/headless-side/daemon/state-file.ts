/**
 * The daemon's own bookkeeping, kept beside the store and never sealed: it
 * changes on every attempt (next attempt, backoff, last error) and holds no
 * secret. One small JSON file per credential, `<home>/state/NAME.json`
 * (0600, in a 0700 directory, replaced atomically), plus `<home>/daemon.json`
 * saying which process runs the daemon. `status` reads both.
 */
import { mkdir, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { assertValidName, lockHolder, writeFileAtomic } from '../../settings-file/index.js';

export const DAEMON_STATE_FORMAT = 'oauth-handoff/daemon-state';
export const DAEMON_STATE_VERSION = 1;
const MAX_STATE_BYTES = 64 * 1024;

/** What the daemon is doing about one credential. */
export type DaemonCredentialState =
  /** a refresh is planned */
  | 'scheduled'
  /** a refresh failed for a passing reason; the next attempt is planned (backoff) */
  | 'retrying'
  /** refreshes keep failing and the access token has run out, or the provider refuses for another reason */
  | 'failing'
  /** the grant is dead; nothing more is tried until the credential is replaced */
  | 'reauthorization_required'
  /** the provider refuses the client (invalid_client, unauthorized_client, invalid_scope, unsupported_grant_type): fix the registration */
  | 'client_rejected'
  /** no refresh token and nothing to do */
  | 'not_refreshable'
  /** the settings file cannot be opened */
  | 'unreadable';

export type NextAttemptReason = 'refresh' | 'keep-alive' | 'retry';

export interface DaemonErrorRecord {
  /** a HandoffError code */
  code: string;
  message: string;
  at: string;
  /** HTTP status, when the server answered */
  status?: number;
  /** the OAuth error code, when the server sent one */
  error?: string;
}

/** `<home>/state/NAME.json`. Never a token or secret. */
export interface DaemonStateRecord {
  format: typeof DAEMON_STATE_FORMAT;
  version: typeof DAEMON_STATE_VERSION;
  name: string;
  state: DaemonCredentialState;
  next_attempt_at?: string;
  next_attempt_reason?: NextAttemptReason;
  /** consecutive failed attempts */
  attempts: number;
  last_error?: DaemonErrorRecord;
  /** the last refresh this daemon did */
  last_success_at?: string;
  /** the last refresh-token expiry warning given */
  refresh_token_warning?: { threshold_seconds: number; at: string; refresh_token_expires_at: string };
  /** the token (its obtained_at) the plan was made for: a restart keeps the plan when it still fits */
  planned_for?: string;
  /** the refresh-token expiry a keep-alive refresh was already made for */
  keep_alive_for?: string;
  /** hook events already sent (each is sent once) */
  notified: string[];
  updated_at: string;
  pid: number;
}

/** `<home>/daemon.json` */
export interface DaemonInfo {
  pid: number;
  started_at: string;
  /** the credentials it was told to keep fresh, or "all" */
  scope: string[] | 'all';
  tool: string;
}

/** What `status` shows under `daemon` for one credential. */
export interface DaemonStatusView {
  /** a daemon holds the store's daemon lock right now */
  running: boolean;
  pid?: number;
  state: DaemonCredentialState;
  next_attempt_at?: string;
  next_attempt_reason?: NextAttemptReason;
  attempts: number;
  last_error?: DaemonErrorRecord;
  last_success_at?: string;
  refresh_token_warning?: DaemonStateRecord['refresh_token_warning'];
  updated_at: string;
}

export const stateDir = (home: string): string => join(home, 'state');
export const stateFile = (home: string, name: string): string => join(stateDir(home), `${assertValidName(name)}.json`);
export const daemonInfoFile = (home: string): string => join(home, 'daemon.json');
/** proper-lockfile's lock directory for `<home>/daemon` */
export const daemonLockTarget = (home: string): string => join(home, 'daemon');
export const daemonLockDir = (home: string): string => `${daemonLockTarget(home)}.lock`;

export async function ensureStateDir(home: string): Promise<void> {
  await mkdir(stateDir(home), { recursive: true, mode: 0o700 });
}

async function readJson(path: string): Promise<unknown> {
  try {
    const st = await stat(path);
    if (st.size > MAX_STATE_BYTES) return undefined;
    return JSON.parse(await readFile(path, 'utf8'));
  } catch {
    // missing, half-readable or not JSON: the daemon rewrites it; status shows nothing
    return undefined;
  }
}

function isRecord(x: unknown, name: string): x is DaemonStateRecord {
  const r = x as Partial<DaemonStateRecord> | undefined;
  return (
    typeof r === 'object' &&
    r !== null &&
    r.format === DAEMON_STATE_FORMAT &&
    r.version === DAEMON_STATE_VERSION &&
    r.name === name &&
    typeof r.state === 'string' &&
    typeof r.attempts === 'number' &&
    Array.isArray(r.notified)
  );
}

export async function readDaemonState(home: string, name: string): Promise<DaemonStateRecord | undefined> {
  const x = await readJson(stateFile(home, name));
  return isRecord(x, name) ? x : undefined;
}

export async function writeDaemonState(home: string, record: DaemonStateRecord): Promise<void> {
  await writeFileAtomic(stateFile(home, record.name), new TextEncoder().encode(JSON.stringify(record, null, 2) + '\n'), { mode: 0o600 });
}

export async function removeDaemonState(home: string, name: string): Promise<void> {
  await unlink(stateFile(home, name)).catch(() => undefined);
}

export async function readDaemonInfo(home: string): Promise<DaemonInfo | undefined> {
  const x = (await readJson(daemonInfoFile(home))) as Partial<DaemonInfo> | undefined;
  return x && typeof x.pid === 'number' && typeof x.started_at === 'string' ? (x as DaemonInfo) : undefined;
}

/** Is a daemon holding this store's lock, and which process? (The lock records its holder; a dead holder does not count.) */
export async function daemonHolder(home: string): Promise<{ running: boolean; pid?: number }> {
  const h = await lockHolder(daemonLockTarget(home)).catch(() => undefined);
  if (!h || !h.alive) return { running: false };
  return h.pid === undefined ? { running: true } : { running: true, pid: h.pid };
}

export function statusView(r: DaemonStateRecord, running: boolean, pid?: number): DaemonStatusView {
  const v: DaemonStatusView = { running, state: r.state, attempts: r.attempts, updated_at: r.updated_at };
  if (running && pid !== undefined) v.pid = pid;
  if (r.next_attempt_at && running) v.next_attempt_at = r.next_attempt_at;
  if (r.next_attempt_reason && running && r.next_attempt_at) v.next_attempt_reason = r.next_attempt_reason;
  if (r.last_error) v.last_error = r.last_error;
  if (r.last_success_at) v.last_success_at = r.last_success_at;
  if (r.refresh_token_warning) v.refresh_token_warning = r.refresh_token_warning;
  return v;
}

/** For `status`: the daemon's view of each listed credential, where it has one. */
export async function attachDaemonState<T extends { name: string; daemon?: DaemonStatusView }>(list: T[], home: string): Promise<void> {
  const { running, pid } = await daemonHolder(home);
  for (const item of list) {
    let r: DaemonStateRecord | undefined;
    try {
      r = await readDaemonState(home, item.name);
    } catch {
      r = undefined;
    }
    if (r) item.daemon = statusView(r, running, pid);
  }
}
