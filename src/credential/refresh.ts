/**
 * The one refresh rule. Every consumer (token, exec, refresh, import
 * --verify, the library, the daemon) calls `freshSettings`: read without a
 * lock; when a refresh is due, take the write lock (joining a refresh in
 * flight), re-read, and refresh only when it is still due — exactly one
 * refresh per expiry, however many processes ask.
 */
import { DEFAULT_MIN_VALID_SECONDS } from '../defaults.js';
import { CODES, HandoffError, isPassingFailure } from '../errors.js';
import { message } from '../i18n/index.js';
import type { HttpClient, TokenSet } from '../oauth/index.js';
import { secondsLeft } from '../settings-file/index.js';
import type { CredentialStore, HeldLock, Settings } from '../settings-file/index.js';
import { USER_AGENT } from '../version.js';
import { needsRefresh, stillValid } from './freshness.js';
import { nextGeneration } from './grant.js';
import { foldTokenResponse } from './token-response.js';

export interface RefreshDeps {
  /** epoch milliseconds */
  now?: () => number;
  /** an HTTP client (tests and the daemon pass one in; made on demand otherwise) */
  http?: HttpClient;
  httpTimeoutMs?: number;
}

interface AttemptDeps extends RefreshDeps {
  /** give up on the token endpoint after this long (the validity left, when the old token is served on failure) */
  attemptTimeoutMs?: number;
}

export interface RefreshOutcome {
  settings: Settings;
  /** true when this call refreshed (rather than finding a fresh token) */
  refreshed: boolean;
  /** true when the server returned a new refresh token */
  rotated: boolean;
  /** set when a refresh failed but the old access token is still valid and was returned */
  warning?: HandoffError;
  /** with `withVersion`: store.version() of `settings` (taken before its read, or after our own write under the lock) */
  version?: string;
}

/** Names the token a caller wants replaced: the access token a server refused, or the token a plan was made for. */
export interface TokenRef {
  access_token?: string;
  obtained_at?: string;
}

