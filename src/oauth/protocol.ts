/**
 * The OAuth 2.0 protocol steps, in one module on purpose: src/oauth is loaded
 * on the `token` hot path, and every extra ES module costs about 1 ms of
 * process start-up (measured: 19 small modules +26 ms, the same code in one
 * file +7 ms, against a bare `node` at ~80 ms).
 *
 * One protocol step = a `…Request` that sends and returns the RawResponse,
 * and a `process…Response` that validates it and returns typed data or throws
 * a HandoffError (oauth4webapi's shape). Each cites its RFC section.
 */
import { createHash, randomBytes } from 'node:crypto';
import { CODES, HandoffError, type OAuthErrorDetail } from '../errors.js';
import type { ClientAuthMethod, ClientConfig, Endpoints, HttpClient, RawResponse, TokenSet } from './types.js';

/** The client authentication methods this toolkit speaks (RFC 8414 §2 names). */
export const CLIENT_AUTH_METHODS: readonly ClientAuthMethod[] = Object.freeze([
  'client_secret_basic',
  'client_secret_post',
  'none',
]);

// ─── Error mapping (RFC 6749 §5.2, RFC 6585 §4, RFC 9110 §10.2.3) ───
//
// One mapping for every endpoint:
// - `invalid_grant` (any status)                              → REAUTH_REQUIRED
// - 408, 429, 5xx, `temporarily_unavailable`, `server_error`  → PROVIDER_UNAVAILABLE (+ retryAfter)
// - any other OAuth error, other non-2xx, garbage 2xx         → PROVIDER_ERROR
// Server-sent text is cleaned (control characters, length) and anything that
// looks like a token is blanked before it goes into a message.

/** Longest error_description kept, in characters. */
export const MAX_DESCRIPTION_CHARS = 300;

const ERROR_LABELS: Record<string, string> = {
  invalid_request: 'the request was malformed or is missing a parameter',
  invalid_client: 'client authentication failed',
  unauthorized_client: 'the client is not allowed to use this grant type',
  unsupported_grant_type: 'the grant type is not supported',
  invalid_scope: 'the requested scope is invalid or exceeds what was granted',
  unsupported_token_type: 'the token type cannot be revoked',
  access_denied: 'access was denied',
  invalid_token: 'the token is invalid',
  temporarily_unavailable: 'the server is temporarily unavailable',
  server_error: 'the server had an internal error',
};

const TRANSIENT_ERRORS = new Set(['temporarily_unavailable', 'server_error']);

const GRANT_NAMES: Record<string, string> = {
  refresh_token: 'the refresh token',
  authorization_code: 'the authorization code',
  'urn:ietf:params:oauth:grant-type:device_code': 'the device code',
};

/** True for statuses worth retrying later: 408, 429 and 5xx. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}

/**
 * Seconds to wait, from `Retry-After` (delay-seconds or HTTP-date, RFC 9110
 * §10.2.3) or, failing that on a 429, `X-RateLimit-Reset` (Backlog sends epoch
 * seconds; a small value is taken as a delay). Relative to `res.receivedAt`.
 */
export function retryAfterSeconds(res: RawResponse): number | undefined {
  const header = res.headers['retry-after']?.trim();
  if (header) {
    if (/^\d+$/.test(header)) return Number(header);
    const at = Date.parse(header);
    if (!Number.isNaN(at)) return Math.max(0, Math.ceil((at - res.receivedAt) / 1000));
  }
  const reset = res.headers['x-ratelimit-reset']?.trim();
  if (res.status === 429 && reset && /^\d+$/.test(reset)) {
    const value = Number(reset);
    if (value < 1e9) return value; // a delay, not an epoch
    const epochSeconds = value > 1e12 ? Math.floor(value / 1000) : value;
    return Math.max(0, epochSeconds - Math.floor(res.receivedAt / 1000));
  }
  return undefined;
}

/** Remove control characters, blank token-like strings, cap the length. */
export function cleanServerText(text: string, max = MAX_DESCRIPTION_CHARS): string {
  let s = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').replace(/\s+/g, ' ').trim();
  // a server that echoes the token or secret back must not get it into our messages
  s = s.replace(/[A-Za-z0-9\-._~+/=]{20,}/g, (run) => (/\d/.test(run) && /[A-Za-z]/.test(run) ? '[redacted]' : run));
  if (s.length > max) s = `${s.slice(0, max - 1)}…`;
  return s;
}

