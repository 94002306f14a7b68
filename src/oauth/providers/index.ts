/**
 * The provider presets: one object of one type per system (no `if (provider === …)` in the flow),
 * facts from PROVIDERS.md. All presets live in this one module on purpose:
 * it is loaded on the `token` hot path, where each extra ES module costs
 * about 1 ms of start-up. Adding a system = adding one ProviderPreset object
 * here and its id to ProviderId.
 */
import { CODES, HandoffError } from '../../errors.js';
import type { Endpoints } from '../types.js';
import type { ProviderId, ProviderPreset } from './types.js';
import { message } from '../../i18n/index.js';
import type { Message } from '../../i18n/index.js';

export type { ProviderId, ProviderPreset } from './types.js';

// ─── Normalising what the user typed for --site ───

function invalid(text: Message): HandoffError {
  return new HandoffError(text, { code: CODES.USAGE });
}

/** Parse with https:// assumed when no scheme was typed; reject credentials and other schemes. */
export function parseSite(site: string, title: string): URL {
  const text = typeof site === 'string' ? site.trim() : '';
  if (text === '') throw invalid(message('oauth.site.empty', { title }));
  if (/\s/.test(text)) throw invalid(message('oauth.site.white_space', { title }));
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw invalid(message('oauth.site.not_url', { title }));
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalid(message('oauth.site.scheme', { title, scheme: url.protocol }));
  }
  if (url.username || url.password) throw invalid(message('oauth.site.credentials', { title }));
  if (!url.hostname) throw invalid(message('oauth.site.no_host', { title }));
  return url;
}

/**
 * A self-hosted base URL (Redmine, Confluence, Jira, any server): scheme, host,
 * port and context path, without query, fragment or trailing "/". When the
 * path contains one of `appRoutes` (a page of the application the user copied
 * from the browser), it is cut there: https://host/redmine/projects/x →
 * https://host/redmine.
 */
export function normalizeBaseUrl(site: string, title: string, appRoutes: readonly string[] = []): string {
  const url = parseSite(site, title);
  if (url.search || url.hash) {
    // a URL copied from the browser: keep only what identifies the installation
    url.search = '';
    url.hash = '';
  }
  const segments = url.pathname.split('/').filter((s) => s !== '');
  const cut = segments.findIndex((s) => appRoutes.includes(s.toLowerCase()));
  const kept = cut === -1 ? segments : segments.slice(0, cut);
  return `${url.origin}${kept.length ? `/${kept.join('/')}` : ''}`;
}

/**
 * A hosted service where each tenant is one subdomain of a known domain
 * (Backlog spaces, Questetra contexts): https://{tenant}.{domain}, whatever
 * page of it was pasted. `defaultDomain` completes a bare tenant name.
 */
export function normalizeTenantHost(
  site: string,
  title: string,
  domains: readonly string[],
  defaultDomain?: string,
): string {
  const text = typeof site === 'string' ? site.trim() : '';
  const tenant = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;
  const expanded = defaultDomain && tenant.test(text) ? `${text}.${defaultDomain}` : text;
  const url = parseSite(expanded, title);
  if (url.port) throw invalid(message('oauth.site.port', { title }));
  const host = url.hostname.toLowerCase();
  const domain = domains.find((d) => host.endsWith(`.${d}`));
  if (!domain) {
    throw invalid(
      tenant.test(text)
        ? message('oauth.site.not_subdomain_bare', { title, domains: domains.join(', '), example: `${text}.${domains[0]}` })
        : message('oauth.site.not_subdomain', { title, domains: domains.join(', ') }),
    );
  }
  const name = host.slice(0, -(domain.length + 1));
  if (!tenant.test(name)) throw invalid(message('oauth.site.bad_tenant', { title, name }));
  return `https://${host}`;
}

// ─── Redmine ≥ 6.1 (OAuth by the Doorkeeper gem). PROVIDERS.md § Redmine ───

/** First path segments of Redmine pages, cut off a pasted page URL. */
const REDMINE_ROUTES = Object.freeze([
  'projects', 'issues', 'my', 'login', 'logout', 'admin', 'users', 'groups', 'roles', 'trackers',
  'issue_statuses', 'workflows', 'custom_fields', 'enumerations', 'settings', 'oauth', 'time_entries',
  'activity', 'news', 'search', 'account', 'attachments', 'queries', 'versions', 'auth_sources',
]);