export interface FreshOptions extends RefreshDeps {
  /** refresh when the token expires within this many seconds (default DEFAULT_MIN_VALID_SECONDS) */
  minValidSeconds?: number;
  /** refresh now whatever the expiry (`oauth-handoff refresh`, `import --verify`) */
  force?: boolean;
  /**
   * Refresh now whatever the expiry, unless the stored token is no longer this
   * one and is still valid: another process replaced it meanwhile, and that
   * replacement is returned instead (a 401 retry, the daemon's planned refresh).
   */
  replacing?: TokenRef;
  lockTimeoutMs?: number;
  onWait?: () => void;
  /** when a refresh fails transiently but the old token is still valid, return it with a warning */
  serveValidOnFailure?: boolean;
  /** also return the store's version of the settings returned (costs a stat per read) */
  withVersion?: boolean;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Fault tests kill a refreshing process with a real SIGKILL at a chosen step
 * (OAUTH_HANDOFF_TEST_KILL_AT=marked|responded|stored), or stop it there with
 * SIGSTOP until they send SIGCONT (OAUTH_HANDOFF_TEST_STOP_AT: a stall at an
 * exact point). Costs two env lookups.
 */
function killPoint(step: 'marked' | 'responded' | 'stored'): void {
  if (process.env.OAUTH_HANDOFF_TEST_KILL_AT === step) process.kill(process.pid, 'SIGKILL');
  if (process.env.OAUTH_HANDOFF_TEST_STOP_AT === step) process.kill(process.pid, 'SIGSTOP');
}

/** The grant is dead; `serving`: its access token is still served until it expires (said in the message). */
export function reauthError(s: Settings, serving = false): HandoffError {
  const name = s.name;
  const why = s.health.message; // data, stored in English
  const until = serving && s.token.expires_at ? s.token.expires_at : undefined;
  const text =
    why === undefined
      ? until === undefined
        ? message('credential.reauth', { name })
        : message('credential.reauth_serving', { name, expires_at: until })
      : until === undefined
        ? message('credential.reauth_why', { name, why })
        : message('credential.reauth_why_serving', { name, why, expires_at: until });
  return new HandoffError(text, {
    code: CODES.REAUTH_REQUIRED,
    credential: s.name,
  });
}

function refreshLifetime(oauth: typeof import('../oauth/index.js'), provider: string): number | undefined {
  try {
    return oauth.getProvider(provider).lifetimes.refreshTokenSeconds;
  } catch {
    return undefined;
  }
}

/** A token response folded into the settings it refreshes: new tokens, health back to ok, one more refresh counted, the grant one generation on. */
export function settingsAfterRefresh(cur: Settings, t: TokenSet, now: number, presetRefreshTokenSeconds?: number): { next: Settings; rotated: boolean } {
  const { token, rotated } = foldTokenResponse(cur.token, t, now, presetRefreshTokenSeconds);
  const next: Settings = {
    ...cur,
    token,
    health: { state: 'ok', last_refresh_at: iso(now), refresh_count: (cur.health.refresh_count ?? 0) + 1 },
    grant: nextGeneration(cur),
  };
  return { next, rotated };
}

/**
 * One refresh attempt while holding the credential's write lock, on the
 * settings just re-read under that lock. The order is the rotation rule: mark
 * the attempt, send, and persist the result before anything can use the new
 * access token.
 */
async function refreshLocked(store: CredentialStore, cur: Settings, lock: HeldLock, deps: AttemptDeps): Promise<{ settings: Settings; rotated: boolean }> {
  const now = deps.now ?? Date.now;
  const name = cur.name;
  const refreshToken = cur.token.refresh_token;
  if (refreshToken === undefined) {
    throw new HandoffError(message('credential.no_refresh_token', { name }), { code: CODES.REAUTH_REQUIRED, credential: name });
  }
  const interruptedAt = cur.health.refresh_started_at;
  // The protocol (and axios) load only when a refresh is due (`token` with a fresh token never needs them),
  // and before the attempt is marked: the time the mark reserves is the request's.
  const oauth = await import('../oauth/index.js');
  const bound = deps.attemptTimeoutMs;
  const clientMs = deps.http?.timeoutMs ?? deps.httpTimeoutMs ?? oauth.DEFAULT_TIMEOUT_MS;
  const requestMs = bound === undefined ? clientMs : Math.min(bound, clientMs);
  const http = deps.http ?? (await oauth.createHttpClient({ userAgent: USER_AGENT, timeoutMs: requestMs }));

  // Mark the attempt, reserving `requestMs` for the request (a fleet store refuses when this process no longer
  // holds the lock, and holds every other host off until the request and the write of its answer are over).
  const mark = () => store.write({ ...cur, health: { ...cur.health, refresh_started_at: iso(now()) } }, { refreshStarts: { requestMs } });
  // a lock that can pass to another process during a stall (a lease): send only within the time reserved
  const sendBy = lock.expires === true;
  let markedAt = Date.now(); // the real clock, whatever `now` says: this measures a stall
  await mark();
  killPoint('marked');
  if (sendBy && Date.now() - markedAt > requestMs / 2) {
    // stalled (starved of CPU) while marking or right after: mark again, which also checks again that the lock is still ours
    markedAt = Date.now();
    await mark();
  }

  let folded: { next: Settings; rotated: boolean };
  try {
    // never send later than the mark allows: past its deadline another host may refresh with the same refresh token
    const leftMs = sendBy ? markedAt + requestMs - Date.now() : bound;
    if (sendBy && leftMs !== undefined && leftMs < requestMs / 2) {
      const seconds = ((Date.now() - markedAt) / 1000).toFixed(1);
      throw new HandoffError(message('credential.not_sent', { name, seconds }), { code: CODES.LOCK_TIMEOUT, credential: name });
    }
    const request = oauth.refreshTokenGrantRequest(http, cur.endpoints, cur.client, refreshToken, cur.resource ? { resource: cur.resource } : {});
    const late = bound === undefined ? 'credential.endpoint_no_answer' : 'credential.endpoint_timeout';
    const res = leftMs === undefined ? await request : await withinDeadline(request, leftMs, late);
    const tokens = oauth.processTokenResponse(res);
    killPoint('responded');
    // inside the try: a response that cannot be folded (bad token characters) keeps the old tokens
    folded = settingsAfterRefresh(cur, tokens, now(), refreshLifetime(oauth, cur.provider));
  } catch (e) {
    const err = e instanceof HandoffError ? e : new HandoffError(`refresh failed: ${(e as Error).message}`, { code: CODES.INTERNAL, cause: e });
    if (err.code === CODES.REAUTH_REQUIRED) {
      const why = interruptedAt
        ? `${err.message}; an earlier refresh (started ${interruptedAt}) was interrupted after its request may have reached the server, which had then already replaced the refresh token`
        : err.message;
      const health: Settings['health'] = { ...cur.health, state: 'reauthorization_required', message: why, refresh_started_at: undefined };
      // a rejection inside a 2xx answer is no definite verdict on the access token: serve it until it expires
      if (isSoftRejection(err)) health.serving_until_expiry = true;
      await store.write({ ...cur, health });
      throw new HandoffError(why, { code: CODES.REAUTH_REQUIRED, credential: name, cause: err, oauth: err.oauth });
    }
    // Nothing changed at the server (or we cannot know): keep the old tokens, drop the marker.
    await store.write({ ...cur, health: { ...cur.health, refresh_started_at: undefined } }).catch(() => undefined);
    throw err;
  }
  const { next, rotated } = folded;
  await store.write(next);
  killPoint('stored');
  if (!lock.held) {
    // The lock was taken over during a stall. The store now holds the newest tokens we know of.
    process.emitWarning(`the write lock on "${name}" was lost during a refresh; the new tokens were stored anyway`);
  }
  return { settings: next, rotated };
}

/** `invalid_grant` and friends inside a 2xx response: the grant is marked, but the access token is not known to be dead. */
function isSoftRejection(e: HandoffError): boolean {
  const status = e.oauth?.status;
  return e.code === CODES.REAUTH_REQUIRED && status !== undefined && status >= 200 && status <= 299;
}

/**
 * A refresh that failed without a verdict on the grant: the provider or the
 * store unreachable, an answer that is not a token response (a captive
 * portal's HTML, a redirect, broken JSON, a body too large), or a refresh not
 * sent because this process stalled right after marking it. A still-valid
 * token may be served meanwhile. Only a rejection of the grant (REAUTH_REQUIRED) is a verdict.
 */
export function isWithoutVerdict(e: unknown): e is HandoffError {
  return isPassingFailure(e) || (e instanceof HandoffError && (e.code === CODES.PROVIDER_ERROR || e.key === 'credential.not_sent'));
}

/** The validity left bounds a refresh attempt when the old token is served on failure: it is served in time. */
function attemptBound(s: Settings, now: number): number | undefined {
  const leftMs = secondsLeft(s.token, now) * 1000;
  if (!Number.isFinite(leftMs) || leftMs <= 0) return undefined;
  // leave half of what is left (up to 10 s) for the caller to use the token it gets
  return Math.max(200, Math.round(leftMs - Math.min(10_000, leftMs / 2)));
}

/** `p`, or PROVIDER_UNAVAILABLE after `ms` (the request may still reach the server: the same window as any timeout). */
async function withinDeadline<T>(p: Promise<T>, ms: number, key: 'credential.endpoint_timeout' | 'credential.endpoint_no_answer'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new HandoffError(message(key, { seconds: (ms / 1000).toFixed(1) }), { code: CODES.PROVIDER_UNAVAILABLE })), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The stored token is no longer the one named, and it is still valid: someone replaced it. */
function replaced(s: Settings, ref: TokenRef, now: number): boolean {
  const other =
    (ref.access_token !== undefined && s.token.access_token !== ref.access_token) || (ref.obtained_at !== undefined && s.token.obtained_at !== ref.obtained_at);
  return other && stillValid(s, now);
}

/**
 * Whether these settings can be returned as they are ('serve'), returned with
 * a warning ('serve-marked': marked for re-authorization by a rejection that
 * was no definite verdict, still valid), or need a refresh; throws when the
 * grant is known dead.
 */
function serveAsIs(s: Settings, o: FreshOptions, now: number): 'serve' | 'serve-marked' | 'refresh' {
  if (o.force) return 'refresh';
  if (o.replacing !== undefined) {
    if (replaced(s, o.replacing, now)) return 'serve';
  } else if (!needsRefresh(s, now, o.minValidSeconds ?? DEFAULT_MIN_VALID_SECONDS)) return 'serve';
  if (s.health.state === 'reauthorization_required') {
    if (o.serveValidOnFailure && s.health.serving_until_expiry && stillValid(s, now)) return 'serve-marked';
    throw reauthError(s);
  }
  return 'refresh';
}

function served(s: Settings, how: 'serve' | 'serve-marked', version: string | undefined): RefreshOutcome {
  const r: RefreshOutcome = { settings: s, refreshed: false, rotated: false, version };
  if (how === 'serve-marked') r.warning = reauthError(s, true);
  return r;
}

/**
 * The read path every consumer uses (token, exec, refresh, the library, the
 * daemon). A token that needs no refresh is returned without any lock. Else:
 * take the write lock (joining a refresh in flight), re-read, and refresh
 * only when it is still due.
 */
export async function freshSettings(store: CredentialStore, name: string, o: FreshOptions = {}): Promise<RefreshOutcome> {
  const now = o.now ?? Date.now;
  const version = async (): Promise<string | undefined> => (o.withVersion ? store.version(name) : undefined);
  // lock-free first (also: a missing credential fails here, before any lock is made for it)
  const v0 = await version();
  const first = await store.read(name);
  const look = serveAsIs(first, o, now());
  if (look !== 'refresh') return served(first, look, v0);
  // the newest settings seen: served when a refresh fails without a verdict on the grant
  let latest = first;
  try {
    return await store.withWriteLock(
      name,
      async (lock): Promise<RefreshOutcome> => {
        const v1 = await version();
        const cur = (latest = await store.read(name));
        const again = serveAsIs(cur, o, now());
        if (again !== 'refresh') return served(cur, again, v1);
        const r = await refreshLocked(store, cur, lock, { ...o, attemptTimeoutMs: o.serveValidOnFailure ? attemptBound(cur, now()) : undefined });
        // still under the lock: nobody else can have written since
        return { settings: r.settings, refreshed: true, rotated: r.rotated, version: await version() };
      },
      { timeoutMs: o.lockTimeoutMs, onWait: o.onWait },
    );
  } catch (e) {
    // no verdict on the grant (the provider or the store unreachable, an answer that is no token response): the old token still works
    if (o.serveValidOnFailure && isWithoutVerdict(e) && stillValid(latest, now())) {
      // no version: which write `latest` matches is not known here, so a cache looks again next time
      return { settings: latest, refreshed: false, rotated: false, warning: e };
    }
    // rejected inside a 2xx answer: marked for re-authorization, but the access token is served until it expires
    if (o.serveValidOnFailure && e instanceof HandoffError && isSoftRejection(e) && stillValid(latest, now())) {
      const marked = await store.read(name).catch(() => latest);
      return { settings: marked, refreshed: false, rotated: false, warning: reauthError(marked, true) };
    }
    throw e;
  }
}
