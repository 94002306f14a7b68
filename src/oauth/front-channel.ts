/**
 * The front channel (RFC 6749 §4.1.1, §4.1.2).
 */
import { CODES, HandoffError } from '../errors.js';
import { cleanServerText } from './error-mapping.js';
import type { Endpoints } from './types.js';
import { message } from '../i18n/index.js';
import type { Message, MessageKey } from '../i18n/index.js';

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
  /** RFC 8707 §2.1 resource indicator */
  resource?: string;
  /** anything else the server wants (prompt, login_hint, resource…) */
  extra?: Record<string, string>;
}

/**
 * RFC 6749 §4.1.1 Authorization Request (+ RFC 7636 §4.3 code_challenge, RFC 8707 §2.1 resource).
 * A query already in the endpoint URL is kept (§3.1). Values are
 * percent-encoded with %20 for spaces, which every server decodes.
 */
export function buildAuthorizationUrl(endpoints: Endpoints, params: AuthorizationUrlParams): string {
  const base = endpoints?.authorization;
  if (typeof base !== 'string' || base === '') {
    throw new HandoffError(message('oauth.authorize.no_endpoint'), { code: CODES.USAGE });
  }
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new HandoffError(message('oauth.authorize.not_absolute'), { code: CODES.USAGE });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new HandoffError(message('oauth.authorize.scheme', { scheme: url.protocol }), {
      code: CODES.USAGE,
    });
  }
  if (!params?.clientId) throw new HandoffError(message('oauth.client.id_missing'), { code: CODES.USAGE });
  if (!params.redirectUri) throw new HandoffError(message('oauth.token.redirect_missing'), { code: CODES.USAGE });

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
  if (params.resource) pairs.push(['resource', params.resource]);
  for (const [name, value] of Object.entries(params.extra ?? {})) {
    if (RESERVED_AUTHORIZATION_PARAMS.includes(name) || (name === 'resource' && params.resource)) {
      throw new HandoffError(message('oauth.authorize.extra_overrides', { name }), {
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

const AUTHORIZATION_ERROR_LABELS: Record<string, MessageKey> = {
  access_denied: 'oauth.authorize_label.access_denied',
  invalid_request: 'oauth.authorize_label.invalid_request',
  unauthorized_client: 'oauth.authorize_label.unauthorized_client',
  unsupported_response_type: 'oauth.authorize_label.unsupported_response_type',
  invalid_scope: 'oauth.authorize_label.invalid_scope',
  server_error: 'oauth.authorize_label.server_error',
  temporarily_unavailable: 'oauth.authorize_label.temporarily_unavailable',
};

function usage(text: Message): HandoffError {
  return new HandoffError(text, { code: CODES.USAGE });
}

/**
 * RFC 6749 §4.1.2 Authorization Response and §4.1.2.1 Error Response, from what
 * the user pasted or the loopback listener received: a full redirect URL, its
 * query string (with or without "?"), or a bare code.
 *
 * Throws USAGE for input that is none of those or a missing state (unless
 * allowMissingState); FOREIGN_RESPONSE for a state mismatch (the answer to
 * another authorization request); ABORTED for access_denied;
 * PROVIDER_UNAVAILABLE for server_error / temporarily_unavailable;
 * PROVIDER_ERROR for the other errors and an `iss` mismatch (RFC 9207).
 */
export function parseAuthorizationResponse(
  input: string,
  expect: AuthorizationResponseExpectation,
): AuthorizationResponse {
  const text = typeof input === 'string' ? input.trim() : '';
  if (text === '') {
    throw usage(message('oauth.response_input.empty'));
  }

  let params: URLSearchParams;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw usage(message('oauth.response_input.bad_url'));
    }
    params = url.searchParams;
    if (!params.has('code') && !params.has('error') && url.hash.length > 1) {
      params = new URLSearchParams(url.hash.slice(1));
    }
    if (!params.has('code') && !params.has('error')) {
      if (params.has('response_type') && params.has('client_id')) {
        throw usage(message('oauth.response_input.request_url'));
      }
      throw usage(message('oauth.response_input.no_code'));
    }
    checkRedirectTarget(url, expect.redirectUri);
  } else if (text.startsWith('?') || /(?:^|&)(?:code|error|state)=/.test(text)) {
    params = new URLSearchParams(text.replace(/^\?/, ''));
  } else {
    if (!/^[\x21-\x7e]+$/.test(text)) {
      throw usage(message('oauth.response_input.unknown'));
    }
    return checkState({ code: text }, expect, message('oauth.response_input.bare_code'));
  }

  for (const name of ['code', 'state', 'error', 'iss']) {
    if (params.getAll(name).length > 1) throw usage(message('oauth.response_input.repeated', { name }));
  }
  const state = params.get('state') || undefined;
  const iss = params.get('iss');
  if (expect.issuer !== undefined && iss !== null && iss !== expect.issuer) {
    throw new HandoffError(message('oauth.response_input.other_issuer'), {
      code: CODES.PROVIDER_ERROR,
    });
  }
  const error = params.get('error');
  if (error) {
    // a foreign error is reported as foreign; an error without state is still the user's answer
    if (state !== undefined) checkState({ code: '', state }, expect, message('oauth.response_input.no_state'));
    throw authorizationError(error, params.get('error_description'));
  }
  const checked = checkState(
    { code: '', ...(state === undefined ? {} : { state }) },
    expect,
    message('oauth.response_input.no_state'),
  );

  const code = params.get('code');
  if (!code) throw usage(message('oauth.response_input.empty_code'));
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
    throw usage(message('oauth.response_input.wrong_target', { uri: `${expected.origin}${expected.pathname}` }));
  }
}

function checkState(
  response: AuthorizationResponse,
  expect: AuthorizationResponseExpectation,
  missingMessage: Message,
): AuthorizationResponse {
  if (expect.state === undefined) return response;
  if (response.state === undefined) {
    if (expect.allowMissingState) return response;
    throw usage(missingMessage);
  }
  if (response.state !== expect.state) {
    throw new HandoffError(message('oauth.response_input.state_mismatch'), { code: CODES.FOREIGN_RESPONSE });
  }
  return response;
}

function authorizationError(error: string, description: string | null): HandoffError {
  const name = cleanServerText(error, 80);
  const oauth = { error: name, ...(description ? { error_description: cleanServerText(description) } : {}) };
  // every label is a sentence without placeholders
  const label = message((AUTHORIZATION_ERROR_LABELS[name] ?? 'oauth.authorize_label.other') as 'oauth.authorize_label.other');
  const code =
    name === 'access_denied'
      ? CODES.ABORTED
      : name === 'server_error' || name === 'temporarily_unavailable'
        ? CODES.PROVIDER_UNAVAILABLE
        : CODES.PROVIDER_ERROR;
  const text = description
    ? message('oauth.authorize.error_described', { label, error: name, description: cleanServerText(description) })
    : message('oauth.authorize.error', { label, error: name });
  return new HandoffError(text, { code, oauth });
}