export const redmine: ProviderPreset = {
  id: 'redmine',
  title: 'Redmine',
  endpointSource: 'site',
  normalizeSite: (site) => normalizeBaseUrl(site, 'Redmine', REDMINE_ROUTES),
  endpoints: (site) => ({
    authorization: `${site}/oauth/authorize`,
    token: `${site}/oauth/token`,
    revocation: `${site}/oauth/revoke`,
  }),
  // Basic or body both work; the secret is required on every token request, refresh included
  clientAuth: 'client_secret_basic',
  clientSecretRequired: true,
  pkce: 'supported',
  redirect: {
    loopbackHosts: ['127.0.0.1', 'localhost'],
    // only for http://127.0.0.1 registered without a port; localhost needs its exact port
    anyPort: true,
    defaultPath: '/callback',
    oobUri: 'urn:ietf:wg:oauth:2.0:oob',
    oobSendsState: false,
    exactMatch: false,
  },
  scopes: {
    default: ['view_issues'],
    known: [
      'view_project', 'search_project', 'view_issues', 'add_issues', 'edit_issues', 'edit_own_issues',
      'add_issue_notes', 'view_private_notes', 'delete_issues', 'manage_issue_relations', 'view_time_entries',
      'log_time', 'edit_time_entries', 'edit_own_time_entries', 'view_wiki_pages', 'edit_wiki_pages',
      'view_documents', 'view_files', 'manage_files', 'browse_repository', 'view_changesets', 'view_news',
      'view_messages', 'add_messages', 'view_calendar', 'view_gantt', 'admin',
    ],
    separator: ' ',
  },
  lifetimes: {
    accessTokenSeconds: 7200,
    refreshTokenSliding: false,
    authorizationCodeSeconds: 600,
  },
  rotation: 'on-first-use',
  notes: [
    'provider.redmine.note.rotation',
    'provider.redmine.note.oob',
    'provider.redmine.note.sudo',
    'provider.redmine.note.secret',
  ],
  register: [
    'provider.redmine.register.rest',
    'provider.redmine.register.new',
    'provider.redmine.register.redirect',
    'provider.redmine.register.scopes',
    'provider.redmine.register.copy',
  ],
};

// ─── Nulab Backlog. PROVIDERS.md § Backlog ───

/** The domains Backlog spaces live under. */
export const BACKLOG_DOMAINS = Object.freeze(['backlog.com', 'backlog.jp', 'backlogtool.com']);

export const backlog: ProviderPreset = {
  id: 'backlog',
  title: 'Backlog',
  endpointSource: 'site',
  normalizeSite: (site) => normalizeTenantHost(site, 'Backlog', BACKLOG_DOMAINS),
  endpoints: (site) => ({
    authorization: `${site}/OAuth2AccessRequest.action`,
    token: `${site}/api/v2/oauth2/token`,
  }),
  clientAuth: 'client_secret_post',
  clientSecretRequired: true,
  pkce: 'unknown',
  redirect: {
    loopbackHosts: ['localhost', '127.0.0.1'],
    anyPort: false,
    defaultPath: '/callback',
    oobSendsState: false,
    exactMatch: true,
  },
  scopes: { default: [], known: [], separator: ' ' },
  lifetimes: {
    accessTokenSeconds: 3600,
    refreshTokenSliding: false,
  },
  rotation: 'unknown',
  notes: [
    'provider.backlog.note.exact',
    'provider.backlog.note.rate',
    'provider.backlog.note.unconfirmed',
  ],
  register: [
    'provider.backlog.register.app',
    'provider.backlog.register.redirect',
    'provider.register.copy',
  ],
};

// ─── Atlassian Confluence and Jira Data Center ───
// The same OAuth 2.0 provider plugin, so one factory. PROVIDERS.md § Confluence / Jira Data Center.

const CONFLUENCE_ROUTES = Object.freeze([
  'display', 'spaces', 'pages', 'rest', 'plugins', 'admin', 'users', 'download', 'label', 'login.action',
  'dashboard.action', 'index.action',
]);
const JIRA_ROUTES = Object.freeze([
  'browse', 'secure', 'projects', 'issues', 'rest', 'plugins', 'servicedesk', 'login.jsp', 'dashboards',
]);