function asObject(body: unknown): Record<string, unknown> | undefined {
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
}

/**
 * The HandoffError this response stands for, or undefined when it is a 2xx
 * without an `error` field. `endpoint` names it in messages ("the token endpoint").
 */
export function errorFromResponse(res: RawResponse, endpoint: string): HandoffError | undefined {
  const obj = asObject(res.body);
  const rawError = obj && typeof obj.error === 'string' && obj.error.trim() ? obj.error : undefined;
  const ok = res.status >= 200 && res.status <= 299;
  if (ok && rawError === undefined) return undefined;

  const oauth: OAuthErrorDetail = { status: res.status };
  const error = rawError === undefined ? undefined : cleanServerText(rawError, 80);
  if (error !== undefined) oauth.error = error;
  const description =
    obj && typeof obj.error_description === 'string' && obj.error_description.trim()
      ? cleanServerText(obj.error_description)
      : undefined;
  if (description !== undefined) oauth.error_description = description;
  const retryAfter = retryAfterSeconds(res);
  if (retryAfter !== undefined) oauth.retryAfter = retryAfter;
  const says = description ? `: ${description}` : '';

  if (error === 'invalid_grant') {
    const what = GRANT_NAMES[res.request.grantType ?? ''] ?? 'the grant';
    return new HandoffError(`${what} was rejected (invalid_grant)${says}`, { code: CODES.REAUTH_REQUIRED, oauth });
  }
  if (isTransientStatus(res.status) || (error !== undefined && TRANSIENT_ERRORS.has(error))) {
    const wait = retryAfter === undefined ? '' : `, retry after ${retryAfter} s`;
    const named = error === undefined ? '' : ` ${error}`;
    return new HandoffError(`${endpoint} is unavailable (HTTP ${res.status}${named}${wait})${says}`, {
      code: CODES.PROVIDER_UNAVAILABLE,
      oauth,
    });
  }
  if (error !== undefined) {
    const label = ERROR_LABELS[error] ?? 'the server returned an error';
    return new HandoffError(`${endpoint} answered ${error} (HTTP ${res.status}): ${label}${says}`, {
      code: CODES.PROVIDER_ERROR,
      oauth,
    });
  }
  const kind = res.status >= 300 && res.status <= 399 ? 'a redirect' : 'an error';
  return new HandoffError(`${endpoint} answered HTTP ${res.status} (${kind}) without an OAuth error`, {
    code: CODES.PROVIDER_ERROR,
    oauth,
  });
}

/** Throw the mapped error, if any. */
export function throwIfErrorResponse(res: RawResponse, endpoint: string): void {
  const err = errorFromResponse(res, endpoint);
  if (err) throw err;
}

/** The 2xx body as a JSON object, or PROVIDER_ERROR. Never quotes the body: it may hold a token. */
export function jsonObjectBody(res: RawResponse, endpoint: string): Record<string, unknown> {
  const obj = asObject(res.body);
  if (obj) return obj;
  const what = typeof res.body === 'string' ? (res.text.trim() ? 'a body that is not JSON' : 'an empty body') : 'JSON that is not an object';
  const type = res.headers['content-type'] ? ` (content-type ${cleanServerText(res.headers['content-type'], 60)})` : '';
  throw new HandoffError(`${endpoint} answered HTTP ${res.status} with ${what}${type}`, {
    code: CODES.PROVIDER_ERROR,
    oauth: { status: res.status },
  });
}

/** A PROVIDER_ERROR about a malformed but successful response. */
export function malformed(message: string, res: RawResponse): HandoffError {
  return new HandoffError(message, { code: CODES.PROVIDER_ERROR, oauth: { status: res.status } });
}

// ─── Client authentication (RFC 6749 §2.3) ───

/**
 * RFC 6749 §2.3.1 / Appendix B: the id and secret are each
 * application/x-www-form-urlencoded before they are joined with ":" and
 * base64-encoded, so a ":" or non-ASCII character in either survives.
 */
export function formUrlEncode(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1);
}

/** The `Authorization: Basic …` value for client_secret_basic (RFC 6749 §2.3.1). */
export function basicAuthorization(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${formUrlEncode(id)}:${formUrlEncode(secret)}`, 'utf8').toString('base64')}`;
}

