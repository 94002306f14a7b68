/**
 * RFC 7591 Dynamic Client Registration and RFC 7592 its management, the
 * server's memory of it: client metadata checked and turned into a client,
 * registration access tokens (kept hashed), and what a read answers.
 */
import type { ClientAuthMethod } from '../oauth/index.js';
import { DEVICE_CODE_GRANT } from './device-grant.js';
import type { SandboxProfile } from './profiles.js';
import { fail, randomToken, secretsEqual, type Outcome } from './state.js';
import type { SandboxClient } from './types.js';

/** At most this many clients may register on one sandbox (memory stays bounded). */
export const MAX_REGISTERED_CLIENTS = 1000;
const MAX_REDIRECT_URIS = 20;
const MAX_NAME_CHARS = 200;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

interface Registered {
  /** the registration access token (compared in constant time) */
  accessToken: string;
  issuedAt: number;
  grantTypes: string[];
  responseTypes: string[];
}

/** RFC 7591 §2 metadata the sandbox understands, after checking. */
interface ClientMetadata {
  redirect_uris: string[];
  token_endpoint_auth_method: ClientAuthMethod;
  grant_types: string[];
  response_types: string[];
  client_name?: string;
  scope?: string;
}

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const bad = (description: string) => fail('invalid_client_metadata', description);

export class Registrations {
  private readonly registered = new Map<string, Registered>();

  constructor(
    private readonly profile: SandboxProfile,
    private readonly clients: Map<string, SandboxClient>,
    private readonly opts: { now: () => number; deviceGrant: boolean; secretTtl: number | undefined },
  ) {}

