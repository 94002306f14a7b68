/**
 * Client authentication (RFC 6749 §2.3).
 */
import { CODES, HandoffError } from '../errors.js';
import type { ClientAuthMethod, ClientConfig } from './types.js';
import { message } from '../i18n/index.js';

/** The client authentication methods this toolkit speaks (RFC 8414 §2 names). */
export const CLIENT_AUTH_METHODS: readonly ClientAuthMethod[] = Object.freeze([
  'client_secret_basic',
  'client_secret_post',
  'none',
]);

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
    throw new HandoffError(message('oauth.client.id_missing'), { code: CODES.USAGE });
  }
  if (!CLIENT_AUTH_METHODS.includes(client.auth_method)) {
    throw new HandoffError(
      message('oauth.client.unknown_method', { method: String(client.auth_method), methods: CLIENT_AUTH_METHODS.join(', ') }),
      { code: CODES.USAGE },
    );
  }
  if (client.auth_method === 'none') {
    return { form: { ...form, client_id: client.id }, headers: {} };
  }
  if (typeof client.secret !== 'string' || client.secret === '') {
    throw new HandoffError(message('oauth.client.secret_missing', { method: client.auth_method }), {
      code: CODES.USAGE,
    });
  }
  if (client.auth_method === 'client_secret_post') {
    return { form: { ...form, client_id: client.id, client_secret: client.secret }, headers: {} };
  }
  return { form: { ...form }, headers: { Authorization: basicAuthorization(client.id, client.secret) } };
}