/**
 * Add the client's credentials to a request to an endpoint that authenticates
 * clients. Returns a new form and the headers to send; the inputs are untouched.
 *
 * - client_secret_basic: HTTP Basic, nothing in the body (RFC 6749 §2.3.1)
 * - client_secret_post: client_id and client_secret in the body (RFC 6749 §2.3.1)
 * - none: client_id in the body (RFC 6749 §3.2.1, public clients)
 */
export function applyClientAuth(
  client: ClientConfig,
  form: Record<string, string>,
): { form: Record<string, string>; headers: Record<string, string> } {
  if (typeof client?.id !== 'string' || client.id === '') {
    throw new HandoffError('the client id is missing', { code: CODES.USAGE });
  }
  if (!CLIENT_AUTH_METHODS.includes(client.auth_method)) {
    throw new HandoffError(
      `unknown client authentication method "${String(client.auth_method)}" (expected ${CLIENT_AUTH_METHODS.join(', ')})`,
      { code: CODES.USAGE },
    );
  }
  if (client.auth_method === 'none') {
    return { form: { ...form, client_id: client.id }, headers: {} };
  }
  if (typeof client.secret !== 'string' || client.secret === '') {
    throw new HandoffError(`client authentication ${client.auth_method} needs a client secret, and none is set`, {
      code: CODES.USAGE,
    });
  }
  if (client.auth_method === 'client_secret_post') {
    return { form: { ...form, client_id: client.id, client_secret: client.secret }, headers: {} };
  }
  return { form: { ...form }, headers: { Authorization: basicAuthorization(client.id, client.secret) } };
}

// ─── The token endpoint (RFC 6749 §4.1.3, §5, §6) ───

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

/** RFC 6749 §6 Refreshing an Access Token. */
export async function refreshTokenGrantRequest(
  http: HttpClient,
  endpoints: Endpoints,
  client: ClientConfig,
  refreshToken: string,
  opts: { scope?: string } = {},
): Promise<RawResponse> {
  if (typeof refreshToken !== 'string' || refreshToken === '') {
    throw new HandoffError('there is no refresh token to use', { code: CODES.REAUTH_REQUIRED });
  }
  const form: Record<string, string> = { grant_type: GRANT_REFRESH_TOKEN, refresh_token: refreshToken };
  if (opts.scope) form.scope = opts.scope;
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
  params: { code: string; redirectUri: string; codeVerifier?: string },
): Promise<RawResponse> {
  if (typeof params?.code !== 'string' || params.code === '') {
    throw new HandoffError('the authorization code is missing', { code: CODES.USAGE });
  }
  if (typeof params.redirectUri !== 'string' || params.redirectUri === '') {
    throw new HandoffError('the redirect URI is missing', { code: CODES.USAGE });
  }
  const form: Record<string, string> = {
    grant_type: GRANT_AUTHORIZATION_CODE,
    code: params.code,
    redirect_uri: params.redirectUri,
  };
  if (params.codeVerifier) form.code_verifier = params.codeVerifier;
  return tokenEndpointRequest(http, endpoints, client, form);
}

/**
 * RFC 6749 §5.1 Successful Response / §5.2 Error Response. Returns the tokens
 * or throws: REAUTH_REQUIRED for invalid_grant, PROVIDER_UNAVAILABLE for
 * 5xx / 429, PROVIDER_ERROR for other errors and for a 2xx that lacks
 * access_token or token_type, or whose token_type is not Bearer (RFC 6750).
 */
export function processTokenResponse(res: RawResponse): TokenSet {
  const where = `the token endpoint ${res.request.url}`;
  throwIfErrorResponse(res, where);
  const body = jsonObjectBody(res, where);
  return tokenSetFromBody(body, res, where);
}

