/**
 * Device authorization grant (RFC 8628).
 */
import { CODES, HandoffError } from '../errors.js';
import { applyClientAuth } from './client-auth.js';
import { cleanServerText, endpointName, jsonObjectBody, malformed, throwIfErrorResponse } from './error-mapping.js';
import { requireEndpoint, tokenEndpointRequest, tokenSetFromBody } from './token.js';
import type { ClientConfig, Endpoints, HttpClient, RawResponse, TokenSet } from './types.js';
import { message } from '../i18n/index.js';

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
  opts: { scope?: string; resource?: string } = {},
): Promise<RawResponse> {
  const url = requireEndpoint(endpoints?.device_authorization, 'device authorization');
  const form: Record<string, string> = {};
  if (opts.scope) form.scope = opts.scope;
  if (opts.resource) form.resource = opts.resource; // RFC 8707 §2.1
  const auth = applyClientAuth(client, form);
  return http.post(url, auth.form, auth.headers);
}

/** RFC 8628 §3.2 Device Authorization Response (errors as RFC 6749 §5.2). */
export function processDeviceAuthorizationResponse(res: RawResponse): DeviceAuthorization {
  const where = endpointName('device', res.request.url);
  throwIfErrorResponse(res, where);
  const body = jsonObjectBody(res, where);
  const str = (name: string): string | undefined =>
    typeof body[name] === 'string' && body[name] !== '' ? (body[name] as string) : undefined;
  const deviceCode = str('device_code');
  const userCode = str('user_code');
  // "verification_url" is what some early implementations send
  const verificationUri = str('verification_uri') ?? str('verification_url');
  if (!deviceCode || !userCode || !verificationUri) {
    throw malformed(message('oauth.device.incomplete', { endpoint: where }), res);
  }
  if (!/^https?:\/\//i.test(verificationUri)) throw malformed(message('oauth.device.bad_verification_uri', { endpoint: where }), res);
  const expiresIn = Number(body.expires_in);
  if (!Number.isFinite(expiresIn) || expiresIn <= 0) throw malformed(message('oauth.device.bad_expires_in', { endpoint: where }), res);
  const intervalRaw = body.interval;
  const interval =
    intervalRaw === undefined || intervalRaw === null ? DEFAULT_DEVICE_INTERVAL_SECONDS : Number(intervalRaw);
  if (!Number.isFinite(interval) || interval < 0) throw malformed(message('oauth.device.bad_interval', { endpoint: where }), res);
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
  opts: { resource?: string } = {},
): Promise<RawResponse> {
  if (typeof deviceCode !== 'string' || deviceCode === '') {
    throw new HandoffError(message('oauth.device.code_missing'), { code: CODES.USAGE });
  }
  const form: Record<string, string> = { grant_type: GRANT_DEVICE_CODE, device_code: deviceCode };
  if (opts.resource) form.resource = opts.resource; // RFC 8707 §2.2
  return tokenEndpointRequest(http, endpoints, client, form);
}

const PENDING_OUTCOMES = new Set(['authorization_pending', 'slow_down', 'expired_token', 'access_denied']);

/**
 * RFC 8628 §3.5 Device Access Token Response: the four polling errors come
 * back as outcomes; everything else is processed as a token response
 * (RFC 6749 §5.1 / §5.2, same error mapping as processTokenResponse).
 */
export function processDeviceCodeResponse(res: RawResponse): DeviceCodeOutcome {
  const where = endpointName('token', res.request.url);
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
