/**
 * From the provider/client options (`providerOptions` in cli-options.ts) to
 * what an authorization needs: the preset, the normalised site, the endpoints
 * (given, derived from the site, or discovered), the client with its secret,
 * the scopes and whether to send PKCE. The same for `authorize` (laptop) and
 * `login` (headless); how the redirect is received is each side's own.
 * No prompts except the client secret, no output except through `out`.
 */
import { CODES, HandoffError } from '../errors.js';
import {
  CLIENT_AUTH_METHODS,
  discover,
  endpointsFromMetadata,
  getProvider,
  resolveEndpoints,
  usePkce,
} from '../oauth/index.js';
import type { ClientAuthMethod, ClientConfig, Endpoints, HttpClient, ProviderPreset, ServerMetadata } from '../oauth/index.js';
import { resolveSecret } from '../terminal/index.js';
import type { Output } from '../terminal/index.js';

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
  /** the discovery document, when --issuer was given */
  metadata?: ServerMetadata;
  client: ClientConfig;
  scopes: string[];
  /** send PKCE S256 */
  pkce: boolean;
}

/** What the target resolution may use: an HTTP client (made on demand), the output, the environment. */
export interface TargetDeps {
  http: () => Promise<HttpClient>;
  out: Output;
  env?: NodeJS.ProcessEnv;
}

/** The options checked without any I/O. */
export interface CheckedSelection {
  preset: ProviderPreset;
  clientId: string;
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
export function checkSelection(o: Pick<ProviderSelection, 'provider' | 'clientId' | 'clientAuth'>): CheckedSelection {
  const preset = getProvider(trimmed(o.provider) ?? 'generic');
  const clientId = trimmed(o.clientId);
  if (!clientId) {
    throw new HandoffError('the client ID is missing: give --client-id (registered on the system)', { code: CODES.USAGE });
  }
  const asked = trimmed(o.clientAuth);
  if (asked !== undefined && !CLIENT_AUTH_METHODS.includes(asked as ClientAuthMethod)) {
    throw new HandoffError(`unknown client authentication "${shown(asked, 40)}" (expected ${CLIENT_AUTH_METHODS.join(', ')})`, { code: CODES.USAGE });
  }
  return { preset, clientId, ...(asked === undefined ? {} : { clientAuth: asked as ClientAuthMethod }) };
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
  const issuer = trimmed(o.issuer);
  if (issuer) metadata = await discover(await deps.http(), issuer);
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

  const client = await resolveClient(o, preset, metadata, clientId, clientAuth, deps);
  const target: AuthorizationTarget = {
    preset,
    endpoints,
    client,
    scopes: scopesFrom(o.scopes, preset),
    pkce: usePkce(preset, metadata),
  };
  if (site !== undefined) target.site = site;
  if (metadata) target.metadata = metadata;
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
      prompt: needsSecret || askForIt ? { question: `client secret for ${id}: ` } : false,
      flags: `--client-secret-file or $${CLIENT_SECRET_ENV}`,
    },
    deps.out,
  );
  if (asked === 'none') return { id, auth_method: 'none' };
  if (secret === undefined || secret === '') {
    if (needsSecret) {
      throw new HandoffError(`the ${preset.title} client needs its client secret: give --client-secret-file or set $${CLIENT_SECRET_ENV}`, {
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
