/**
 * One object per preset, all of one type: what each imitated system does.
 * The facts come from /work/shared/PROVIDERS.md; the server code reads only
 * these fields and never asks which profile it is running.
 */
import type { ClientAuthMethod } from '../oauth/index.js';
import type { SandboxClient, SandboxProfileId } from './types.js';

/** Declared once, with the protocol (RFC 8414 §2 names). */
export type { ClientAuthMethod };
export type PkceMethod = 'plain' | 'S256';

/**
 * What a refresh does to the refresh token presented.
 * - `rotate`: a new refresh token; the old one is spent at once, the old access token lives on
 * - `rotate-on-first-use`: a new refresh token; the old pair stays valid until the new access
 *   token is first used (Doorkeeper's refresh_token_revoked_on_use)
 * - `rotate-delete-pair`: a new refresh token; the old refresh token and its access token are
 *   deleted at once (Atlassian Data Center)
 * - `reuse`: the same refresh token comes back; its previous access token is dropped
 */
export type RotationMode = 'rotate' | 'rotate-on-first-use' | 'rotate-delete-pair' | 'reuse';

/** RFC 6749 §3.1.2 redirection endpoint matching, per system. */
export type RedirectRule = (requested: string, client: SandboxClient) => boolean;

export interface SandboxProfile {
  readonly id: SandboxProfileId;
  readonly title: string;
  readonly paths: {
    readonly authorize: string;
    readonly token: string;
    readonly revoke?: string;
    readonly tokenInfo?: string;
    /** where the browser lands after an out-of-band approval */
    readonly native?: string;
  };
  /** serve RFC 8414 metadata at /.well-known/oauth-authorization-server */
  readonly metadata: boolean;
  readonly clientAuthMethods: readonly ClientAuthMethod[];
  /** `none` (no secret) only for clients that require PKCE */
  readonly noneRequiresPkce: boolean;
  /** every client has a secret (Redmine applications are always confidential) */
  readonly confidentialOnly: boolean;
  /** the error when a refresh request carries no client credentials at all */
  readonly missingClientAuthOnRefresh: 'invalid_client' | 'invalid_grant';
  /** HTTP status of invalid_client / unauthorized_client */
  readonly invalidClientStatus: 400 | 401;
  readonly pkce: {
    readonly methods: readonly PkceMethod[];
    readonly caseInsensitive: boolean;
    /** a code_challenge without code_challenge_method is refused (instead of meaning plain) */
    readonly methodRequired: boolean;
  };
  readonly redirectAllowed: RedirectRule;
  /** the out-of-band redirect URI, where the system has one */
  readonly oobUri?: string;
  /** seconds; refreshToken Infinity = never expires */
  readonly lifetimes: { readonly accessToken: number; readonly refreshToken: number; readonly code: number };
  readonly rotation: RotationMode;
  /** a second use of an authorization code revokes the tokens issued for it (RFC 6749 §4.1.2) */
  readonly codeReplayRevokesGrant: boolean;
  readonly tokenType: string;
  /** add `created_at` (epoch seconds) to token responses */
  readonly createdAt: boolean;
  /** undefined = the system has no scopes: the parameter is ignored and none is returned */
  readonly scopes?: readonly string[];
  readonly defaultScope?: string;
  /** at most this many live refresh tokens per user per client; a new grant discards the oldest */
  readonly refreshTokensPerUserPerClient?: number;
  /** redirect URIs of the default client */
  readonly defaultRedirectUris: readonly string[];
}

const OOB = 'urn:ietf:wg:oauth:2.0:oob';
/** the fixed loopback port of default clients on systems that match the port exactly */
export const DEFAULT_FIXED_REDIRECT_PORT = 8765;
const FIXED = DEFAULT_FIXED_REDIRECT_PORT;

const DAY = 86_400;

