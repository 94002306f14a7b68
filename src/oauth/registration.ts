/**
 * Dynamic client registration (RFC 7591) and client deletion (RFC 7592 §2.3):
 * a native application registers itself at a server's `registration_endpoint`
 * and keeps what comes back (client id, secret and its expiry, the
 * registration access token and URI).
 */
import { CODES, HandoffError } from '../errors.js';
import { CLIENT_AUTH_METHODS } from './client-auth.js';
import { endpointName, jsonObjectBody, malformed, throwIfErrorResponse } from './error-mapping.js';
import type { ClientAuthMethod, ClientConfig, HttpClient, RawResponse } from './types.js';
import { message } from '../i18n/index.js';

/** RFC 7591 §2 client metadata this toolkit sends. */
export interface ClientMetadata {
  redirect_uris: string[];
  client_name: string;
  /** OpenID Connect Dynamic Client Registration §2: a native app may use loopback http redirects */
  application_type: 'native';
  token_endpoint_auth_method: ClientAuthMethod;
  grant_types: string[];
  response_types: string[];
  scope?: string;
  software_id?: string;
  software_version?: string;
}

/** RFC 7591 §3.2.1 Client Information Response, validated. */
export interface RegisteredClient {
  client: ClientConfig;
  /** seconds since the epoch; absent when the secret does not expire (0 in the response) */
  client_secret_expires_at?: number;
  client_id_issued_at?: number;
  /** RFC 7592 §3 */
  registration_access_token?: string;
  registration_client_uri?: string;
  raw: Record<string, unknown>;
}

/** RFC 6750 §2.1 b64token: the characters a bearer token may hold in an Authorization header. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * The client authentication to ask for: `none` (a public client, with PKCE)
 * unless the server lists methods without it; otherwise the first secret
 * method the server lists that this toolkit speaks. An absent list asks for
 * `none`: the server answers with what it registered (RFC 7591 §3.2.1).
 */
export function registrationAuthMethod(supported: readonly string[] | undefined): ClientAuthMethod {
  if (!supported || supported.length === 0 || supported.includes('none')) return 'none';
  const method = (['client_secret_basic', 'client_secret_post'] as const).find((m) => supported.includes(m));
  if (!method) {
    throw new HandoffError(message('oauth.registration.no_method', { methods: supported.slice(0, 6).join(', ') }), {
      code: CODES.PROVIDER_ERROR,
    });
  }
  return method;
}

/** RFC 7591 §3.1 Client Registration Request: the metadata as JSON, with an initial access token when one is needed. */
export async function registrationRequest(
  http: HttpClient,
  registrationEndpoint: string,
  metadata: ClientMetadata,
  opts: { initialAccessToken?: string } = {},
): Promise<RawResponse> {
  if (!Array.isArray(metadata.redirect_uris) || metadata.redirect_uris.length === 0) {
    throw new HandoffError(message('oauth.registration.no_redirect'), { code: CODES.USAGE });
  }
  const headers: Record<string, string> = {};
  if (opts.initialAccessToken !== undefined) headers.Authorization = bearer(opts.initialAccessToken, 'initial');
  const body: Record<string, unknown> = { ...metadata };
  return http.postJson(registrationEndpoint, body, headers);
}

function bearer(token: string, what: 'initial' | 'registration'): string {
  if (typeof token !== 'string' || !B64TOKEN.test(token)) {
    throw new HandoffError(message(what === 'initial' ? 'oauth.registration.bad_initial_token' : 'oauth.registration.bad_registration_token'), { code: CODES.BAD_FILE });
  }
  return `Bearer ${token}`;
}

/**
 * RFC 7591 §3.2.1 Client Information Response (201, or 200) and §3.2.2
 * errors (invalid_redirect_uri, invalid_client_metadata → PROVIDER_ERROR).
 * The method the server registered wins over the one asked for.
 */
export function processRegistrationResponse(res: RawResponse, requested: ClientMetadata): RegisteredClient {
  const where = endpointName('registration', res.request.url);
  throwIfErrorResponse(res, where);
  const body = jsonObjectBody(res, where);
  const id = body.client_id;
  if (typeof id !== 'string' || id === '') throw malformed(message('oauth.registration.no_client_id', { endpoint: where }), res);
  const said = body.token_endpoint_auth_method;
  let method: ClientAuthMethod = requested.token_endpoint_auth_method;
  if (said !== undefined && said !== null) {
    if (typeof said !== 'string' || !CLIENT_AUTH_METHODS.includes(said as ClientAuthMethod)) {
      throw malformed(message('oauth.registration.unknown_method', { endpoint: where }), res);
    }
    method = said as ClientAuthMethod;
  }
  const secret = typeof body.client_secret === 'string' && body.client_secret !== '' ? body.client_secret : undefined;
  if (method !== 'none' && secret === undefined) throw malformed(message('oauth.registration.no_secret', { endpoint: where, method }), res);
  const client: ClientConfig = method === 'none' ? { id, auth_method: 'none' } : { id, secret: secret as string, auth_method: method };
  const out: RegisteredClient = { client, raw: body };
  const seconds = (name: string): number | undefined => {
    const v = body[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw malformed(message('oauth.registration.bad_seconds', { endpoint: where, name }), res);
    return Math.floor(v);
  };
  const expires = seconds('client_secret_expires_at');
  if (secret !== undefined && expires !== undefined && expires > 0) out.client_secret_expires_at = expires;
  const issued = seconds('client_id_issued_at');
  if (issued !== undefined) out.client_id_issued_at = issued;
  const rat = body.registration_access_token;
  const uri = body.registration_client_uri;
  if (typeof rat === 'string' && rat !== '' && typeof uri === 'string' && /^https?:\/\//i.test(uri) && URL.canParse(uri)) {
    if (!B64TOKEN.test(rat)) throw malformed(message('oauth.registration.bad_access_token', { endpoint: where }), res);
    out.registration_access_token = rat;
    out.registration_client_uri = uri;
  }
  return out;
}

/** RFC 7592 §2.3 Client Delete Request: DELETE the client configuration URI with the registration access token. */
export async function clientDeleteRequest(http: HttpClient, registrationClientUri: string, registrationAccessToken: string): Promise<RawResponse> {
  if (!/^https?:\/\//i.test(registrationClientUri) || !URL.canParse(registrationClientUri)) {
    throw new HandoffError(message('oauth.registration.bad_client_uri'), { code: CODES.BAD_FILE });
  }
  return http.delete(registrationClientUri, { Authorization: bearer(registrationAccessToken, 'registration') });
}

/** RFC 7592 §2.3: 204 (any 2xx) means deleted; 401, 403 and other errors are PROVIDER_ERROR (the token is no longer good for it). */
export function processClientDeleteResponse(res: RawResponse): void {
  throwIfErrorResponse(res, endpointName('client_configuration', res.request.url));
}
