/**
 * One object per preset, all of one type: what each imitated system does.
 * The facts come from /work/shared/PROVIDERS.md; the server code reads only
 * these fields and never asks which profile it is running.
 */
import type { ClientAuthMethod } from '../oauth/index.js';
import type { SANDBOX_USER } from './state.js';
import { redmineCurrentUser, redmineIssues } from './system-apis.js';
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

/** Who calls an API route: the user and what the token allows. */
export interface ApiCaller {
  user: typeof SANDBOX_USER;
  clientId: string;
  scopes: readonly string[];
  /** epoch milliseconds */
  now: number;
}

/** One call of the imitated system's own API (e.g. Redmine's /issues.json), behind a Bearer token. */
export interface ApiRoute {
  readonly path: string;
  /** a scope the token must carry (RFC 6750 §3.1 insufficient_scope otherwise) */
  readonly scope?: string;
  readonly body: (caller: ApiCaller) => unknown;
}

/** An RFC 9728 protected resource on the sandbox (identifier = the sandbox URL + path). */
export interface ProtectedResourceSpec {
  readonly path: string;
  /** RFC 9728 resource_name */
  readonly name: string;
  /** a misconfigured resource: its metadata names this other path as the resource (RFC 9728 §3.3 says refuse it) */
  readonly claims?: string;
}

/** What `oauth-handoff sandbox` prints so the docs can be followed as written. */
export interface Playground {
  /** the variable the docs use for the system's address (REDMINE_URL) */
  readonly siteVariable?: string;
  /** the redirect URI to pass with --redirect-uri (systems that match it exactly) */
  readonly redirectUri?: string;
  /** also the endpoints one by one (AUTHORIZATION_ENDPOINT, TOKEN_ENDPOINT, REVOCATION_ENDPOINT) */
  readonly endpointVariables?: boolean;
  /** the docs' commands to try next ($VARIABLES as the docs spell them) */
  readonly next: readonly string[];
  /** the same with the device grant on */
  readonly nextWithDevice?: readonly string[];
}

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
    /** every authorization request must carry a code_challenge (OAuth 2.1) */
    readonly required: boolean;
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
  /** the device authorization grant (RFC 8628) may be switched on: the imitated kind of server can have it */
  readonly deviceGrant: boolean;
  /** RFC 7591 dynamic client registration, with RFC 7592 read and delete */
  readonly registration: boolean;
  /** RFC 8707 resource indicators: tokens are bound to one of `protectedResources` */
  readonly resourceIndicators: boolean;
  /** RFC 9728 protected resources served here */
  readonly protectedResources: readonly ProtectedResourceSpec[];
  /** the system's own API calls */
  readonly api: readonly ApiRoute[];
  /** the API call the docs show (default: the sandbox's /api/me) */
  readonly examplePath?: string;
  readonly playground: Playground;
}

const OOB = 'urn:ietf:wg:oauth:2.0:oob';
/** the fixed loopback port of default clients on systems that match the port exactly */
export const DEFAULT_FIXED_REDIRECT_PORT = 8765;
const FIXED = DEFAULT_FIXED_REDIRECT_PORT;

/** A profile's redirect URI with the fixed loopback port replaced (when that port is taken on this machine). */
export function withRedirectPort(uri: string, port: number | undefined): string {
  if (port === undefined || !URL.canParse(uri)) return uri;
  const u = new URL(uri);
  if (u.port !== String(FIXED)) return uri;
  u.port = String(port);
  return u.toString();
}

const DAY = 86_400;

/** The server half of every journey: the machine key, and its public half for --to. */
const KEYGEN = ['oauth-handoff keygen', 'export SERVER_KEY="$(oauth-handoff keygen --show)"'];
const NOTHING_MORE = { deviceGrant: false, registration: false, resourceIndicators: false, protectedResources: [], api: [] } as const;

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

function isLoopbackHttp(u: URL): boolean {
  return u.protocol === 'http:' && LOOPBACK_HOSTS.has(u.hostname);
}

