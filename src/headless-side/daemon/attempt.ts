/**
 * One refresh attempt, and what its failure means. The attempt is the
 * double-checked refresh every consumer uses (`freshSettings`): look without
 * a lock; if the token is still the one the plan was made for, take the
 * credential's write lock (the one `token` takes), re-read, and refresh only
 * if it is still that token. If another process refreshed it meanwhile, the
 * daemon plans from the new token instead: exactly one refresh per expiry.
 */
import { freshSettings } from '../../credential/index.js';
import { CODES, HandoffError } from '../../errors.js';
import { message } from '../../i18n/index.js';
import type { HttpClient } from '../../oauth/index.js';
import type { CredentialStore, Settings } from '../../settings-file/index.js';

export interface AttemptOutcome {
  settings: Settings;
  /** false: another process refreshed (or replaced) it first */
  refreshed: boolean;
  rotated: boolean;
  /** the store's version of `settings` */
  version?: string;
}

export interface AttemptInput {
  store: CredentialStore;
  name: string;
  /** the token (its obtained_at) the plan was made for */
  plannedFor?: string;
  http: () => Promise<HttpClient>;
  lockTimeoutMs: number;
}

/** The one refresh rule (credential/refresh.ts): refresh the token the plan was made for, unless another process replaced it meanwhile. */
export async function attemptRefresh(i: AttemptInput): Promise<AttemptOutcome> {
  const r = await freshSettings(i.store, i.name, {
    replacing: { obtained_at: i.plannedFor },
    http: await i.http(),
    lockTimeoutMs: i.lockTimeoutMs,
    withVersion: true,
  });
  return { settings: r.settings, refreshed: r.refreshed, rotated: r.rotated, version: r.version };
}

/**
 * Errors saying the client registration itself is wrong (RFC 6749 §5.2):
 * retrying cannot help until someone fixes the client id, secret,
 * authentication method, allowed grant types or scopes.
 */
export const CLIENT_ERRORS: ReadonlySet<string> = new Set(['invalid_client', 'unauthorized_client', 'invalid_scope', 'unsupported_grant_type']);

/** Passing failures: retried with backoff while the token is served. */
const TRANSIENT: ReadonlySet<string> = new Set([CODES.PROVIDER_UNAVAILABLE, CODES.STORE_UNAVAILABLE, CODES.LOCK_TIMEOUT, CODES.STORE_CONFLICT]);

export type FailureKind =
  /** the credential is gone from the store */
  | 'gone'
  /** the grant is dead (invalid_grant, revoked, no refresh token) */
  | 'reauthorization'
  /** the provider refuses the client: stop until the registration is fixed */
  | 'client'
  /** network, timeout, 5xx, 429, a store down or busy, a lock held too long: retry with backoff */
  | 'transient'
  /** anything else: retry with backoff, reported as failing */
  | 'other';

export function failureKind(err: HandoffError): FailureKind {
  if (err.code === CODES.NOT_FOUND) return 'gone';
  if (err.code === CODES.REAUTH_REQUIRED) return 'reauthorization';
  if (err.oauth?.error !== undefined && CLIENT_ERRORS.has(err.oauth.error)) return 'client';
  if (TRANSIENT.has(err.code)) return 'transient';
  return 'other';
}

export function asHandoffError(e: unknown): HandoffError {
  return e instanceof HandoffError ? e : new HandoffError(message('daemon.error.refresh_failed', { error: (e as Error)?.message ?? String(e) }), { code: CODES.INTERNAL, cause: e });
}