  /** RFC 7591 §2 / §3.2.2: check the metadata a client sent. */
  check(body: unknown): Outcome<ClientMetadata> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return bad('the body must be a JSON object');
    const b = body as Record<string, unknown>;
    const grantTypes = b.grant_types === undefined ? ['authorization_code'] : b.grant_types;
    if (!isStringArray(grantTypes) || grantTypes.length === 0) return bad('grant_types must be a list of strings');
    const allowedGrants = ['authorization_code', 'refresh_token', ...(this.opts.deviceGrant ? [DEVICE_CODE_GRANT] : [])];
    const unknownGrant = grantTypes.find((g) => !allowedGrants.includes(g));
    if (unknownGrant !== undefined) return bad(`grant type "${unknownGrant}" is not supported (OAuth 2.1 has no implicit or password grant)`);
    const responseTypes = b.response_types === undefined ? ['code'] : b.response_types;
    if (!isStringArray(responseTypes) || responseTypes.some((r) => r !== 'code')) return bad('only the response type "code" is supported');
    const method = b.token_endpoint_auth_method === undefined ? 'client_secret_basic' : b.token_endpoint_auth_method;
    if (typeof method !== 'string' || !(this.profile.clientAuthMethods as readonly string[]).includes(method)) {
      return bad(`token_endpoint_auth_method must be one of ${this.profile.clientAuthMethods.join(', ')}`);
    }
    const redirectUris = b.redirect_uris === undefined ? [] : b.redirect_uris;
    if (!isStringArray(redirectUris) || redirectUris.length > MAX_REDIRECT_URIS) return bad('redirect_uris must be a list of strings');
    if (grantTypes.includes('authorization_code') && redirectUris.length === 0) {
      return fail('invalid_redirect_uri', 'the authorization code grant needs at least one redirect URI');
    }
    for (const uri of redirectUris) {
      const problem = redirectProblem(uri);
      if (problem) return fail('invalid_redirect_uri', `${JSON.stringify(uri)}: ${problem}`);
    }
    const m: ClientMetadata = {
      redirect_uris: [...redirectUris],
      token_endpoint_auth_method: method as ClientAuthMethod,
      grant_types: [...grantTypes],
      response_types: [...responseTypes],
    };
    if (b.client_name !== undefined) {
      if (typeof b.client_name !== 'string' || b.client_name.length > MAX_NAME_CHARS) return bad(`client_name must be a string of at most ${MAX_NAME_CHARS} characters`);
      m.client_name = b.client_name;
    }
    if (b.scope !== undefined) {
      if (typeof b.scope !== 'string') return bad('scope must be a string');
      const unknown = b.scope.split(' ').find((s) => s !== '' && !(this.profile.scopes ?? []).includes(s));
      if (unknown !== undefined) return bad(`scope "${unknown}" is not known here`);
      m.scope = b.scope.split(' ').filter((s) => s !== '').join(' ');
    }
    return { ok: true, value: m };
  }

  /** RFC 7591 §3.2.1: register a checked client; the answer carries its secret and registration access token. */
  register(m: ClientMetadata, base: string): Outcome<Record<string, unknown>> {
    if (this.registered.size >= MAX_REGISTERED_CLIENTS) return fail('invalid_client_metadata', 'this sandbox has registered as many clients as it keeps', 400);
    const now = this.opts.now();
    const client: SandboxClient = {
      id: `dyn-${randomToken(12)}`,
      redirectUris: [...m.redirect_uris],
      authMethod: m.token_endpoint_auth_method,
      requirePkce: true,
      name: m.client_name ?? 'registered client',
    };
    if (m.token_endpoint_auth_method !== 'none') {
      client.secret = randomToken();
      if (this.opts.secretTtl !== undefined) client.secretExpiresAt = now + this.opts.secretTtl * 1000;
    }
    if (m.scope !== undefined && m.scope !== '') client.scopes = m.scope.split(' ');
    this.clients.set(client.id, client);
    this.registered.set(client.id, {
      accessToken: randomToken(),
      issuedAt: now,
      grantTypes: [...m.grant_types],
      responseTypes: [...m.response_types],
    });
    return { ok: true, value: this.describe(client.id, base)! };
  }

  /** RFC 7592 §2: the client a registration access token manages, or undefined (then 401). */
  authorize(clientId: string, token: string): SandboxClient | undefined {
    const r = this.registered.get(clientId);
    const client = this.clients.get(clientId);
    if (!r || !client || !secretsEqual(r.accessToken, token)) return undefined;
    return client;
  }

  /** RFC 7591 §3.2.1 / RFC 7592 §3: the client information response. */
  describe(clientId: string, base: string): Record<string, unknown> | undefined {
    const r = this.registered.get(clientId);
    const c = this.clients.get(clientId);
    if (!r || !c) return undefined;
    const info: Record<string, unknown> = {
      client_id: c.id,
      client_id_issued_at: Math.floor(r.issuedAt / 1000),
    };
    if (c.secret !== undefined) {
      info.client_secret = c.secret;
      info.client_secret_expires_at = c.secretExpiresAt === undefined ? 0 : Math.floor(c.secretExpiresAt / 1000);
    }
    info.registration_access_token = r.accessToken;
    info.registration_client_uri = `${base}/register/${encodeURIComponent(c.id)}`;
    info.redirect_uris = [...c.redirectUris];
    info.token_endpoint_auth_method = c.authMethod;
    info.grant_types = [...r.grantTypes];
    info.response_types = [...r.responseTypes];
    info.client_name = c.name;
    if (c.scopes) info.scope = c.scopes.join(' ');
    return info;
  }

  /** RFC 7592 §2.3 */
  remove(clientId: string): void {
    this.registered.delete(clientId);
  }
}

/** RFC 7591 §2 with OAuth 2.1 §2.3.1: https, or http on a loopback host; no fragment. */
function redirectProblem(uri: string): string | undefined {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return 'not an absolute URI';
  }
  if (uri.includes('#')) return 'a redirect URI has no fragment';
  if (u.protocol === 'https:') return undefined;
  if (u.protocol === 'http:') return LOOPBACK_HOSTS.has(u.hostname) ? undefined : 'plain http only on a loopback host';
  return `the scheme ${u.protocol} is not supported here`;
}
