/**
 * The one rule for "does this credential need a refresh?", used by `token`,
 * `exec`, the library and the daemon's double-check.
 */
import { DEFAULT_MIN_VALID_SECONDS } from '../defaults.js';
import { secondsLeft } from '../settings-file/index.js';
import type { Settings } from '../settings-file/index.js';

/** The margin (seconds before expiry) at which a token counts as due for a refresh. */
export function refreshMarginSeconds(_token: Settings['token'], minValidSeconds: number = DEFAULT_MIN_VALID_SECONDS): number {
  return Math.max(0, minValidSeconds);
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
