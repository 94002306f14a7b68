/**
 * The one rule for "does this credential need a refresh?", used by `token`,
 * `exec`, the library and the daemon's double-check.
 */
import { DEFAULT_MIN_VALID_SECONDS, MAX_REFRESH_MARGIN_SHARE } from '../defaults.js';
import { secondsLeft } from '../settings-file/index.js';
import type { Settings } from '../settings-file/index.js';

/** The access token's lifetime in seconds (obtained → expiry), when both are known. */
function lifetimeSeconds(token: Settings['token']): number | undefined {
  if (token.expires_at === undefined) return undefined;
  const life = (Date.parse(token.expires_at) - Date.parse(token.obtained_at)) / 1000;
  return Number.isFinite(life) ? Math.max(0, life) : undefined;
}

/**
 * The margin in use (seconds before expiry at which a token is due for a
 * refresh): `minValidSeconds`, capped at MAX_REFRESH_MARGIN_SHARE of the
 * token's lifetime so that a short-lived token is not refreshed on every call.
 */
export function refreshMarginSeconds(token: Settings['token'], minValidSeconds: number = DEFAULT_MIN_VALID_SECONDS): number {
  const wanted = Number.isFinite(minValidSeconds) ? Math.max(0, minValidSeconds) : DEFAULT_MIN_VALID_SECONDS;
  const life = lifetimeSeconds(token);
  return life === undefined ? wanted : Math.min(wanted, life * MAX_REFRESH_MARGIN_SHARE);
}

/** When (epoch ms) the token becomes due for a refresh by this rule; undefined when it never expires. */
export function refreshDueAt(token: Settings['token'], minValidSeconds: number = DEFAULT_MIN_VALID_SECONDS): number | undefined {
  if (token.expires_at === undefined) return undefined;
  return Date.parse(token.expires_at) - refreshMarginSeconds(token, minValidSeconds) * 1000;
}

/**
 * True when the credential should be refreshed before its access token is
 * handed out: its grant is not known good, or the token expires within the
 * margin. A token without a known expiry never needs one.
 */
export function needsRefresh(s: Settings, now: number, minValidSeconds: number = DEFAULT_MIN_VALID_SECONDS): boolean {
  if (s.health.state !== 'ok') return true;
  return secondsLeft(s.token, now) <= refreshMarginSeconds(s.token, minValidSeconds);
}

/** True while the access token has not expired (it may still be due for a refresh). */
export function stillValid(s: Settings, now: number): boolean {
  return secondsLeft(s.token, now) > 0;
}