/**
 * OAuth 2.1 §2.3.1 / RFC 8252 §7.3: exact string match, except that the port of a
 * loopback redirect URI is not compared (a native app picks a free one).
 */
const exactExceptLoopbackPort: RedirectRule = (requested, client) => {
  const u = parseRedirect(requested);
  if (!u) return false;
  if (client.redirectUris.includes(requested)) return true;
  if (!isLoopbackHttp(u)) return false;
  return client.redirectUris.some((registered) => {
    const r = parseRedirect(registered);
    return r !== undefined && isLoopbackHttp(r) && r.hostname === u.hostname && r.pathname === u.pathname && r.search === u.search;
  });
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
  pkce: { methods: ['S256'], caseInsensitive: false, methodRequired: false, required: false },
  redirectAllowed: anyLoopback,
  lifetimes: { accessToken: 3600, refreshToken: 30 * DAY, code: 600 },
  rotation: 'rotate',
  codeReplayRevokesGrant: true,
  tokenType: 'Bearer',
  createdAt: false,
  scopes: ['read', 'write', 'admin'],
  defaultScope: 'read',
  defaultRedirectUris: ['http://127.0.0.1/callback', 'http://localhost/callback'],
  ...NOTHING_MORE,
  deviceGrant: true,
  playground: {
    redirectUri: `http://127.0.0.1:${FIXED}/callback`,
    endpointVariables: true,
    next: [
      ...KEYGEN,
      `oauth-handoff authorize --issuer "$ISSUER" --redirect-uri "$REDIRECT_URI" \\
  --client-id "$CLIENT_ID" --client-secret-file client-secret.txt \\
  --scope "read write" --name api-prod --to "$SERVER_KEY" -o api-prod.ohs`,
    ],
    nextWithDevice: [
      `oauth-handoff login --device --issuer "$ISSUER" \\
  --client-id "$CLIENT_ID" --client-secret-file client-secret.txt --name api-device`,
    ],
  },
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
  pkce: { methods: ['plain', 'S256'], caseInsensitive: false, methodRequired: true, required: false },
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
  ...NOTHING_MORE,
  api: [
    { path: '/issues.json', scope: 'view_issues', body: redmineIssues },
    { path: '/users/current.json', body: redmineCurrentUser },
  ],
  examplePath: '/issues.json',
  playground: {
    siteVariable: 'REDMINE_URL',
    next: [
      ...KEYGEN,
      `oauth-handoff authorize --provider redmine --site "$REDMINE_URL" \\
  --client-id "$CLIENT_ID" --client-secret-file client-secret.txt \\
  --name redmine-prod --to "$SERVER_KEY" -o redmine-prod.ohs`,
    ],
  },
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
  pkce: { methods: ['S256'], caseInsensitive: false, methodRequired: false, required: false },
  redirectAllowed: exact,
  lifetimes: { accessToken: 3600, refreshToken: Infinity, code: 600 },
  rotation: 'rotate',
  codeReplayRevokesGrant: false,
  tokenType: 'Bearer',
  createdAt: false,
  defaultRedirectUris: [`http://localhost:${FIXED}/callback`, `http://127.0.0.1:${FIXED}/callback`],
  ...NOTHING_MORE,
  playground: {
    redirectUri: `http://localhost:${FIXED}/callback`,
    next: [
      ...KEYGEN,
      `oauth-handoff authorize --provider backlog \\
  --authorization-endpoint "$SANDBOX_URL/OAuth2AccessRequest.action" \\
  --token-endpoint "$SANDBOX_URL/api/v2/oauth2/token" \\
  --redirect-uri "$REDIRECT_URI" \\
  --client-id "$CLIENT_ID" --client-secret-file client-secret.txt \\
  --name backlog-rehearsal --to "$SERVER_KEY" -o backlog-rehearsal.ohs`,
    ],
  },
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
    pkce: { methods: ['plain', 'S256'], caseInsensitive: true, methodRequired: false, required: false },
    redirectAllowed: atlassian,
    lifetimes: { accessToken: 3600, refreshToken: 90 * DAY, code: 10 },
    rotation: 'rotate-delete-pair',
    codeReplayRevokesGrant: false,
    tokenType: 'bearer',
    createdAt: false,
    scopes: ['READ', 'WRITE', 'ADMIN', 'SYSTEM_ADMIN'],
    defaultScope: 'READ',
    defaultRedirectUris: [`http://localhost:${FIXED}/callback`],
    ...NOTHING_MORE,
    playground: {
      siteVariable: `${id.toUpperCase()}_URL`,
      redirectUri: `http://localhost:${FIXED}/callback`,
      next: [
        ...KEYGEN,
        `oauth-handoff authorize --provider ${id} --site "$${id.toUpperCase()}_URL" \\
  --redirect-uri "$REDIRECT_URI" \\
  --client-id "$CLIENT_ID" --client-secret-file client-secret.txt \\
  --scope WRITE --name ${id}-prod --to "$SERVER_KEY" -o ${id}-prod.ohs`,
      ],
    },
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
  pkce: { methods: ['S256'], caseInsensitive: false, methodRequired: false, required: false },
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
  ...NOTHING_MORE,
  playground: {
    redirectUri: `http://localhost:${FIXED}/callback`,
    next: [
      ...KEYGEN,
      `oauth-handoff authorize --provider questetra \\
  --authorization-endpoint "$SANDBOX_URL/oauth2/authorize" \\
  --token-endpoint "$SANDBOX_URL/oauth2/token" \\
  --redirect-uri "$REDIRECT_URI" \\
  --client-id "$CLIENT_ID" --client-secret-file client-secret.txt \\
  --scope any --name questetra-rehearsal --to "$SERVER_KEY" -o questetra-rehearsal.ohs`,
    ],
  },
};