/** Validate a §5.1 body; shared with the device grant (RFC 8628 §3.5). */
export function tokenSetFromBody(body: Record<string, unknown>, res: RawResponse, where: string): TokenSet {
  const accessToken = body.access_token;
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw malformed(`${where} answered HTTP ${res.status} without an access_token`, res);
  }
  const tokenType = body.token_type;
  if (typeof tokenType !== 'string' || tokenType === '') {
    throw malformed(`${where} answered HTTP ${res.status} without a token_type`, res);
  }
  if (tokenType.toLowerCase() !== 'bearer') {
    const shown = tokenType.length <= 20 ? `"${tokenType.replace(/[^\x20-\x7e]/g, '?')}"` : 'an unknown value';
    throw malformed(`${where} issued a token of type ${shown}; only Bearer tokens are supported`, res);
  }
  const tokens: TokenSet = { access_token: accessToken, token_type: 'Bearer', raw: body };

  const expiresIn = optionalNumber(body.expires_in);
  if (expiresIn === 'invalid') throw malformed(`${where} sent an expires_in that is not a non-negative number`, res);
  if (expiresIn !== undefined) tokens.expires_in = expiresIn;

  const refresh = body.refresh_token;
  if (refresh !== undefined && refresh !== null && refresh !== '') {
    if (typeof refresh !== 'string') throw malformed(`${where} sent a refresh_token that is not a string`, res);
    tokens.refresh_token = refresh;
  }
  const scope = body.scope;
  if (scope !== undefined && scope !== null) {
    if (typeof scope !== 'string') throw malformed(`${where} sent a scope that is not a string`, res);
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
export function requireEndpoint(url: string | undefined, name: string): string {
  if (typeof url !== 'string' || url === '') {
    throw new HandoffError(`no ${name} endpoint is configured`, { code: CODES.USAGE });
  }
  return url;
}

// ─── Token revocation (RFC 7009) ───

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
    throw new HandoffError('there is no token to revoke', { code: CODES.USAGE });
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
  throwIfErrorResponse(res, `the revocation endpoint ${res.request.url}`);
}

// ─── Device authorization grant (RFC 8628) ───

/** RFC 8628 §3.4 grant type. */
export const GRANT_DEVICE_CODE = 'urn:ietf:params:oauth:grant-type:device_code';
/** RFC 8628 §3.2: the polling interval when the server names none, in seconds. */
export const DEFAULT_DEVICE_INTERVAL_SECONDS = 5;
/** RFC 8628 §3.5: seconds added to the interval on every slow_down. */
export const SLOW_DOWN_INCREMENT_SECONDS = 5;

/** RFC 8628 §3.2 Device Authorization Response. */
export interface DeviceAuthorization {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete?: string;
  expires_in: number;
  /** seconds between polls (default 5) */
  interval: number;
  raw: Record<string, unknown>;
}

/** RFC 8628 §3.5: what one poll of the token endpoint came to. */
export type DeviceCodeOutcome =
  | { status: 'success'; tokens: TokenSet }
  /** the user has not finished yet: poll again after `interval` */
  | { status: 'authorization_pending' }
  /** poll again, with the interval increased by 5 s for this and all later polls */
  | { status: 'slow_down' }
  /** the device code expired: start over */
  | { status: 'expired_token'; error_description?: string }
  /** the user refused */
  | { status: 'access_denied'; error_description?: string };

/** RFC 8628 §3.1 Device Authorization Request. */
export async function deviceAuthorizationRequest(
  http: HttpClient,
  endpoints: Endpoints,
  client: ClientConfig,
  opts: { scope?: string } = {},
): Promise<RawResponse> {
  const url = requireEndpoint(endpoints?.device_authorization, 'device authorization');
  const form: Record<string, string> = {};
  if (opts.scope) form.scope = opts.scope;
  const auth = applyClientAuth(client, form);
  return http.post(url, auth.form, auth.headers);
}

