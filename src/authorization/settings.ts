/**
 * A fresh grant in its stored form: the token response (RFC 6749 §5.1) and
 * the target it came from, as validated Settings. What `authorize` seals and
 * what `login` stores are the same thing.
 */
import { hostname, userInfo } from 'node:os';
import { foldTokenResponse, newGrant } from '../credential/index.js';
import type { ClientConfig, Endpoints, ProviderPreset, TokenSet } from '../oauth/index.js';
import type { ClientRegistration } from './registration.js';
import { SETTINGS_FORMAT, SETTINGS_VERSION, validateSettings } from '../settings-file/index.js';
import type { Settings } from '../settings-file/index.js';
import { USER_AGENT } from '../version.js';

export interface SettingsInput {
  name: string;
  preset: ProviderPreset;
  site?: string;
  endpoints: Endpoints;
  client: ClientConfig;
  /** what a dynamic registration returned beyond the client (RFC 7591), kept for `status` and `forget` */
  registration?: ClientRegistration;
  /** the RFC 8707 resource indicator */
  resource?: string;
  scopes: readonly string[];
  /** the redirect URI the code was sent to, when there was one */
  redirectUri?: string;
  tokens: TokenSet;
  /** when the token response arrived, epoch ms */
  obtainedAt: number;
  /** how it was made: 'authorize', 'login --paste', 'login --device' */
  via: string;
}

function whoAmI(): string {
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * RFC 6749 §5.1 token response → validated Settings. The token fields come
 * from the one fold every refresh uses too (credential/token-response.ts).
 * A client that does not authenticate keeps no secret.
 */
export function settingsFromTokens(i: SettingsInput): Settings {
  const at = (ms: number) => new Date(ms).toISOString();
  const { token } = foldTokenResponse(undefined, i.tokens, i.obtainedAt, i.preset.lifetimes.refreshTokenSeconds);
  const endpoints: Settings['endpoints'] = { token: i.endpoints.token };
  for (const k of ['authorization', 'revocation', 'device_authorization', 'issuer'] as const) {
    if (i.endpoints[k]) endpoints[k] = i.endpoints[k];
  }
  const client: Settings['client'] = { id: i.client.id, auth_method: i.client.auth_method };
  if (i.client.secret !== undefined && i.client.auth_method !== 'none') client.secret = i.client.secret;
  if (client.secret !== undefined && i.registration?.secret_expires_at) client.secret_expires_at = i.registration.secret_expires_at;
  if (i.registration?.registration_access_token && i.registration.registration_client_uri) {
    client.registration_access_token = i.registration.registration_access_token;
    client.registration_client_uri = i.registration.registration_client_uri;
  }
  const settings: Settings = {
    format: SETTINGS_FORMAT,
    version: SETTINGS_VERSION,
    name: i.name,
    provider: i.preset.id,
    endpoints,
    client,
    scopes: [...i.scopes],
    token,
    created: { at: at(i.obtainedAt), by: whoAmI(), host: hostname(), tool: USER_AGENT, via: i.via },
    health: { state: 'ok' },
    grant: newGrant(),
  };
  if (i.site !== undefined) settings.site = i.site;
  if (i.redirectUri !== undefined) settings.redirect_uri = i.redirectUri;
  if (i.resource !== undefined) settings.resource = i.resource;
  return validateSettings(settings);
}
