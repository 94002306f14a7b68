/** RFC 7636 Proof Key for Code Exchange, as each profile enforces it. */
import { createHash } from 'node:crypto';
import type { PkceMethod, SandboxProfile } from './profiles.js';

/** RFC 7636 §4.1 / §4.2: 43–128 characters of [A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~" */
const PKCE_VALUE = /^[A-Za-z0-9\-._~]{43,128}$/;

export type PkceCheck =
  | { ok: true; challenge?: string; method?: PkceMethod }
  | { ok: false; description: string };

/** RFC 7636 §4.3: the authorization request's code_challenge and code_challenge_method. */
export function checkPkceRequest(
  profile: SandboxProfile,
  challenge: string | undefined,
  rawMethod: string | undefined,
): PkceCheck {
  if (challenge === undefined) return { ok: true };
  if (rawMethod === undefined && profile.pkce.methodRequired) {
    return { ok: false, description: 'code_challenge_method is required with code_challenge' };
  }
  const wanted = rawMethod ?? 'plain';
  const method = profile.pkce.methods.find((m) =>
    profile.pkce.caseInsensitive ? m.toLowerCase() === wanted.toLowerCase() : m === wanted,
  );
  if (method === undefined) {
    return { ok: false, description: `code_challenge_method "${wanted}" is not supported` };
  }
  if (!PKCE_VALUE.test(challenge) || (method === 'S256' && challenge.length !== 43)) {
    return { ok: false, description: 'code_challenge is malformed' };
  }
  return { ok: true, challenge, method };
}

/** RFC 7636 §4.6: does the verifier match the stored challenge? */
export function verifyPkce(challenge: string, method: PkceMethod, verifier: string): boolean {
  if (!PKCE_VALUE.test(verifier)) return false;
  const derived = method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  return derived === challenge;
}
