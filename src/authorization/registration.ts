/**
 * A server found from a resource URL, and a client registered with it: which
 * authorization server of those a resource names (RFC 9728 §2), whether the
 * server holds to OAuth 2.1, and dynamic client registration (RFC 7591) for
 * a native application when no client id was given. Registration happens on
 * the side that authorizes; what it returns travels in the settings.
 */
import { hostname } from 'node:os';
import { CODES, HandoffError } from '../errors.js';
import { english, message } from '../i18n/index.js';
import type { Translator } from '../i18n/index.js';
import { cleanServerText, processRegistrationResponse, registrationAuthMethod, registrationRequest, sameResource } from '../oauth/index.js';
import type { ClientAuthMethod, ClientConfig, ClientMetadata, HttpClient, ProviderPreset, ResourceMetadata, ServerMetadata } from '../oauth/index.js';
import { promptLine } from '../terminal/index.js';

/** The path of the loopback redirect a registered client uses; registered without a port (any port, RFC 8252 §7.3). */
export const DEFAULT_REGISTERED_REDIRECT_PATH = '/callback';
/** The loopback host a registered client redirects to (RFC 8252 §7.3: an IP literal, not "localhost"). */
export const REGISTERED_LOOPBACK_HOST = '127.0.0.1';

/** What a registration returned beyond the client itself (kept in the settings). */
export interface ClientRegistration {
  /** RFC 3339; absent when the secret does not expire */
  secret_expires_at?: string;
  /** RFC 7592: for deleting the client later */
  registration_access_token?: string;
  registration_client_uri?: string;
}

/** The client name a registration sends (RFC 7591 §2 client_name). */
export function registeredClientName(host: string = hostname()): string {
  const clean = host.replace(/[^\x20-\x7e]/g, '?').slice(0, 64);
  return `oauth-handoff on ${clean || 'this machine'}`;
}

/**
 * The authorization server to use, of those the resource names (RFC 9728 §2
 * authorization_servers): the one --issuer names (it must be listed), the
 * only one, or the one the person picks. Throws PROVIDER_ERROR when none is
 * named, USAGE when --issuer names another or no choice can be made.
 */
export async function chooseAuthorizationServer(
  meta: ResourceMetadata,
  issuer: string | undefined,
  choose: ((question: string, choices: readonly string[]) => Promise<string>) | undefined,
  i18n: Translator = english,
): Promise<string> {
  const servers = meta.authorization_servers;
  if (servers.length === 0) {
    throw new HandoffError(message('resource.no_server', { resource: meta.resource }), { code: CODES.PROVIDER_ERROR });
  }
  const list = servers.map((s) => cleanServerText(s, 200));
  if (issuer !== undefined) {
    const match = servers.find((s) => sameResource(s, issuer));
    if (!match) {
      throw new HandoffError(message('resource.server_not_named', { resource: meta.resource, issuer, servers: list.join(', ') }), { code: CODES.USAGE });
    }
    return match;
  }
  if (servers.length === 1) return servers[0] as string;
  const question = i18n.t('resource.choose', { resource: meta.resource, count: servers.length, list: list.map((s, i) => `  ${i + 1}) ${s}`).join('\n') });
  const ask = choose ?? ((q: string) => promptLine(q, { noTtyHint: i18n.t('resource.choose_no_tty', { servers: list.join(', ') }) }));
  const answer = (await ask(question, servers)).trim();
  const n = Number(answer);
  const picked = Number.isInteger(n) && n >= 1 && n <= servers.length ? servers[n - 1] : servers.find((s) => s === answer);
  if (picked === undefined) throw new HandoffError(message('resource.none_chosen'), { code: CODES.ABORTED });
  return picked;
}

/**
 * Whether OAuth 2.1's rules apply: the server was found from a protected
 * resource (RFC 9728 belongs with OAuth 2.1), or its metadata says it
 * supports S256 and lists neither the implicit nor the password grant. Then
 * PKCE S256 is always sent; a server that lists challenge methods without
 * S256 while found from a resource is refused (PROVIDER_ERROR).
 */
export function checkOAuth21(meta: ServerMetadata | undefined, fromResource: boolean): boolean {
  const methods = meta?.code_challenge_methods_supported;
  const s256 = Array.isArray(methods) && methods.includes('S256');
  if (fromResource) {
    if (Array.isArray(methods) && methods.length > 0 && !s256) {
      throw new HandoffError(message('resource.no_s256', { issuer: meta?.issuer ?? '' }), { code: CODES.PROVIDER_ERROR });
    }
    return true;
  }
  if (!s256) return false;
  const grants = meta?.grant_types_supported ?? [];
  const responses = meta?.response_types_supported ?? [];
  return !grants.includes('implicit') && !grants.includes('password') && !responses.some((r) => r.split(' ').includes('token'));
}

/** The redirect URI a registered client registers: the one given, else the loopback one without a port. */
export function registeredRedirectUri(given: string | undefined): string {
  return given ?? `http://${REGISTERED_LOOPBACK_HOST}${DEFAULT_REGISTERED_REDIRECT_PATH}`;
}

/**
 * RFC 7591 registration of a native application: the redirect URI (given,
 * or the loopback one on any port), the code grant with refresh tokens (and
 * the device grant where the server offers it), `none` with PKCE where the
 * server allows it. Throws USAGE when the server has no registration endpoint
 * (a client id is needed then), and what the registration endpoint answers.
 */
export async function registerClient(
  http: HttpClient,
  metadata: ServerMetadata | undefined,
  o: { preset: ProviderPreset; scopes: readonly string[]; redirectUri?: string; clientAuth?: ClientAuthMethod; host?: string },
): Promise<{ client: ClientConfig; registration: ClientRegistration }> {
  const endpoint = metadata?.registration_endpoint;
  if (!endpoint) {
    throw new HandoffError(message('resource.no_registration', { issuer: metadata?.issuer ?? '' }), { code: CODES.USAGE });
  }
  const grants = ['authorization_code', 'refresh_token'];
  const device = 'urn:ietf:params:oauth:grant-type:device_code';
  // `login` picks the device grant where the server offers it: the client may use it then
  if (metadata.device_authorization_endpoint && (metadata.grant_types_supported ?? [device]).includes(device)) grants.push(device);
  const scope = o.scopes.join(o.preset.scopes.separator);
  const request: ClientMetadata = {
    redirect_uris: [registeredRedirectUri(o.redirectUri)],
    client_name: registeredClientName(o.host),
    application_type: 'native',
    token_endpoint_auth_method: o.clientAuth ?? registrationAuthMethod(metadata.token_endpoint_auth_methods_supported),
    grant_types: grants,
    response_types: ['code'],
    ...(scope ? { scope } : {}),
  };
  const registered = processRegistrationResponse(await registrationRequest(http, endpoint, request), request);
  const registration: ClientRegistration = {};
  if (registered.client_secret_expires_at !== undefined) {
    registration.secret_expires_at = new Date(registered.client_secret_expires_at * 1000).toISOString();
  }
  if (registered.registration_access_token && registered.registration_client_uri) {
    registration.registration_access_token = registered.registration_access_token;
    registration.registration_client_uri = registered.registration_client_uri;
  }
  return { client: registered.client, registration };
}
