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
import { message } from '../i18n/index.js';
import type { Message, MessageKey, NestedMessage } from '../i18n/index.js';

/** Longest error_description kept, in characters. */
export const MAX_DESCRIPTION_CHARS = 300;

const ERROR_LABELS: Record<string, MessageKey> = {
  invalid_request: 'oauth.label.invalid_request',
  invalid_client: 'oauth.label.invalid_client',
  unauthorized_client: 'oauth.label.unauthorized_client',
  unsupported_grant_type: 'oauth.label.unsupported_grant_type',
  invalid_scope: 'oauth.label.invalid_scope',
  unsupported_token_type: 'oauth.label.unsupported_token_type',
  access_denied: 'oauth.label.access_denied',
  invalid_token: 'oauth.label.invalid_token',
  temporarily_unavailable: 'oauth.label.temporarily_unavailable',
  server_error: 'oauth.label.server_error',
  invalid_redirect_uri: 'oauth.label.invalid_redirect_uri',
  invalid_client_metadata: 'oauth.label.invalid_client_metadata',
  invalid_target: 'oauth.label.invalid_target',
};

const TRANSIENT_ERRORS = new Set(['temporarily_unavailable', 'server_error']);

/** keys, made into messages only for an error (making one reads the catalog) */
const GRANT_NAMES: Readonly<Record<string, Extract<MessageKey, `oauth.grant.${string}`>>> = {
  refresh_token: 'oauth.grant.refresh_token',
  authorization_code: 'oauth.grant.authorization_code',
  'urn:ietf:params:oauth:grant-type:device_code': 'oauth.grant.device_code',
};

/** Which endpoint a response came from: a noun phrase for messages ("the token endpoint URL"). */
export type EndpointKind = 'token' | 'device' | 'revocation' | 'registration' | 'client_configuration' | 'metadata' | 'resource_metadata';

export function endpointName(kind: EndpointKind, url: string): Message {
  return message(`oauth.endpoint.${kind}`, { url });
}

/** A HandoffError's message as a placeholder value (rendered in the reader's language when it has a key). */
export function nestedMessage(e: HandoffError): NestedMessage {
  return { key: e.key ?? '', ...(e.params ? { params: e.params } : {}), text: e.message };
}

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
export function errorFromResponse(res: RawResponse, endpoint: Message): HandoffError | undefined {
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
  if (error === 'invalid_grant') {
    const grant = message(GRANT_NAMES[res.request.grantType ?? ''] ?? 'oauth.grant.other');
    const text = description
      ? message('oauth.response.invalid_grant_described', { grant, description })
      : message('oauth.response.invalid_grant', { grant });
    return new HandoffError(text, { code: CODES.REAUTH_REQUIRED, oauth });
  }
  if (isTransientStatus(res.status) || (error !== undefined && TRANSIENT_ERRORS.has(error))) {
    const http = error === undefined ? `HTTP ${res.status}` : `HTTP ${res.status} ${error}`;
    const text =
      retryAfter === undefined
        ? description
          ? message('oauth.response.unavailable_described', { endpoint, http, description })
          : message('oauth.response.unavailable', { endpoint, http })
        : description
          ? message('oauth.response.unavailable_retry_described', { endpoint, http, seconds: retryAfter, description })
          : message('oauth.response.unavailable_retry', { endpoint, http, seconds: retryAfter });
    return new HandoffError(text, { code: CODES.PROVIDER_UNAVAILABLE, oauth });
  }
  if (error !== undefined) {
    // every label is a sentence without placeholders
    const label = message((ERROR_LABELS[error] ?? 'oauth.label.other') as 'oauth.label.other');
    const status = res.status;
    const text = description
      ? message('oauth.response.error_described', { endpoint, error, status, label, description })
      : message('oauth.response.error', { endpoint, error, status, label });
    return new HandoffError(text, { code: CODES.PROVIDER_ERROR, oauth });
  }
  const redirect = res.status >= 300 && res.status <= 399;
  const text = message(redirect ? 'oauth.response.redirect_without_error' : 'oauth.response.status_without_error', { endpoint, status: res.status });
  return new HandoffError(text, { code: CODES.PROVIDER_ERROR, oauth });
}

/** Throw the mapped error, if any. */
export function throwIfErrorResponse(res: RawResponse, endpoint: Message): void {
  const err = errorFromResponse(res, endpoint);
  if (err) throw err;
}

/** The 2xx body as a JSON object, or PROVIDER_ERROR. Never quotes the body: it may hold a token. */
export function jsonObjectBody(res: RawResponse, endpoint: Message): Record<string, unknown> {
  const obj = asObject(res.body);
  if (obj) return obj;
  const kind = typeof res.body === 'string' ? (res.text.trim() ? 'not_json' : 'empty') : 'not_object';
  const contentType = res.headers['content-type'];
  const status = res.status;
  const text =
    contentType
      ? message(`oauth.response.${kind}_typed`, { endpoint, status, type: cleanServerText(contentType, 60) })
      : message(`oauth.response.${kind}`, { endpoint, status });
  throw new HandoffError(text, { code: CODES.PROVIDER_ERROR, oauth: { status: res.status } });
}

/** A PROVIDER_ERROR about a malformed but successful response. */
export function malformed(text: Message, res: RawResponse): HandoffError {
  return new HandoffError(text, { code: CODES.PROVIDER_ERROR, oauth: { status: res.status } });
}
