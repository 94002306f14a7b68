/**
 * Token revocation (RFC 7009).
 */
import { CODES, HandoffError } from '../errors.js';
import { applyClientAuth } from './client-auth.js';
import { endpointName, throwIfErrorResponse } from './error-mapping.js';
import { requireEndpoint } from './token.js';
import type { ClientConfig, Endpoints, HttpClient, RawResponse } from './types.js';
import { message } from '../i18n/index.js';

export type TokenTypeHint = 'access_token' | 'refresh_token';

/**
 * RFC 7009 §2.1 Revocation Request. Revoking a refresh token also ends the
 * access tokens of the same grant on servers that support it (§2.1).
 * The hint (§2.1 token_type_hint) may be given bare or as `{ tokenTypeHint }`.
 */
export async function revocationRequest(
  http: HttpClient,
  endpoints: Endpoints,
  client: ClientConfig,
  token: string,
  opts: { tokenTypeHint?: TokenTypeHint } | TokenTypeHint = {},
): Promise<RawResponse> {
  const hint = typeof opts === 'string' ? opts : opts?.tokenTypeHint;
  const url = requireEndpoint(endpoints?.revocation, 'revocation');
  if (typeof token !== 'string' || token === '') {
    throw new HandoffError(message('oauth.revocation.no_token'), { code: CODES.USAGE });
  }
  const form: Record<string, string> = { token };
  if (hint) form.token_type_hint = hint;
  const auth = applyClientAuth(client, form);
  return http.post(url, auth.form, auth.headers);
}

/**
 * RFC 7009 §2.2 Revocation Response: any 2xx means done (an unknown or already
 * revoked token is answered 200 too). §2.2.1: 503 → PROVIDER_UNAVAILABLE with
 * Retry-After; unsupported_token_type and other errors → PROVIDER_ERROR.
 */
export function processRevocationResponse(res: RawResponse): void {
  throwIfErrorResponse(res, endpointName('revocation', res.request.url));
}
