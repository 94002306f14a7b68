/** RFC 6749 §2.3 Client Authentication at the token and revocation endpoints, per profile. */
import type { ClientAuthMethod, SandboxProfile } from './profiles.js';
import { fail, secretsEqual, type Outcome } from './state.js';
import type { SandboxClient } from './types.js';

export interface ClientCredentials {
  /** the client id the request names (Basic user or client_id), for the log */
  clientId?: string;
  method: ClientAuthMethod;
  secret?: string;
  /** Basic credentials were sent (a 401 then carries WWW-Authenticate: Basic) */
  basic: boolean;
}

/** RFC 6749 §2.3.1: id and secret are form-urlencoded inside the Basic credentials. */
function parseBasic(header: string): { id: string; secret: string } | undefined {
  const m = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header.trim());
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  try {
    const unform = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    return { id: unform(decoded.slice(0, colon)), secret: unform(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

/** Which credentials does the request carry? (build step; no lookup yet) */
export function readClientCredentials(
  profile: SandboxProfile,
  authorization: string | undefined,
  form: URLSearchParams,
): Outcome<ClientCredentials> {
  const bodyId = form.get('client_id') ?? undefined;
  const bodySecret = form.get('client_secret') ?? undefined;
  const basicSent = authorization !== undefined && /^basic /i.test(authorization.trim());
  if (basicSent && profile.clientAuthMethods.includes('client_secret_basic')) {
    const basic = parseBasic(authorization);
    if (!basic) return fail('invalid_client', 'malformed Basic credentials', profile.invalidClientStatus);
    if (bodySecret !== undefined) {
      return fail('invalid_request', 'more than one client authentication method was used');
    }
    if (bodyId !== undefined && bodyId !== basic.id) {
      return fail('invalid_request', 'client_id does not match the Basic credentials');
    }
    return { ok: true, value: { clientId: basic.id, method: 'client_secret_basic', secret: basic.secret, basic: true } };
  }
  const value: ClientCredentials = { method: bodySecret !== undefined ? 'client_secret_post' : 'none', basic: false };
  if (bodyId !== undefined) value.clientId = bodyId;
  if (bodySecret !== undefined) value.secret = bodySecret;
  return { ok: true, value };
}

/** Check the credentials against the registered client, the way the profile's system does. */
export function authenticateClient(
  profile: SandboxProfile,
  clients: ReadonlyMap<string, SandboxClient>,
  creds: ClientCredentials,
  grantType: string | undefined,
  now: number,
): Outcome<SandboxClient> {
  const status = profile.invalidClientStatus;
  const missingOnRefresh = () =>
    grantType === 'refresh_token' && profile.missingClientAuthOnRefresh === 'invalid_grant'
      ? fail('invalid_grant', 'client authentication is required to use this refresh token')
      : fail('invalid_client', 'client authentication is required', status);
  if (creds.clientId === undefined || creds.clientId === '') return missingOnRefresh();
  const client = clients.get(creds.clientId);
  if (!client) return fail('invalid_client', 'unknown client', status);
  if (creds.method === 'none') {
    if (client.secret !== undefined) return missingOnRefresh();
    if (!profile.clientAuthMethods.includes('none')) return fail('invalid_client', 'client authentication is required', status);
    if (profile.noneRequiresPkce && client.requirePkce !== true) {
      return fail('invalid_client', 'a client without a secret must require PKCE', status);
    }
    return { ok: true, value: client };
  }
  if (!profile.clientAuthMethods.includes(creds.method)) {
    return fail('invalid_client', `client authentication method ${creds.method} is not supported`, status);
  }
  if (client.authMethod !== undefined && client.authMethod !== creds.method) {
    return fail('invalid_client', `this client was registered to authenticate with ${client.authMethod}`, status);
  }
  if (client.secret === undefined || creds.secret === undefined || !secretsEqual(client.secret, creds.secret)) {
    return fail('invalid_client', 'client authentication failed', status);
  }
  if (client.secretExpiresAt !== undefined && client.secretExpiresAt <= now) {
    return fail('invalid_client', 'the client secret expired (client_secret_expires_at)', status);
  }
  return { ok: true, value: client };
}
