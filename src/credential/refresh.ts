import { CODES, HandoffError } from '../errors.js';
import type { HttpClient, TokenSet } from '../oauth/index.js';
import type { CredentialStore, HeldLock, Settings } from '../settings-file/index.js';
import { secondsLeft } from '../settings-file/index.js';
import { USER_AGENT } from '../version.js';

export interface RefreshDeps {
  /** epoch milliseconds */
  now?: () => number;
  /** an HTTP client (tests and the daemon pass one in; made on demand otherwise) */
  http?: HttpClient;
  httpTimeoutMs?: number;
}

export interface RefreshOutcome {
  settings: Settings;
  /** true when this call refreshed (rather than finding a fresh token) */
  refreshed: boolean;
  /** true when the server returned a new refresh token */
  rotated: boolean;
  /** set when a refresh failed but the old access token is still valid and was returned */
  warning?: HandoffError;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Fault tests kill a refreshing process with a real SIGKILL at a chosen step
 * (OAUTH_HANDOFF_TEST_KILL_AT=marked|responded|stored). Costs one env lookup.
 */
function killPoint(step: 'marked' | 'responded' | 'stored'): void {
  if (process.env.OAUTH_HANDOFF_TEST_KILL_AT === step) process.kill(process.pid, 'SIGKILL');
}

/**
 * Fold a token response into the settings (RFC 6749 §5.1, §6: a missing
 * refresh_token keeps the old one). `presetRtSeconds` is the provider's known
 * refresh-token lifetime, counted from the issue of a new refresh token.
 */
export function applyTokenResponse(cur: Settings, t: TokenSet, now: number, presetRtSeconds?: number): { next: Settings; rotated: boolean } {
  const rotated = t.refresh_token !== undefined && t.refresh_token !== cur.token.refresh_token;
  const token: Settings['token'] = {
    access_token: t.access_token,
    token_type: t.token_type,
    obtained_at: iso(now),
  };
  if (t.expires_in !== undefined) token.expires_at = iso(now + t.expires_in * 1000);
  const refreshToken = t.refresh_token ?? cur.token.refresh_token;
  if (refreshToken !== undefined) token.refresh_token = refreshToken;
  const rtExpiresIn = typeof t.raw.refresh_token_expires_in === 'number' ? t.raw.refresh_token_expires_in : undefined;
  if (rtExpiresIn !== undefined) token.refresh_token_expires_at = iso(now + rtExpiresIn * 1000);
  else if (rotated && presetRtSeconds !== undefined) token.refresh_token_expires_at = iso(now + presetRtSeconds * 1000);
  else if (cur.token.refresh_token_expires_at !== undefined) token.refresh_token_expires_at = cur.token.refresh_token_expires_at;
  const scope = t.scope ?? cur.token.scope;
  if (scope !== undefined) token.scope = scope;
  const next: Settings = {
    ...cur,
    token,
    health: { state: 'ok', last_refresh_at: iso(now), refresh_count: (cur.health.refresh_count ?? 0) + 1 },
  };
  return { next, rotated };
}

function refreshLifetime(oauth: typeof import('../oauth/index.js'), provider: string): number | undefined {
  try {
    return oauth.getProvider(provider).lifetimes.refreshTokenSeconds;
  } catch {
    return undefined;
  }
}

/**
 * Refresh while holding the credential's write lock, on the settings just
 * re-read under that lock. The order is the rotation rule: mark the attempt,
 * send, and persist the result before anything can use the new access token.
 */
export async function refreshLocked(store: CredentialStore, cur: Settings, lock: HeldLock, deps: RefreshDeps = {}): Promise<RefreshOutcome> {
  const now = deps.now ?? Date.now;
  const name = cur.name;
  const refreshToken = cur.token.refresh_token;
  if (refreshToken === undefined) {
    throw new HandoffError(`credential "${name}" has no refresh token; it cannot be refreshed`, { code: CODES.REAUTH_REQUIRED, credential: name });
  }
  const interruptedAt = cur.health.refresh_started_at;
  await store.write({ ...cur, health: { ...cur.health, refresh_started_at: iso(now()) } });
  killPoint('marked');

  // The protocol (and axios) load only when a refresh is due: `token` with a fresh token never needs them.
  const oauth = await import('../oauth/index.js');
  let tokens: TokenSet;
  try {
    const http = deps.http ?? (await oauth.createHttpClient({ userAgent: USER_AGENT, timeoutMs: deps.httpTimeoutMs }));
    const res = await oauth.refreshTokenGrantRequest(http, cur.endpoints, cur.client, refreshToken, cur.resource ? { resource: cur.resource } : {});
    tokens = oauth.processTokenResponse(res);
    killPoint('responded');
  } catch (e) {
    const err = e instanceof HandoffError ? e : new HandoffError(`refresh failed: ${(e as Error).message}`, { code: CODES.INTERNAL, cause: e });
    if (err.code === CODES.REAUTH_REQUIRED) {
      const why = interruptedAt
        ? `${err.message}; an earlier refresh (started ${interruptedAt}) was interrupted after its request may have reached the server, which had then already replaced the refresh token`
        : err.message;
      await store.write({ ...cur, health: { ...cur.health, state: 'reauthorization_required', message: why, refresh_started_at: undefined } });
      throw new HandoffError(why, { code: CODES.REAUTH_REQUIRED, credential: name, cause: err, oauth: err.oauth });
    }
    // Nothing changed at the server (or we cannot know): keep the old tokens, drop the marker.
    await store.write({ ...cur, health: { ...cur.health, refresh_started_at: undefined } }).catch(() => undefined);
    throw err;
  }
  const { next, rotated } = applyTokenResponse(cur, tokens, now(), refreshLifetime(oauth, cur.provider));
  await store.write(next);
  killPoint('stored');
  if (!lock.held) {
    // The lock was taken over during a stall. The store now holds the newest tokens we know of.
    process.emitWarning(`the write lock on "${name}" was lost during a refresh; the new tokens were stored anyway`);
  }
  return { settings: next, refreshed: true, rotated };
}

export interface FreshOptions extends RefreshDeps {
  /** refresh when the token expires within this many seconds */
  minValidSeconds: number;
  /** refresh even when the token is fresh (`oauth-handoff refresh`) */
  force?: boolean;
  lockTimeoutMs?: number;
  onWait?: () => void;
  /** when a refresh fails transiently but the old token is still valid, return it with a warning */
  serveValidOnFailure?: boolean;
}

export function isFresh(s: Settings, minValidSeconds: number, now: number): boolean {
  return s.health.state === 'ok' && secondsLeft(s.token, now) > minValidSeconds;
}

export function reauthError(s: Settings): HandoffError {
  return new HandoffError(`credential "${s.name}" needs re-authorization: ${s.health.message ?? 'the provider rejected its refresh token'}`, {
    code: CODES.REAUTH_REQUIRED,
    credential: s.name,
  });
}

/**
 * The read path every consumer uses (token, exec, the library, the daemon).
 * A fresh token is returned without any lock. A stale one: take the write
 * lock (joining a refresh in flight), re-read, and refresh only when the
 * token is still stale — exactly one refresh per expiry, however many ask.
 */
export async function freshSettings(store: CredentialStore, name: string, opts: FreshOptions): Promise<RefreshOutcome> {
  const now = opts.now ?? Date.now;
  const first = await store.read(name);
  if (!opts.force) {
    if (isFresh(first, opts.minValidSeconds, now())) return { settings: first, refreshed: false, rotated: false };
    if (first.health.state === 'reauthorization_required') throw reauthError(first);
  }
  return store.withWriteLock(
    name,
    async (lock) => {
      const cur = await store.read(name);
      if (!opts.force) {
        if (isFresh(cur, opts.minValidSeconds, now())) return { settings: cur, refreshed: false, rotated: false };
        if (cur.health.state === 'reauthorization_required') throw reauthError(cur);
      }
      try {
        return await refreshLocked(store, cur, lock, opts);
      } catch (e) {
        if (
          opts.serveValidOnFailure &&
          e instanceof HandoffError &&
          e.code === CODES.PROVIDER_UNAVAILABLE &&
          secondsLeft(cur.token, now()) > 0
        ) {
          return { settings: cur, refreshed: false, rotated: false, warning: e };
        }
        throw e;
      }
    },
    { timeoutMs: opts.lockTimeoutMs, onWait: opts.onWait },
  );
}