function atlassianDataCenter(id: 'confluence' | 'jira', title: string, routes: readonly string[], linkStep: 'provider.confluence.register.link' | 'provider.jira.register.link'): ProviderPreset {
  return {
    id,
    title,
    endpointSource: 'site',
    normalizeSite: (site) => normalizeBaseUrl(site, title, routes),
    // An RFC 8414 document exists; no revocation endpoint is confirmed
    endpoints: (site) => ({
      authorization: `${site}/rest/oauth2/latest/authorize`,
      token: `${site}/rest/oauth2/latest/token`,
    }),
    clientAuth: 'client_secret_post',
    clientSecretRequired: true,
    pkce: 'supported',
    redirect: {
      loopbackHosts: ['localhost'],
      anyPort: false,
      defaultPath: '/callback',
      oobSendsState: false,
      exactMatch: true,
    },
    scopes: { default: ['READ'], known: ['READ', 'WRITE', 'ADMIN', 'SYSTEM_ADMIN'], separator: ' ' },
    lifetimes: {
      accessTokenSeconds: 3600,
      refreshTokenSeconds: 90 * 24 * 3600,
      refreshTokenSliding: true,
      authorizationCodeSeconds: 10,
    },
    rotation: 'immediate',
    notes: [
      'provider.atlassian.note.code',
      'provider.atlassian.note.rotation',
      'provider.atlassian.note.lifetime',
      'provider.atlassian.note.localhost',
      'provider.atlassian.note.revoke',
    ],
    register: [
      linkStep,
      'provider.atlassian.register.redirect',
      'provider.atlassian.register.permissions',
      'provider.register.copy',
    ],
  };
}

export const confluence = atlassianDataCenter('confluence', 'Confluence Data Center', CONFLUENCE_ROUTES, 'provider.confluence.register.link');
export const jira = atlassianDataCenter('jira', 'Jira Data Center', JIRA_ROUTES, 'provider.jira.register.link');

// ─── Questetra BPM Suite. PROVIDERS.md § Questetra ───

export const questetra: ProviderPreset = {
  id: 'questetra',
  title: 'Questetra BPM Suite',
  endpointSource: 'site',
  normalizeSite: (site) => normalizeTenantHost(site, 'Questetra', ['questetra.net'], 'questetra.net'),
  endpoints: (site) => ({
    authorization: `${site}/oauth2/authorize`,
    token: `${site}/oauth2/token`,
  }),
  // "none" works only for a client that requires PKCE
  clientAuth: 'client_secret_post',
  clientSecretRequired: false,
  pkce: 'supported',
  redirect: {
    loopbackHosts: ['localhost', '127.0.0.1'],
    anyPort: false,
    defaultPath: '/callback',
    oobSendsState: false,
    exactMatch: true,
  },
  scopes: { default: ['read'], known: ['any', 'read'], separator: ' ' },
  lifetimes: {
    accessTokenSeconds: 12 * 3600,
    refreshTokenSeconds: 30 * 24 * 3600,
    refreshTokenSliding: false,
  },
  rotation: 'unknown',
  maxRefreshTokensPerUser: 10,
  notes: [
    'provider.questetra.note.cap',
    'provider.questetra.note.lifetime',
    'provider.questetra.note.scopes',
    'provider.questetra.note.pkce',
    'provider.questetra.note.unconfirmed',
  ],
  register: [
    'provider.questetra.register.client',
    'provider.questetra.register.redirect',
    'provider.questetra.register.pkce',
    'provider.register.copy',
  ],
};

// ─── Any RFC 6749 server: endpoints given explicitly or found by RFC 8414 / OpenID discovery ───