/** RFC 8628 §3.2 Device Authorization Response (errors as RFC 6749 §5.2). */
export function processDeviceAuthorizationResponse(res: RawResponse): DeviceAuthorization {
  const where = `the device authorization endpoint ${res.request.url}`;
  throwIfErrorResponse(res, where);
  const body = jsonObjectBody(res, where);
  const str = (name: string): string | undefined =>
    typeof body[name] === 'string' && body[name] !== '' ? (body[name] as string) : undefined;
  const deviceCode = str('device_code');
  const userCode = str('user_code');
  // "verification_url" is what some early implementations send
  const verificationUri = str('verification_uri') ?? str('verification_url');
  if (!deviceCode || !userCode || !verificationUri) {
    throw malformed(`${where} did not send device_code, user_code and verification_uri`, res);
  }
  if (!/^https?:\/\//i.test(verificationUri)) throw malformed(`${where} sent a verification_uri that is not a URL`, res);
  const expiresIn = Number(body.expires_in);
  if (!Number.isFinite(expiresIn) || expiresIn <= 0) throw malformed(`${where} sent no valid expires_in`, res);
  const intervalRaw = body.interval;
  const interval =
    intervalRaw === undefined || intervalRaw === null ? DEFAULT_DEVICE_INTERVAL_SECONDS : Number(intervalRaw);
  if (!Number.isFinite(interval) || interval < 0) throw malformed(`${where} sent an invalid interval`, res);
  const result: DeviceAuthorization = {
    device_code: deviceCode,
    user_code: userCode,
    verification_uri: verificationUri,
    expires_in: Math.floor(expiresIn),
    interval: Math.max(1, Math.ceil(interval)),
    raw: body,
  };
  const complete = str('verification_uri_complete') ?? str('verification_url_complete');
  if (complete && /^https?:\/\//i.test(complete)) result.verification_uri_complete = complete;
  return result;
}

/** RFC 8628 §3.4 Device Access Token Request. */
export async function deviceCodeGrantRequest(
  http: HttpClient,
  endpoints: Endpoints,
  client: ClientConfig,
  deviceCode: string,
): Promise<RawResponse> {
  if (typeof deviceCode !== 'string' || deviceCode === '') {
    throw new HandoffError('the device code is missing', { code: CODES.USAGE });
  }
  return tokenEndpointRequest(http, endpoints, client, { grant_type: GRANT_DEVICE_CODE, device_code: deviceCode });
}

const PENDING_OUTCOMES = new Set(['authorization_pending', 'slow_down', 'expired_token', 'access_denied']);

/**
 * RFC 8628 §3.5 Device Access Token Response: the four polling errors come
 * back as outcomes; everything else is processed as a token response
 * (RFC 6749 §5.1 / §5.2, same error mapping as processTokenResponse).
 */
export function processDeviceCodeResponse(res: RawResponse): DeviceCodeOutcome {
  const where = `the token endpoint ${res.request.url}`;
  const body = res.body;
  const error =
    body !== null && typeof body === 'object' && typeof (body as { error?: unknown }).error === 'string'
      ? (body as { error: string }).error
      : undefined;
  if (error !== undefined && PENDING_OUTCOMES.has(error) && res.status >= 400 && res.status <= 499) {
    const rawDescription = (body as { error_description?: unknown }).error_description;
    const description = typeof rawDescription === 'string' && rawDescription ? cleanServerText(rawDescription) : undefined;
    if (error === 'authorization_pending' || error === 'slow_down') return { status: error };
    return { status: error as 'expired_token' | 'access_denied', ...(description ? { error_description: description } : {}) };
  }
  throwIfErrorResponse(res, where);
  return { status: 'success', tokens: tokenSetFromBody(jsonObjectBody(res, where), res, where) };
}

// ─── Authorization server metadata (RFC 8414, OpenID Connect Discovery 1.0) ───

/** RFC 8414 §3 well-known URI suffix. */
export const OAUTH_METADATA_SUFFIX = 'oauth-authorization-server';
/** OpenID Connect Discovery 1.0 §4 well-known URI suffix. */
export const OPENID_METADATA_SUFFIX = 'openid-configuration';

export type MetadataKind = typeof OAUTH_METADATA_SUFFIX | typeof OPENID_METADATA_SUFFIX;

/** RFC 8414 §2 (the fields this toolkit uses; everything else stays in `raw`). */
export interface ServerMetadata {
  issuer: string;
  authorization_endpoint?: string;
  token_endpoint: string;
  revocation_endpoint?: string;
  device_authorization_endpoint?: string;
  scopes_supported?: string[];
  response_types_supported?: string[];
  grant_types_supported?: string[];
  token_endpoint_auth_methods_supported?: string[];
  code_challenge_methods_supported?: string[];
  /** RFC 9207 */
  authorization_response_iss_parameter_supported?: boolean;
  /** where the document was found */
  metadataUrl: string;
  raw: Record<string, unknown>;
}

function parseIssuer(issuer: string): URL {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new HandoffError('the issuer is not an absolute URL', { code: CODES.USAGE });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new HandoffError(`the issuer has an unsupported scheme "${url.protocol}"`, { code: CODES.USAGE });
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new HandoffError('the issuer must not have a query, fragment, or credentials (RFC 8414 §2)', {
      code: CODES.USAGE,
    });
  }
  return url;
}

/**
 * The metadata URL for an issuer. RFC 8414 §3.1 inserts the well-known part
 * between host and path; OpenID Connect Discovery §4.1 appends it to the issuer.
 */
export function metadataUrl(issuer: string, kind: MetadataKind): string {
  const url = parseIssuer(issuer);
  const path = url.pathname.replace(/\/+$/, '');
  return kind === OAUTH_METADATA_SUFFIX
    ? `${url.origin}/.well-known/${kind}${path}`
    : `${url.origin}${path}/.well-known/${kind}`;
}

/** RFC 8414 §3.1 / OpenID Discovery §4.1 metadata request. */
export async function discoveryRequest(http: HttpClient, issuer: string, kind: MetadataKind): Promise<RawResponse> {
  return http.get(metadataUrl(issuer, kind));
}

function sameIssuer(a: string, b: string): boolean {
  return a === b || a.replace(/\/$/, '') === b.replace(/\/$/, '');
}

/**
 * RFC 8414 §3.2 metadata response and §3.3 validation: a JSON object whose
 * `issuer` is the one asked for (a trailing "/" aside), with a token endpoint
 * and http(s) URLs.
 */
export function processDiscoveryResponse(res: RawResponse, issuer: string): ServerMetadata {
  const where = `the metadata document ${res.request.url}`;
  throwIfErrorResponse(res, where);
  const body = jsonObjectBody(res, where);
  if (typeof body.issuer !== 'string' || !sameIssuer(body.issuer, issuer)) {
    throw malformed(`${where} is for a different issuer than ${issuer} (RFC 8414 §3.3)`, res);
  }
  const url = (name: string, required: boolean): string | undefined => {
    const value = body[name];
    if (value === undefined || value === null) {
      if (required) throw malformed(`${where} has no ${name}`, res);
      return undefined;
    }
    if (typeof value !== 'string' || !/^https?:\/\//i.test(value) || !URL.canParse(value)) {
      throw malformed(`${where} has a ${name} that is not an http(s) URL`, res);
    }
    return value;
  };
  const list = (name: string): string[] | undefined => {
    const value = body[name];
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;
  };
  const meta: ServerMetadata = {
    issuer: body.issuer,
    token_endpoint: url('token_endpoint', true) as string,
    metadataUrl: res.request.url,
    raw: body,
  };
  const optional = {
    authorization_endpoint: url('authorization_endpoint', false),
    revocation_endpoint: url('revocation_endpoint', false),
    device_authorization_endpoint: url('device_authorization_endpoint', false),
    scopes_supported: list('scopes_supported'),
    response_types_supported: list('response_types_supported'),
    grant_types_supported: list('grant_types_supported'),
    token_endpoint_auth_methods_supported: list('token_endpoint_auth_methods_supported'),
    code_challenge_methods_supported: list('code_challenge_methods_supported'),
    authorization_response_iss_parameter_supported:
      typeof body.authorization_response_iss_parameter_supported === 'boolean'
        ? body.authorization_response_iss_parameter_supported
        : undefined,
  };
  for (const [k, v] of Object.entries(optional)) {
    if (v !== undefined) (meta as unknown as Record<string, unknown>)[k] = v;
  }
  return meta;
}

/**
 * RFC 8414 §3 discovery, then OpenID Connect Discovery 1.0 §4 when the first
 * has no valid document. A network failure is thrown at once (the same host
 * serves both); if both documents fail, PROVIDER_UNAVAILABLE when either
 * failure was transient, else PROVIDER_ERROR naming both.
 */
export async function discover(http: HttpClient, issuer: string): Promise<ServerMetadata> {
  parseIssuer(issuer);
  const failures: HandoffError[] = [];
  for (const kind of [OAUTH_METADATA_SUFFIX, OPENID_METADATA_SUFFIX] as const) {
    const res = await discoveryRequest(http, issuer, kind);
    try {
      return processDiscoveryResponse(res, issuer);
    } catch (e) {
      if (!(e instanceof HandoffError)) throw e;
      failures.push(e);
    }
  }
  const transient = failures.find((f) => f.code === CODES.PROVIDER_UNAVAILABLE);
  if (transient) throw transient;
  throw new HandoffError(
    `no usable authorization server metadata for ${issuer}: ${failures.map((f) => f.message).join('; ')}`,
    { code: CODES.PROVIDER_ERROR, cause: failures[failures.length - 1] },
  );
}

/** The endpoints a metadata document names. */
export function endpointsFromMetadata(meta: ServerMetadata): Endpoints {
  const endpoints: Endpoints = { token: meta.token_endpoint, issuer: meta.issuer };
  if (meta.authorization_endpoint) endpoints.authorization = meta.authorization_endpoint;
  if (meta.revocation_endpoint) endpoints.revocation = meta.revocation_endpoint;
  if (meta.device_authorization_endpoint) endpoints.device_authorization = meta.device_authorization_endpoint;
  return endpoints;
}

// ─── PKCE (RFC 7636) and state (RFC 6749 §10.12) ───

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
    throw new HandoffError('a PKCE code verifier must be 43 to 128 unreserved characters (RFC 7636 §4.1)', {
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

// ─── The front channel (RFC 6749 §4.1.1, §4.1.2) ───

/** Parameters buildAuthorizationUrl sets itself; `extra` may not override them. */
export const RESERVED_AUTHORIZATION_PARAMS: readonly string[] = Object.freeze([
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
]);

export interface AuthorizationUrlParams {
  clientId: string;
  redirectUri: string;
  /** space-separated (RFC 6749 §3.3) */
  scope?: string;
  state?: string;
  pkce?: { challenge: string; method: 'S256' | 'plain' };
  /** anything else the server wants (prompt, login_hint, resource…) */
  extra?: Record<string, string>;
}

/**
 * RFC 6749 §4.1.1 Authorization Request (+ RFC 7636 §4.3 code_challenge).
 * A query already in the endpoint URL is kept (§3.1). Values are
 * percent-encoded with %20 for spaces, which every server decodes.
 */
export function buildAuthorizationUrl(endpoints: Endpoints, params: AuthorizationUrlParams): string {
  const base = endpoints?.authorization;
  if (typeof base !== 'string' || base === '') {
    throw new HandoffError('no authorization endpoint is configured', { code: CODES.USAGE });
  }
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new HandoffError('the authorization endpoint is not an absolute URL', { code: CODES.USAGE });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new HandoffError(`the authorization endpoint has an unsupported scheme "${url.protocol}"`, {
      code: CODES.USAGE,
    });
  }
  if (!params?.clientId) throw new HandoffError('the client id is missing', { code: CODES.USAGE });
  if (!params.redirectUri) throw new HandoffError('the redirect URI is missing', { code: CODES.USAGE });

  const pairs: [string, string][] = [
    ['response_type', 'code'],
    ['client_id', params.clientId],
    ['redirect_uri', params.redirectUri],
  ];
  if (params.scope) pairs.push(['scope', params.scope]);
  if (params.state) pairs.push(['state', params.state]);
  if (params.pkce) {
    pairs.push(['code_challenge', params.pkce.challenge], ['code_challenge_method', params.pkce.method]);
  }
  for (const [name, value] of Object.entries(params.extra ?? {})) {
    if (RESERVED_AUTHORIZATION_PARAMS.includes(name)) {
      throw new HandoffError(`the extra authorization parameter "${name}" would override one set from the options`, {
        code: CODES.USAGE,
      });
    }
    pairs.push([name, value]);
  }
  const existing = url.search.replace(/^\?/, '');
  const added = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  url.search = existing ? `${existing}&${added}` : added;
  return url.toString();
}

export interface AuthorizationResponseExpectation {
  /** the `state` sent in the request; compared when given */
  state?: string;
  /** accept a response without `state` (Redmine's OOB page, a bare pasted code) */
  allowMissingState: boolean;
  /** when given as an http(s) URL, a pasted full URL must lead to it (origin and path) */
  redirectUri?: string;
  /** when given, an `iss` parameter must equal it (RFC 9207) */
  issuer?: string;
}

export interface AuthorizationResponse {
  code: string;
  state?: string;
}

const AUTHORIZATION_ERROR_LABELS: Record<string, string> = {
  access_denied: 'the authorization was denied',
  invalid_request: 'the authorization request was malformed',
  unauthorized_client: 'the client may not request an authorization code',
  unsupported_response_type: 'the server does not issue authorization codes to this client',
  invalid_scope: 'the requested scope is invalid or unknown',
  server_error: 'the authorization server had an internal error',
  temporarily_unavailable: 'the authorization server is temporarily unavailable',
};

function usage(message: string): HandoffError {
  return new HandoffError(message, { code: CODES.USAGE });
}

/**
 * RFC 6749 §4.1.2 Authorization Response and §4.1.2.1 Error Response, from what
 * the user pasted or the loopback listener received: a full redirect URL, its
 * query string (with or without "?"), or a bare code.
 *
 * Throws USAGE for input that is none of those, a state mismatch, or a missing
 * state (unless allowMissingState); ABORTED for access_denied;
 * PROVIDER_UNAVAILABLE for server_error / temporarily_unavailable;
 * PROVIDER_ERROR for the other errors and an `iss` mismatch (RFC 9207).
 */
export function parseAuthorizationResponse(
  input: string,
  expect: AuthorizationResponseExpectation,
): AuthorizationResponse {
  const text = typeof input === 'string' ? input.trim() : '';
  if (text === '') {
    throw usage('nothing was given: expected the redirect URL, its query string, or the authorization code');
  }

  let params: URLSearchParams;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw usage('the input looks like a URL but cannot be parsed');
    }
    params = url.searchParams;
    if (!params.has('code') && !params.has('error') && url.hash.length > 1) {
      params = new URLSearchParams(url.hash.slice(1));
    }
    if (!params.has('code') && !params.has('error')) {
      if (params.has('response_type') && params.has('client_id')) {
        throw usage('this is the authorization request URL, not the redirect that follows the approval');
      }
      throw usage('the URL has no "code" or "error" parameter');
    }
    checkRedirectTarget(url, expect.redirectUri);
  } else if (text.startsWith('?') || /(?:^|&)(?:code|error|state)=/.test(text)) {
    params = new URLSearchParams(text.replace(/^\?/, ''));
  } else {
    if (!/^[\x21-\x7e]+$/.test(text)) {
      throw usage('the input is not an authorization code, a redirect URL, or a query string');
    }
    return checkState({ code: text }, expect, 'a bare code carries no state to check; the whole redirect URL is needed');
  }

  for (const name of ['code', 'state', 'error', 'iss']) {
    if (params.getAll(name).length > 1) throw usage(`the response repeats the "${name}" parameter`);
  }
  const state = params.get('state') || undefined;
  const iss = params.get('iss');
  if (expect.issuer !== undefined && iss !== null && iss !== expect.issuer) {
    throw new HandoffError('the response names a different issuer than the one this request was sent to (RFC 9207)', {
      code: CODES.PROVIDER_ERROR,
    });
  }
  const error = params.get('error');
  if (error) {
    // a foreign error is reported as foreign; an error without state is still the user's answer
    if (state !== undefined) checkState({ code: '', state }, expect, '');
    throw authorizationError(error, params.get('error_description'));
  }
  const checked = checkState(
    { code: '', ...(state === undefined ? {} : { state }) },
    expect,
    'the response has no "state" parameter',
  );

  const code = params.get('code');
  if (!code) throw usage('the response has an empty "code" parameter');
  return { ...checked, code };
}