/**
 * An OAuth 2.1 authorization server with its protected resources, the way
 * remote MCP servers publish themselves: RFC 9728 metadata at the resource,
 * RFC 8414 metadata with an RFC 7591 registration endpoint (RFC 7592 read and
 * delete), RFC 8707 resource indicators binding each token to one resource,
 * PKCE S256 on every request, exact redirect matching except loopback ports.
 */
const oauth21: SandboxProfile = {
  id: 'oauth21',
  title: 'OAuth 2.1 server with a protected resource',
  paths: { authorize: '/authorize', token: '/token', revoke: '/revoke' },
  metadata: true,
  clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
  noneRequiresPkce: false,
  confidentialOnly: false,
  missingClientAuthOnRefresh: 'invalid_client',
  invalidClientStatus: 401,
  pkce: { methods: ['S256'], caseInsensitive: false, methodRequired: true, required: true },
  redirectAllowed: exactExceptLoopbackPort,
  lifetimes: { accessToken: 3600, refreshToken: 30 * DAY, code: 60 },
  rotation: 'rotate',
  codeReplayRevokesGrant: true,
  tokenType: 'Bearer',
  createdAt: false,
  scopes: ['read', 'write'],
  defaultScope: 'read',
  defaultRedirectUris: ['http://127.0.0.1/callback'],
  deviceGrant: true,
  registration: true,
  resourceIndicators: true,
  protectedResources: [
    { path: '/mcp', name: 'Sandbox MCP server' },
    { path: '/files', name: 'Sandbox file service' },
    { path: '/misconfigured', name: 'A resource whose metadata names another one', claims: '/mcp' },
  ],
  api: [],
  examplePath: '/mcp',
  playground: {
    next: [...KEYGEN, 'oauth-handoff authorize --resource "$RESOURCE_URL" --name mcp --to "$SERVER_KEY" -o mcp.ohs'],
    nextWithDevice: ['oauth-handoff login --device --resource "$RESOURCE_URL" --name mcp-device'],
  },
};

export const SANDBOX_PROFILES: Readonly<Record<SandboxProfileId, SandboxProfile>> = {
  generic,
  redmine,
  backlog,
  confluence: atlassianProfile('confluence', 'Confluence Data Center'),
  jira: atlassianProfile('jira', 'Jira Data Center'),
  questetra,
  oauth21,
};
