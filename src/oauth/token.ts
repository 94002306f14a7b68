/**
 * The token endpoint (RFC 6749 §4.1.3, §5, §6).
 */
import { CODES, HandoffError } from '../errors.js';
import { applyClientAuth } from './client-auth.js';
import { endpointName, jsonObjectBody, malformed, throwIfErrorResponse } from './error-mapping.js';
import type { ClientConfig, Endpoints, HttpClient, RawResponse, TokenSet } from './types.js';
import { message } from '../i18n/index.js';
import type { Message } from '../i18n/index.js';

export const GRANT_AUTHORIZATION_CODE = 'authorization_code';
export const GRANT_REFRESH_TOKEN = 'refresh_token';

/** POST a grant to the token endpoint with client authentication (RFC 6749 §3.2). */
export async function tokenEndpointRequest(
  http: HttpClient,
  endpoints: Endpoints,
  client: ClientConfig,
  form: Record<string, string>,
): Promise<RawResponse> {
  const url = requireEndpoint(endpoints?.token, 'token');
  const auth = applyClientAuth(client, form);
  return http.post(url, auth.form, auth.headers);
}

/** RFC 6749 §6 Refreshing an Access Token (+ RFC 8707 §2.2 `resource`). */
export async function refreshTokenGrantRequest(
  http: HttpClient,
  endpoints: Endpoints,
  client: ClientConfig,
  refreshToken: string,
  opts: { scope?: string; resource?: string } = {},
): Promise<RawResponse> {
  if (typeof refreshToken !== 'string' || refreshToken === '') {
    throw new HandoffError(message('oauth.token.no_refresh_token'), { code: CODES.REAUTH_REQUIRED });
  }
  const form: Record<string, string> = { grant_type: GRANT_REFRESH_TOKEN, refresh_token: refreshToken };
  if (opts.scope) form.scope = opts.scope;
  if (opts.resource) form.resource = opts.resource; // RFC 8707 §2.2
  return tokenEndpointRequest(http, endpoints, client, form);
}

/**
 * RFC 6749 §4.1.3 Access Token Request, with RFC 7636 §4.5 `code_verifier`.
 * `redirectUri` must be the one sent in the authorization request (for
 * Redmine's out-of-band flow, the OOB URI itself).
 */
export async function authorizationCodeGrantRequest(
  http: HttpClient,
  endpoints: Endpoints,
  client: ClientConfig,
  params: { code: string; redirectUri: string; codeVerifier?: string; resource?: string },
): Promise<RawResponse> {
  if (typeof params?.code !== 'string' || params.code === '') {
    throw new HandoffError(message('oauth.token.code_missing'), { code: CODES.USAGE });
  }
  if (typeof params.redirectUri !== 'string' || params.redirectUri === '') {
    throw new HandoffError(message('oauth.token.redirect_missing'), { code: CODES.USAGE });
  }
  const form: Record<string, string> = {
    grant_type: GRANT_AUTHORIZATION_CODE,
    code: params.code,
    redirect_uri: params.redirectUri,
  };
  if (params.codeVerifier) form.code_verifier = params.codeVerifier;
  if (params.resource) form.resource = params.resource; // RFC 8707 §2.2
  return tokenEndpointRequest(http, endpoints, client, form);
}

/**
 * RFC 6749 §5.1 Successful Response / §5.2 Error Response. Returns the tokens
 * or throws: REAUTH_REQUIRED for invalid_grant, PROVIDER_UNAVAILABLE for
 * 5xx / 429, PROVIDER_ERROR for other errors and for a 2xx that lacks
 * access_token or token_type, or whose token_type is not Bearer (RFC 6750).
 */
export function processTokenResponse(res: RawResponse): TokenSet {
  const where = endpointName('token', res.request.url);
  throwIfErrorResponse(res, where);
  const body = jsonObjectBody(res, where);
  return tokenSetFromBody(body, res, where);
}

/** Validate a §5.1 body; shared with the device grant (RFC 8628 §3.5). */
export function tokenSetFromBody(body: Record<string, unknown>, res: RawResponse, where: Message): TokenSet {
  const accessToken = body.access_token;
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw malformed(message('oauth.token.no_access_token', { endpoint: where, status: res.status }), res);
  }
  const tokenType = body.token_type;
  if (typeof tokenType !== 'string' || tokenType === '') {
    throw malformed(message('oauth.token.no_token_type', { endpoint: where, status: res.status }), res);
  }
  if (tokenType.toLowerCase() !== 'bearer') {
    throw malformed(
      tokenType.length <= 20
        ? message('oauth.token.not_bearer', { endpoint: where, type: `"${tokenType.replace(/[^\x20-\x7e]/g, '?')}"` })
        : message('oauth.token.not_bearer_unknown', { endpoint: where }),
      res,
    );
  }
  const tokens: TokenSet = { access_token: accessToken, token_type: 'Bearer', raw: body };

  const expiresIn = optionalNumber(body.expires_in);
  if (expiresIn === 'invalid') throw malformed(message('oauth.token.bad_expires_in', { endpoint: where }), res);
  if (expiresIn !== undefined) tokens.expires_in = expiresIn;

  const refresh = body.refresh_token;
  if (refresh !== undefined && refresh !== null && refresh !== '') {
    if (typeof refresh !== 'string') throw malformed(message('oauth.token.bad_refresh_token', { endpoint: where }), res);
    tokens.refresh_token = refresh;
  }
  const scope = body.scope;
  if (scope !== undefined && scope !== null) {
    if (typeof scope !== 'string') throw malformed(message('oauth.token.bad_scope', { endpoint: where }), res);
    tokens.scope = scope;
  }
  return tokens;
}

/** A JSON number, or a string of digits (some servers quote it); undefined when absent. */
function optionalNumber(value: unknown): number | undefined | 'invalid' {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(n) || n < 0) return 'invalid';
  return Math.floor(n);
}

/** The endpoint URL, or a USAGE error naming which one is missing. */
export function requireEndpoint(url: string | undefined, name: 'token' | 'device authorization' | 'revocation'): string {
  if (typeof url !== 'string' || url === '') {
    const key = name === 'token' ? 'oauth.token.no_token_endpoint' : name === 'revocation' ? 'oauth.token.no_revocation_endpoint' : 'oauth.token.no_device_endpoint';
    throw new HandoffError(message(key), { code: CODES.USAGE });
  }
  return url;
}