function checkRedirectTarget(url: URL, redirectUri: string | undefined): void {
  if (!redirectUri || !/^https?:\/\//i.test(redirectUri)) return;
  let expected: URL;
  try {
    expected = new URL(redirectUri);
  } catch {
    return;
  }
  const samePath = (a: string) => a.replace(/\/+$/, '') || '/';
  if (url.origin !== expected.origin || samePath(url.pathname) !== samePath(expected.pathname)) {
    throw usage(`the URL does not lead to the redirect URI ${expected.origin}${expected.pathname}`);
  }
}

function checkState(
  response: AuthorizationResponse,
  expect: AuthorizationResponseExpectation,
  missingMessage: string,
): AuthorizationResponse {
  if (expect.state === undefined) return response;
  if (response.state === undefined) {
    if (expect.allowMissingState) return response;
    throw usage(missingMessage);
  }
  if (response.state !== expect.state) {
    throw usage('the state in the response does not match this authorization request (a stale or foreign redirect)');
  }
  return response;
}

function authorizationError(error: string, description: string | null): HandoffError {
  const name = cleanServerText(error, 80);
  const says = description ? `: ${cleanServerText(description)}` : '';
  const oauth = { error: name, ...(description ? { error_description: cleanServerText(description) } : {}) };
  const label = AUTHORIZATION_ERROR_LABELS[name] ?? 'the authorization server returned an error';
  const code =
    name === 'access_denied'
      ? CODES.ABORTED
      : name === 'server_error' || name === 'temporarily_unavailable'
        ? CODES.PROVIDER_UNAVAILABLE
        : CODES.PROVIDER_ERROR;
  return new HandoffError(`${label} (${name})${says}`, { code, oauth });
}
