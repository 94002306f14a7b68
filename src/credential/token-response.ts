/**
 * The one way a token response (RFC 6749 §5.1) becomes stored token fields:
 * for a new grant (authorize, login) and for every refresh (RFC 6749 §6).
 */
import { CODES, HandoffError } from '../errors.js';
import { message } from '../i18n/index.js';
import type { TokenSet } from '../oauth/index.js';
import { VSCHAR_PATTERN } from '../settings-file/index.js';
import type { SettingsToken } from '../settings-file/index.js';

const iso = (ms: number): string => new Date(ms).toISOString();

/** A lifetime in seconds a server gave, when it is a usable one (a finite number above zero). */
function positiveSeconds(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;
}

export interface FoldedToken {
  token: SettingsToken;
  /** the response carried a refresh token different from the one held before */
  rotated: boolean;
}

/**
 * Fold a token response into the token fields. `prev` is the token held
 * before (undefined for a new grant): a response without `refresh_token`
 * keeps the old one (RFC 6749 §6), and without `scope` keeps the old scope.
 * The refresh token's expiry is, in this order: what the server says
 * (`refresh_token_expires_in`, when above zero), the preset's known lifetime
 * counted from the issue of a new refresh token, the expiry already known.
 * Tokens with characters outside VSCHAR are refused (PROVIDER_ERROR).
 */
/**
 * Tokens are data that end up in HTTP headers and on terminals: a token with
 * characters outside RFC 6749 VSCHAR (a CR LF that would inject a header, a
 * terminal escape, non-ASCII) is refused, and nothing of it is stored or shown.
 */
export function assertTokenCharacters(t: Pick<TokenSet, 'access_token' | 'refresh_token'>): void {
  for (const field of ['access_token', 'refresh_token'] as const) {
    const v = t[field];
    if (v !== undefined && !VSCHAR_PATTERN.test(v)) {
      throw new HandoffError(message('credential.bad_token_chars', { field }), {
        code: CODES.PROVIDER_ERROR,
      });
    }
  }
}

export function foldTokenResponse(prev: SettingsToken | undefined, t: TokenSet, now: number, presetRefreshTokenSeconds?: number): FoldedToken {
  assertTokenCharacters(t);
  const rotated = t.refresh_token !== undefined && t.refresh_token !== prev?.refresh_token;
  const token: SettingsToken = { access_token: t.access_token, token_type: t.token_type, obtained_at: iso(now) };
  if (t.expires_in !== undefined) token.expires_at = iso(now + t.expires_in * 1000);
  const refreshToken = t.refresh_token ?? prev?.refresh_token;
  if (refreshToken !== undefined) {
    token.refresh_token = refreshToken;
    const said = positiveSeconds(t.raw.refresh_token_expires_in);
    if (said !== undefined) token.refresh_token_expires_at = iso(now + said * 1000);
    else if (rotated && presetRefreshTokenSeconds !== undefined) token.refresh_token_expires_at = iso(now + presetRefreshTokenSeconds * 1000);
    else if (prev?.refresh_token_expires_at !== undefined) token.refresh_token_expires_at = prev.refresh_token_expires_at;
  }
  const scope = t.scope ?? prev?.scope;
  if (scope !== undefined) token.scope = scope;
  return { token, rotated };
}
