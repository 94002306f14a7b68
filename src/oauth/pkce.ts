/**
 * PKCE (RFC 7636) and state (RFC 6749 §10.12).
 */
import { createHash, randomBytes } from 'node:crypto';
import { CODES, HandoffError } from '../errors.js';
import { message } from '../i18n/index.js';

/** RFC 7636 §4.1: 43–128 characters of [A-Z a-z 0-9 - . _ ~]. */
export const PKCE_VERIFIER_PATTERN = /^[A-Za-z0-9\-._~]{43,128}$/;
/** Random bytes behind a verifier: 32 → 43 base64url characters (RFC 7636 §4.1 recommends 32). */
export const PKCE_VERIFIER_BYTES = 32;
/** Random bytes behind a `state` value. */
export const STATE_BYTES = 32;

export interface Pkce {
  verifier: string;
  challenge: string;
  method: 'S256';
}

/** RFC 7636 §4.2: S256 code_challenge = BASE64URL(SHA256(ASCII(code_verifier))). */
export function pkceChallenge(verifier: string): string {
  if (!PKCE_VERIFIER_PATTERN.test(verifier)) {
    throw new HandoffError(message('oauth.pkce.bad_verifier'), {
      code: CODES.USAGE,
    });
  }
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** RFC 7636 §4.1 code_verifier (32 random octets, base64url) and its §4.2 S256 challenge. */
export function createPkce(): Pkce {
  const verifier = randomBytes(PKCE_VERIFIER_BYTES).toString('base64url');
  return { verifier, challenge: pkceChallenge(verifier), method: 'S256' };
}

/** An unguessable `state` for CSRF protection (RFC 6749 §10.12). */
export function createState(): string {
  return randomBytes(STATE_BYTES).toString('base64url');
}