export const generic: ProviderPreset = {
  id: 'generic',
  title: 'OAuth 2.0 server',
  endpointSource: 'explicit',
  normalizeSite: (site) => normalizeBaseUrl(site, 'OAuth 2.0 server'),
  endpoints: () => {
    throw new HandoffError(
      message('oauth.provider.generic_no_endpoints'),
      { code: CODES.USAGE },
    );
  },
  clientAuth: 'client_secret_basic',
  clientSecretRequired: false,
  pkce: 'unknown',
  redirect: {
    loopbackHosts: ['127.0.0.1', 'localhost'],
    anyPort: false,
    defaultPath: '/callback',
    oobSendsState: false,
    exactMatch: true,
  },
  scopes: { default: [], known: [], separator: ' ' },
  lifetimes: { refreshTokenSliding: false },
  rotation: 'unknown',
  notes: [
    'provider.generic.note.endpoints',
    'provider.generic.note.pkce',
  ],
  register: [
    'provider.generic.register.client',
    'provider.generic.register.redirect',
    'provider.generic.register.note',
  ],
};

// ─── The registry ───

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}

export const PROVIDERS: Readonly<Record<ProviderId, ProviderPreset>> = deepFreeze({
  redmine,
  backlog,
  confluence,
  jira,
  questetra,
  generic,
});

export const PROVIDER_IDS: readonly ProviderId[] = Object.freeze(Object.keys(PROVIDERS) as ProviderId[]);

/** The preset for an id, or a USAGE error listing the valid ids. */
export function getProvider(id: string): ProviderPreset {
  const key = typeof id === 'string' ? id.trim().toLowerCase() : '';
  if (Object.hasOwn(PROVIDERS, key)) return PROVIDERS[key as ProviderId];
  const providers = PROVIDER_IDS.join(', ');
  const text =
    typeof id === 'string' && id.length <= 40
      ? message('oauth.provider.unknown', { shown: `"${id.replace(/[^\x20-\x7e]/g, '?')}"`, providers })
      : message('oauth.provider.unknown_unshown', { providers });
  throw new HandoffError(text, {
    code: CODES.USAGE,
  });
}

/**
 * The endpoints for a credential: the preset's, derived from the site, with
 * any explicitly given endpoint taking precedence. A preset whose endpoints
 * are `explicit` (generic) needs at least the token endpoint in `overrides`;
 * to use discovery instead, call `discover()` and pass its endpoints here.
 */
export function resolveEndpoints(
  preset: ProviderPreset,
  opts: { site?: string; overrides?: Partial<Endpoints> },
): Endpoints {
  const overrides: Partial<Endpoints> = {};
  for (const [k, v] of Object.entries(opts.overrides ?? {})) {
    if (typeof v === 'string' && v !== '') (overrides as Record<string, string>)[k] = v;
  }
  let base: Partial<Endpoints> = {};
  if (preset.endpointSource === 'site') {
    if (!opts.site) {
      if (!overrides.token) {
        throw new HandoffError(message('oauth.provider.needs_site', { title: preset.title }), { code: CODES.USAGE });
      }
    } else {
      base = preset.endpoints(preset.normalizeSite(opts.site));
    }
  }
  const merged = { ...base, ...overrides };
  if (!merged.token) {
    throw new HandoffError(
      message('oauth.provider.no_token_endpoint', { title: preset.title }),
      { code: CODES.USAGE },
    );
  }
  for (const [name, url] of Object.entries(merged)) {
    if (!URL.canParse(url) || !/^https?:\/\//i.test(url)) {
      throw new HandoffError(message('oauth.provider.endpoint_not_url', { name }), { code: CODES.USAGE });
    }
  }
  return merged as Endpoints;
}

/** The loopback redirect URI a preset prefers: http://{first loopback host}:{port}{default path}. */
export function defaultRedirectUri(preset: ProviderPreset, port: number): string {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new HandoffError(message('oauth.provider.bad_port'), { code: CODES.USAGE });
  }
  const host = preset.redirect.loopbackHosts[0] ?? '127.0.0.1';
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}${preset.redirect.defaultPath}`;
}

/**
 * Whether to send PKCE S256: always, unless the preset says the server does not
 * support it, or the server's metadata lists challenge methods without S256.
 */
export function usePkce(preset: ProviderPreset, metadata?: { code_challenge_methods_supported?: string[] }): boolean {
  if (preset.pkce === 'unsupported') return false;
  const methods = metadata?.code_challenge_methods_supported;
  return !(Array.isArray(methods) && methods.length > 0 && !methods.includes('S256'));
}
