/**
 * Error mapping (RFC 6749 §5.2, RFC 6585 §4, RFC 9110 §10.2.3), one for every endpoint:
 * - `invalid_grant` (any status)                              → REAUTH_REQUIRED
 * - 408, 429, 5xx, `temporarily_unavailable`, `server_error`  → PROVIDER_UNAVAILABLE (+ retryAfter)
 * - any other OAuth error, other non-2xx, garbage 2xx         → PROVIDER_ERROR
 * Server-sent text is cleaned (control characters, length) and anything that
 * looks like a token is blanked before it goes into a message.
 */
import { CODES, HandoffError, type OAuthErrorDetail } from '../errors.js';
import type { RawResponse } from './types.js';

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
  invalid_redirect_uri: 'the server refused the redirect URI of the client registration',
  invalid_client_metadata: 'the server refused the client registration metadata',
  invalid_target: 'the resource is invalid, unknown, or not allowed for this client (RFC 8707)',
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

export function asObject(body: unknown): Record<string, unknown> | undefined {
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
