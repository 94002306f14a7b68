/**
 * From the provider/client options (`providerOptions` in cli-options.ts) to
 * what an authorization needs: the preset, the normalised site, the endpoints
 * (given, derived from the site, or discovered), the client with its secret,
 * the scopes and whether to send PKCE. The same for `authorize` (laptop) and
 * `login` (headless); how the redirect is received is each side's own.
 * No prompts except the client secret, no output except through `out`.
 */
import { CODES, HandoffError } from '../errors.js';
import { message } from '../i18n/index.js';
import {
  CLIENT_AUTH_METHODS,
  discover,
  discoverResource,
  endpointsFromMetadata,
  getProvider,
  parseResourceUrl,
  resolveEndpoints,
  usePkce,
} from '../oauth/index.js';
import type {
  ClientAuthMethod,
  ClientConfig,
  Endpoints,
  HttpClient,
  ProviderPreset,
  ResourceMetadata,
  ServerMetadata,
} from '../oauth/index.js';
import { resolveSecret } from '../terminal/index.js';
import type { Output } from '../terminal/index.js';
import { chooseAuthorizationServer, checkOAuth21, DEFAULT_REGISTERED_REDIRECT_PATH, registerClient } from './registration.js';
import type { ClientRegistration } from './registration.js';

/** The environment variable that may hold the client secret. */
export const CLIENT_SECRET_ENV = 'OAUTH_HANDOFF_CLIENT_SECRET';

/** Which server and which registered client: the options `authorize` and `login` share. */
export interface ProviderSelection {
  /** preset id; default generic */
  provider?: string;
  site?: string;
  clientId?: string;
  /** given on the command line: works, but warns; "" (the flag without a value) = ask on the terminal */
  clientSecret?: string;
  clientSecretFile?: string;
  clientAuth?: string;
  /** each entry may hold several space-separated scopes */
  scopes?: string[];
  /** the registered redirect URI (each side decides how it is received) */
  redirectUri?: string;
  /** "loopback" or "oob" */
  redirect?: string;
  issuer?: string;
  /**
   * the protected resource's URL (RFC 9728 discovery, RFC 8707 resource
   * indicator); with several authorization servers named, --issuer picks one
   */
  resource?: string;
  authorizationEndpoint?: string;
  tokenEndpoint?: string;
  revocationEndpoint?: string;
  deviceAuthorizationEndpoint?: string;
}

/** What both sides authorize against. */
export interface AuthorizationTarget {
  preset: ProviderPreset;
  /** the normalised --site, when one was given */
  site?: string;
  endpoints: Endpoints;
  /** the discovery document, when --issuer or --resource was given */
  metadata?: ServerMetadata;
  /** the protected resource metadata (RFC 9728), when --resource was given */
  resourceMetadata?: ResourceMetadata;
  /** the resource indicator sent in every request (RFC 8707): the resource's identifier */
  resource?: string;
  client: ClientConfig;
  /** what dynamic registration (RFC 7591) returned beyond the client, when the client was registered now */
  registration?: ClientRegistration;
  /** the server claims OAuth 2.1 (or was found from a resource): PKCE S256 always, the code grant only */
  oauth21: boolean;
  scopes: string[];
  /** send PKCE S256 */
  pkce: boolean;
}

/** What the target resolution may use: an HTTP client (made on demand), the output, the environment. */
export interface TargetDeps {
  http: () => Promise<HttpClient>;
  out: Output;
  env?: NodeJS.ProcessEnv;
  /** pick one of several authorization servers a resource names (default: ask on the terminal) */
  choose?: (question: string, choices: readonly string[]) => Promise<string>;
}

/** The options checked without any I/O. */
export interface CheckedSelection {
  /** with a client to be registered (no --client-id), a loopback redirect on any port is registered */
  preset: ProviderPreset;
  /** absent: the client is registered with the server (RFC 7591) when its metadata allows */
  clientId?: string;
  /** the --client-auth asked for, if any */
  clientAuth?: ClientAuthMethod;
}

const trimmed = (s: string | undefined): string | undefined => (typeof s === 'string' && s.trim() !== '' ? s.trim() : undefined);

