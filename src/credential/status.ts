/**
 * What `status --json` and the library's `status()` say about one
 * credential: below both, so the library never loads the CLI's commands.
 * Never a token or a secret.
 */
import { DEFAULT_MIN_VALID_SECONDS } from '../defaults.js';
import { secondsLeft } from '../settings-file/index.js';
import type { Settings } from '../settings-file/index.js';
import { refreshMarginSeconds } from './freshness.js';

export interface CredentialStatus {
  name: string;
  provider: string;
  site?: string;
  /** ok | expired | reauthorization_required | unreadable */
  state: string;
  message?: string;
  /** for an unreadable one: the error code (src/errors.ts) that made it unreadable */
  error_code?: string;
  access_token_expires_at?: string;
  access_token_expires_in?: number;
  /**
   * Seconds before expiry at which `token`, `exec` and the library refresh it
   * (with the default --min-valid): the default, capped at half the token's lifetime.
   */
  refresh_margin_seconds?: number;
  /** the grant's random id (`status` shows its first 8 characters); absent for credentials from 0.1.0 not refreshed since */
  grant_id?: string;
  /** one more with every refresh: of two copies of one grant, the higher is newer */
  grant_generation?: number;
  has_refresh_token: boolean;
  refresh_token_expires_at?: string;
  last_refresh_at?: string;
  refresh_count: number;
  /** a refresh was started and never finished (the process died) */
  interrupted_refresh_at?: string;
  obtained_at?: string;
  scopes: string[];
  client_id?: string;
  /** when the client secret of a dynamically registered client stops working (RFC 7591 client_secret_expires_at) */
  client_secret_expires_at?: string;
  /** the protected resource the tokens are for (RFC 8707) */
  resource?: string;
  created?: Settings['created'];
  stored_in: string;
  /** shared stores: the host (and key) that stored the last refresh, and when */
  last_refreshed_by?: string;
  /** shared stores: the host that last wrote it (refresh, import, re-seal) */
  last_written_by?: string;
}

export function describeCredential(s: Settings, storedIn: string, now: number, minValidSeconds: number = DEFAULT_MIN_VALID_SECONDS): CredentialStatus {
  const left = secondsLeft(s.token, now);
  const state = s.health.state === 'reauthorization_required' ? 'reauthorization_required' : left <= 0 ? 'expired' : 'ok';
  const d: CredentialStatus = {
    name: s.name,
    provider: s.provider,
    state,
    has_refresh_token: s.token.refresh_token !== undefined,
    refresh_count: s.health.refresh_count ?? 0,
    obtained_at: s.token.obtained_at,
    scopes: s.token.scope ? s.token.scope.split(' ') : s.scopes,
    client_id: s.client.id,
    created: s.created,
    stored_in: storedIn,
  };
  if (s.site) d.site = s.site;
  if (s.grant) {
    d.grant_id = s.grant.id;
    d.grant_generation = s.grant.generation;
  }
  if (s.resource) d.resource = s.resource;
  if (s.client.secret_expires_at) d.client_secret_expires_at = s.client.secret_expires_at;
  if (s.health.message) d.message = s.health.message;
  if (s.token.expires_at) {
    d.access_token_expires_at = s.token.expires_at;
    d.access_token_expires_in = Math.round(left);
    d.refresh_margin_seconds = Math.round(refreshMarginSeconds(s.token, minValidSeconds));
  }
  if (s.token.refresh_token_expires_at) d.refresh_token_expires_at = s.token.refresh_token_expires_at;
  if (s.health.last_refresh_at) d.last_refresh_at = s.health.last_refresh_at;
  if (s.health.refresh_started_at) d.interrupted_refresh_at = s.health.refresh_started_at;
  return d;
}
