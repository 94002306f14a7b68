/**
 * One refresh attempt, and what its failure means. The attempt is the
 * double-checked refresh every consumer uses: look without a lock; if the
 * token is still the one the plan was made for, take the credential's write
 * lock (the one `token` takes), re-read, and refresh only if it is still
 * that token. If another process refreshed it meanwhile, the daemon plans
 * from the new token instead: exactly one refresh per expiry.
 */
import { reauthError, refreshLocked } from '../../credential/index.js';
import { CODES, HandoffError } from '../../errors.js';
import type { HttpClient } from '../../oauth/index.js';
import type { CredentialStore, Settings } from '../../settings-file/index.js';

export type AttemptOutcome =
  /** another process refreshed (or replaced) it first */
  | { refreshed: false; settings: Settings; version?: string }
  | { refreshed: true; settings: Settings; rotated: boolean; version?: string };

export interface AttemptInput {
  store: CredentialStore;
  name: string;
  /** the token (its obtained_at) the plan was made for */
  plannedFor?: string;
  /** the health the daemon last saw */
  health: Settings['health']['state'];
  http: () => Promise<HttpClient>;
  lockTimeoutMs: number;
}

export async function attemptRefresh(i: AttemptInput): Promise<AttemptOutcome> {
  const { store, name } = i;
  const changed = (s: Settings) => s.token.obtained_at !== i.plannedFor || s.health.state !== i.health;
  // `version` is taken before the read it belongs to: a write in between makes it stale, never newer
  const v0 = await store.version(name);
  const first = await store.read(name);
  if (changed(first)) return { refreshed: false, settings: first, version: v0 };
  if (first.health.state === 'reauthorization_required') throw reauthError(first);
  const http = await i.http();
  return store.withWriteLock(
    name,
    async (lock): Promise<AttemptOutcome> => {
      const v1 = await store.version(name);
      const cur = await store.read(name);
      if (changed(cur)) return { refreshed: false, settings: cur, version: v1 };
      if (cur.health.state === 'reauthorization_required') throw reauthError(cur);
      const r = await refreshLocked(store, cur, lock, { http });
      // still under the lock: nobody else can have written since
      return { refreshed: true, settings: r.settings, rotated: r.rotated, version: await store.version(name) };
    },
    { timeoutMs: i.lockTimeoutMs },
  );
}

/**
 * Errors saying the client registration itself is wrong (RFC 6749 §5.2):
 * retrying cannot help until someone fixes the client id, secret,
 * authentication method, allowed grant types or scopes.
 */
export const CLIENT_ERRORS: ReadonlySet<string> = new Set(['invalid_client', 'unauthorized_client', 'invalid_scope', 'unsupported_grant_type']);

export type FailureKind =
  /** the credential is gone from the store */
  | 'gone'
  /** the grant is dead (invalid_grant, revoked, no refresh token) */
  | 'reauthorization'
  /** the provider refuses the client: stop until the registration is fixed */
  | 'client'
  /** network, timeout, 5xx, 429, a lock held too long: retry with backoff */
  | 'transient'
  /** anything else: retry with backoff, reported as failing */
  | 'other';

export function failureKind(err: HandoffError): FailureKind {
  if (err.code === CODES.NOT_FOUND) return 'gone';
  if (err.code === CODES.REAUTH_REQUIRED) return 'reauthorization';
  if (err.oauth?.error !== undefined && CLIENT_ERRORS.has(err.oauth.error)) return 'client';
  if (err.code === CODES.PROVIDER_UNAVAILABLE || err.code === CODES.LOCK_TIMEOUT) return 'transient';
  return 'other';
}

export function asHandoffError(e: unknown): HandoffError {
  return e instanceof HandoffError ? e : new HandoffError(`refresh failed: ${(e as Error)?.message ?? String(e)}`, { code: CODES.INTERNAL, cause: e });
}