/** A printable, bounded form of user input for messages. */
export function shown(text: string, max = 120): string {
  const clean = text.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/** Scopes from repeatable, possibly space-separated options; the preset's default when none. */
export function scopesFrom(given: readonly string[] | undefined, preset: ProviderPreset): string[] {
  const list = (given ?? []).flatMap((s) => String(s).split(/\s+/)).filter((s) => s !== '');
  return list.length > 0 ? [...new Set(list)] : [...preset.scopes.default];
}

/** The loopback redirect URI to register, from the preset's redirect rules (PORT where a fixed port is needed). */
export function registerRedirectExample(p: ProviderPreset): string {
  const host = p.redirect.loopbackHosts[0] ?? '127.0.0.1';
  const h = host.includes(':') ? `[${host}]` : host;
  return p.redirect.anyPort ? `http://${h}${p.redirect.defaultPath}` : `http://${h}:PORT${p.redirect.defaultPath}`;
}

/**
 * The preset, the client id and the client authentication asked for: what
 * can be checked before anything touches the network or the terminal.
 * Throws USAGE.
 */
export function checkSelection(
  o: Pick<ProviderSelection, 'provider' | 'clientId' | 'clientAuth' | 'issuer' | 'resource' | 'redirectUri'>,
): CheckedSelection {
  let preset = getProvider(trimmed(o.provider) ?? 'generic');
  const clientId = trimmed(o.clientId);
  const resource = trimmed(o.resource);
  if (resource !== undefined) {
    if (preset.id !== 'generic') throw new HandoffError(message('resource.not_generic', { provider: preset.title }), { code: CODES.USAGE });
    parseResourceUrl(resource);
  }
  // without a client id, the server's metadata may offer dynamic registration (RFC 7591)
  const mayRegister = preset.id === 'generic' && (resource !== undefined || trimmed(o.issuer) !== undefined);
  if (!clientId && !mayRegister) {
    throw new HandoffError(message('resource.client_id_missing'), { code: CODES.USAGE });
  }
  const asked = trimmed(o.clientAuth);
  if (asked !== undefined && !CLIENT_AUTH_METHODS.includes(asked as ClientAuthMethod)) {
    throw new HandoffError(message('authorization.client.unknown_auth', { method: shown(asked, 40), methods: CLIENT_AUTH_METHODS.join(', ') }), { code: CODES.USAGE });
  }
  if (!clientId && trimmed(o.redirectUri) === undefined) {
    // the client registers the loopback redirect without a port: any port matches (RFC 8252 §7.3)
    preset = { ...preset, redirect: { ...preset.redirect, anyPort: true, exactMatch: false, defaultPath: DEFAULT_REGISTERED_REDIRECT_PATH } };
  }
  return { preset, ...(clientId ? { clientId } : {}), ...(asked === undefined ? {} : { clientAuth: asked as ClientAuthMethod }) };
}

/**
 * The preset, endpoints, client and scopes. Runs discovery when --issuer is
 * given; asks for the client secret (argv, file, env, prompt) only when the
 * client authenticates with one, or when --client-secret was given without a
 * value. Throws USAGE for options that cannot work, and what discovery throws.
 */
export async function resolveTarget(o: ProviderSelection, deps: TargetDeps): Promise<AuthorizationTarget> {
  const { preset, clientId, clientAuth } = checkSelection(o);
  const siteGiven = trimmed(o.site);
  const site = siteGiven === undefined ? undefined : preset.normalizeSite(siteGiven);

  let metadata: ServerMetadata | undefined;
  let resourceMetadata: ResourceMetadata | undefined;
  let issuer = trimmed(o.issuer);
  const resource = trimmed(o.resource);
  if (resource !== undefined) {
    resourceMetadata = await discoverResource(await deps.http(), resource);
    issuer = await chooseAuthorizationServer(resourceMetadata, issuer, deps.choose, deps.out.i18n);
  }
  if (issuer) metadata = await discover(await deps.http(), issuer);
  const oauth21 = checkOAuth21(metadata, resourceMetadata !== undefined);
  const explicit: Partial<Endpoints> = {};
  const put = (k: keyof Endpoints, v: string | undefined) => {
    if (trimmed(v)) explicit[k] = trimmed(v) as string;
  };
  put('authorization', o.authorizationEndpoint);
  put('token', o.tokenEndpoint);
  put('revocation', o.revocationEndpoint);
  put('device_authorization', o.deviceAuthorizationEndpoint);
  const endpoints = resolveEndpoints(preset, {
    ...(site === undefined ? {} : { site }),
    overrides: { ...(metadata ? endpointsFromMetadata(metadata) : {}), ...explicit },
  });

  // no scopes asked for: those the resource lists (RFC 9728 §2), else the preset's
  const listed = resourceMetadata?.scopes_supported ?? [];
  const scopes = (o.scopes ?? []).length === 0 && listed.length > 0 ? [...listed] : scopesFrom(o.scopes, preset);
  let client: ClientConfig;
  let registration: ClientRegistration | undefined;
  if (clientId !== undefined) client = await resolveClient(o, preset, metadata, clientId, clientAuth, deps);
  else {
    const registered = await registerClient(await deps.http(), metadata, {
      preset,
      scopes,
      ...(trimmed(o.redirectUri) ? { redirectUri: trimmed(o.redirectUri) as string } : {}),
      ...(clientAuth ? { clientAuth } : {}),
    });
    client = registered.client;
    registration = registered.registration;
    deps.out.info(deps.out.t('resource.registered', { client: client.id, endpoint: metadata?.registration_endpoint ?? '' }));
  }
  const target: AuthorizationTarget = {
    preset,
    endpoints,
    client,
    scopes,
    pkce: oauth21 || usePkce(preset, metadata),
    oauth21,
  };
  if (site !== undefined) target.site = site;
  if (metadata) target.metadata = metadata;
  if (resourceMetadata) {
    target.resourceMetadata = resourceMetadata;
    target.resource = resourceMetadata.resource;
  }
  if (registration) target.registration = registration;
  return target;
}

/**
 * The client: its secret, and how it authenticates — as asked, else the
 * preset's when the server's metadata allows it, else one the server lists.
 */
async function resolveClient(
  o: ProviderSelection,
  preset: ProviderPreset,
  metadata: ServerMetadata | undefined,
  id: string,
  asked: ClientAuthMethod | undefined,
  deps: TargetDeps,
): Promise<ClientConfig> {
  const needsSecret = asked === undefined ? preset.clientSecretRequired : asked !== 'none';
  const askForIt = o.clientSecret === '' && asked !== 'none';
  const secret = await resolveSecret(
    {
      what: 'client secret',
      ...(o.clientSecret ? { argv: o.clientSecret } : {}),
      ...(o.clientSecretFile !== undefined ? { file: o.clientSecretFile } : {}),
      envName: CLIENT_SECRET_ENV,
      ...(deps.env ? { env: deps.env } : {}),
      prompt: needsSecret || askForIt ? { question: deps.out.t('authorization.client.secret_question', { client: id }) } : false,
      flags: `--client-secret-file or $${CLIENT_SECRET_ENV}`,
    },
    deps.out,
  );
  if (asked === 'none') return { id, auth_method: 'none' };
  if (secret === undefined || secret === '') {
    if (needsSecret) {
      throw new HandoffError(message('authorization.client.secret_needed', { provider: preset.title, env: CLIENT_SECRET_ENV }), {
        code: CODES.USAGE,
      });
    }
    return { id, auth_method: 'none' };
  }
  if (asked !== undefined) return { id, secret, auth_method: asked };
  // a secret was given: authenticate with it, even where the preset would not
  let method: ClientAuthMethod = preset.clientAuth === 'none' ? 'client_secret_basic' : preset.clientAuth;
  const supported = metadata?.token_endpoint_auth_methods_supported;
  if (supported && supported.length > 0 && !supported.includes(method)) {
    method = (['client_secret_basic', 'client_secret_post'] as const).find((m) => supported.includes(m)) ?? method;
  }
  return { id, secret, auth_method: method };
}