function parseRedirect(uri: string): URL | undefined {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  if (u.hash !== '' || uri.includes('#')) return undefined; // RFC 6749 §3.1.2: no fragment
  if (u.username !== '' || u.password !== '') return undefined;
  return u;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** Any registered URI exactly, or any http loopback URI (RFC 8252 §7.3, generously). */
const anyLoopback: RedirectRule = (requested, client) => {
  const u = parseRedirect(requested);
  if (!u) return false;
  if (client.redirectUris.includes(requested)) return true;
  return u.protocol === 'http:' && LOOPBACK_HOSTS.has(u.hostname);
};

/** Exact string match with a registered URI. */
const exact: RedirectRule = (requested, client) =>
  parseRedirect(requested) !== undefined && client.redirectUris.includes(requested);

/** Atlassian Data Center: exact match; plain http only for the host `localhost`. */
const atlassian: RedirectRule = (requested, client) => {
  const u = parseRedirect(requested);
  if (!u || !client.redirectUris.includes(requested)) return false;
  return u.protocol === 'https:' || u.hostname === 'localhost';
};

/**
 * Doorkeeper as Redmine configures it: http only for `localhost` and `127.0.0.1`
 * (`[::1]` refused); a registered http://127.0.0.1 without a port matches any port;
 * `localhost` needs the exact port; the OOB URI when registered.
 */
const doorkeeper: RedirectRule = (requested, client) => {
  if (requested === OOB) return client.redirectUris.includes(OOB);
  const u = parseRedirect(requested);
  if (!u) return false;
  if (u.protocol === 'http:' && u.hostname !== 'localhost' && u.hostname !== '127.0.0.1') return false;
  for (const registered of client.redirectUris) {
    if (registered === requested) return true;
    const r = parseRedirect(registered);
    if (!r || r.hostname !== '127.0.0.1' || u.hostname !== '127.0.0.1') continue;
    if (!/^https?:\/\/127\.0\.0\.1(?=[/?]|$)/.test(registered)) continue; // registered with a port: exact only
    if (r.protocol === u.protocol && r.pathname === u.pathname && r.search === u.search) return true;
  }
  return false;
};

const generic: SandboxProfile = {
  id: 'generic',
  title: 'Generic OAuth 2.0',
  paths: { authorize: '/authorize', token: '/token', revoke: '/revoke' },
  metadata: true,
  clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
  noneRequiresPkce: false,
  confidentialOnly: false,
  missingClientAuthOnRefresh: 'invalid_client',
  invalidClientStatus: 401,
  pkce: { methods: ['S256'], caseInsensitive: false, methodRequired: false },
  redirectAllowed: anyLoopback,
  lifetimes: { accessToken: 3600, refreshToken: 30 * DAY, code: 600 },
  rotation: 'rotate',
  codeReplayRevokesGrant: true,
  tokenType: 'Bearer',
  createdAt: false,
  scopes: ['read', 'write', 'admin'],
  defaultScope: 'read',
  defaultRedirectUris: ['http://127.0.0.1/callback', 'http://localhost/callback'],
};

const redmine: SandboxProfile = {
  id: 'redmine',
  title: 'Redmine',
  paths: {
    authorize: '/oauth/authorize',
    token: '/oauth/token',
    revoke: '/oauth/revoke',
    tokenInfo: '/oauth/token/info',
    native: '/oauth/authorize/native',
  },
  metadata: false,
  clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
  noneRequiresPkce: false,
  confidentialOnly: true,
  missingClientAuthOnRefresh: 'invalid_grant',
  invalidClientStatus: 401,
  pkce: { methods: ['plain', 'S256'], caseInsensitive: false, methodRequired: true },
  redirectAllowed: doorkeeper,
  oobUri: OOB,
  lifetimes: { accessToken: 7200, refreshToken: Infinity, code: 600 },
  rotation: 'rotate-on-first-use',
  codeReplayRevokesGrant: false,
  tokenType: 'Bearer',
  createdAt: true,
  scopes: [
    'admin',
    'view_project',
    'view_issues',
    'add_issues',
    'edit_issues',
    'add_notes',
    'delete_issues',
    'view_time_entries',
    'log_time',
    'view_wiki_pages',
    'edit_wiki_pages',
    'view_files',
    'manage_files',
    'view_documents',
    'view_news',
    'search_project',
  ],
  defaultScope: 'view_issues',
  defaultRedirectUris: ['http://127.0.0.1/callback', OOB],
};

const backlog: SandboxProfile = {
  id: 'backlog',
  title: 'Backlog',
  paths: { authorize: '/OAuth2AccessRequest.action', token: '/api/v2/oauth2/token' },
  metadata: false,
  clientAuthMethods: ['client_secret_post'],
  noneRequiresPkce: false,
  confidentialOnly: true,
  missingClientAuthOnRefresh: 'invalid_client',
  invalidClientStatus: 401,
  pkce: { methods: ['S256'], caseInsensitive: false, methodRequired: false },
  redirectAllowed: exact,
  lifetimes: { accessToken: 3600, refreshToken: Infinity, code: 600 },
  rotation: 'rotate',
  codeReplayRevokesGrant: false,
  tokenType: 'Bearer',
  createdAt: false,
  defaultRedirectUris: [`http://localhost:${FIXED}/callback`, `http://127.0.0.1:${FIXED}/callback`],
};

function atlassianProfile(id: 'confluence' | 'jira', title: string): SandboxProfile {
  return {
    id,
    title,
    paths: { authorize: '/rest/oauth2/latest/authorize', token: '/rest/oauth2/latest/token' },
    metadata: true,
    clientAuthMethods: ['client_secret_post'],
    noneRequiresPkce: false,
    confidentialOnly: true,
    missingClientAuthOnRefresh: 'invalid_client',
    invalidClientStatus: 401,
    pkce: { methods: ['plain', 'S256'], caseInsensitive: true, methodRequired: false },
    redirectAllowed: atlassian,
    lifetimes: { accessToken: 3600, refreshToken: 90 * DAY, code: 10 },
    rotation: 'rotate-delete-pair',
    codeReplayRevokesGrant: false,
    tokenType: 'bearer',
    createdAt: false,
    scopes: ['READ', 'WRITE', 'ADMIN', 'SYSTEM_ADMIN'],
    defaultScope: 'READ',
    defaultRedirectUris: [`http://localhost:${FIXED}/callback`],
  };
}

const questetra: SandboxProfile = {
  id: 'questetra',
  title: 'Questetra BPM Suite',
  paths: { authorize: '/oauth2/authorize', token: '/oauth2/token' },
  metadata: false,
  clientAuthMethods: ['client_secret_post', 'none'],
  noneRequiresPkce: true,
  confidentialOnly: false,
  missingClientAuthOnRefresh: 'invalid_client',
  invalidClientStatus: 401,
  pkce: { methods: ['S256'], caseInsensitive: false, methodRequired: false },
  redirectAllowed: exact,
  lifetimes: { accessToken: 12 * 3600, refreshToken: 30 * DAY, code: 600 },
  rotation: 'reuse',
  codeReplayRevokesGrant: false,
  tokenType: 'Bearer',
  createdAt: false,
  scopes: ['any', 'read'],
  defaultScope: 'any',
  refreshTokensPerUserPerClient: 10,
  defaultRedirectUris: [`http://localhost:${FIXED}/callback`, `http://127.0.0.1:${FIXED}/callback`],
};

export const SANDBOX_PROFILES: Readonly<Record<SandboxProfileId, SandboxProfile>> = {
  generic,
  redmine,
  backlog,
  confluence: atlassianProfile('confluence', 'Confluence Data Center'),
  jira: atlassianProfile('jira', 'Jira Data Center'),
  questetra,
};
