/**
 * `login`: from the options to what the flow needs — the preset, the
 * endpoints (given, derived from --site, or discovered), the client, the
 * scopes and the redirect URI. No prompts except the client secret, no
 * output except through `out`.
 */
import { CLIENT_SECRET_ENV } from '../cli-options.js';
import { CODES, HandoffError } from '../errors.js';
import {
  CLIENT_AUTH_METHODS,
  defaultRedirectUri,
  discover,
  endpointsFromMetadata,
  getProvider,
  resolveEndpoints,
  usePkce,
} from '../oauth/index.js';
import type { ClientAuthMethod, ClientConfig, Endpoints, HttpClient, ProviderPreset, ServerMetadata } from '../oauth/index.js';
import { resolveSecret } from '../terminal/index.js';
import type { Output } from '../terminal/index.js';

export { CLIENT_SECRET_ENV };

/** The standard out-of-band redirect URI (RFC 8252 §7 footnote; Doorkeeper, older Google). */
export const OOB_REDIRECT_URI = 'urn:ietf:wg:oauth:2.0:oob';

/** Loopback ports picked when the preset accepts any port (IANA dynamic range). */
const DYNAMIC_PORTS = { min: 49152, max: 65535 } as const;

/** Which server and which registered client: the options `authorize` and `login` share. */
export interface ProviderSelection {
  /** preset id; default generic */
  provider?: string;
  site?: string;
  clientId?: string;
  /** given on the command line: works, but warns */
  clientSecret?: string;
  clientSecretFile?: string;
  clientAuth?: string;
  /** each entry may hold several space-separated scopes */
  scopes?: string[];
  redirectUri?: string;
  /** "loopback" or "oob" */
  redirect?: string;
  issuer?: string;
  authorizationEndpoint?: string;
  tokenEndpoint?: string;
  revocationEndpoint?: string;
  deviceAuthorizationEndpoint?: string;
}

export interface LoginTarget {
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

export interface RedirectChoice {
  uri: string;
  /** oob: the server shows the code on a page (a bare code may be pasted); url: the browser lands on `uri` */
  kind: 'oob' | 'url';
  /** the response may lack `state` (the OOB page does not carry it back) */
  allowMissingState: boolean;
}

const trimmed = (s: string | undefined): string | undefined => (typeof s === 'string' && s.trim() !== '' ? s.trim() : undefined);

/** Scopes from repeatable, possibly space-separated options; the preset's default when none. */
export function scopesFrom(given: string[] | undefined, preset: ProviderPreset): string[] {
  const list = (given ?? []).flatMap((s) => String(s).split(/\s+/)).filter((s) => s !== '');
  return list.length > 0 ? [...new Set(list)] : [...preset.scopes.default];
}

/**
 * The preset, endpoints, client and scopes. Runs discovery when --issuer is
 * given; asks for the client secret (file, env, prompt) only when the client
 * authenticates with one.
 */
export async function resolveLoginTarget(o: ProviderSelection, deps: { http: () => Promise<HttpClient>; out: Output; env?: NodeJS.ProcessEnv }): Promise<LoginTarget> {
  const preset = getProvider(trimmed(o.provider) ?? 'generic');
  const clientId = trimmed(o.clientId);
  if (!clientId) {
    throw new HandoffError('the client ID is missing: give --client-id (registered on the system)', { code: CODES.USAGE });
  }
  const site = trimmed(o.site) === undefined ? undefined : preset.normalizeSite(trimmed(o.site) as string);

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

  const client = await resolveClient(o, preset, metadata, clientId, deps);
  const target: LoginTarget = {
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

async function resolveClient(
  o: ProviderSelection,
  preset: ProviderPreset,
  metadata: ServerMetadata | undefined,
  id: string,
  deps: { out: Output; env?: NodeJS.ProcessEnv },
): Promise<ClientConfig> {
  const asked = trimmed(o.clientAuth);
  if (asked !== undefined && !CLIENT_AUTH_METHODS.includes(asked as ClientAuthMethod)) {
    throw new HandoffError(`unknown client authentication "${asked}" (expected ${CLIENT_AUTH_METHODS.join(', ')})`, { code: CODES.USAGE });
  }
  const needsSecret = asked === undefined ? preset.clientSecretRequired : asked !== 'none';
  const secret = await resolveSecret(
    {
      what: 'client secret',
      argv: o.clientSecret,
      file: o.clientSecretFile,
      envName: CLIENT_SECRET_ENV,
      env: deps.env,
      prompt: needsSecret ? { question: `client secret for ${id}: ` } : false,
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
  let method: ClientAuthMethod = (asked as ClientAuthMethod | undefined) ?? preset.clientAuth;
  const supported = metadata?.token_endpoint_auth_methods_supported;
  if (asked === undefined && supported && supported.length > 0 && !supported.includes(method)) {
    method = (['client_secret_basic', 'client_secret_post'] as const).find((m) => supported.includes(m)) ?? method;
  }
  return { id, secret, auth_method: method };
}

/**
 * The redirect URI for a flow where someone pastes the result back.
 * - --redirect-uri: used as given (the OOB URN counts as oob);
 * - --redirect oob: the preset's OOB URI (generic servers: the standard URN);
 * - --redirect loopback, or no choice and no OOB page: a loopback URI, on a
 *   random port when the server accepts any port, else --redirect-uri is needed;
 * - no choice and the preset has an OOB page: oob (a code is easier to copy
 *   than an address bar).
 */
export function chooseRedirect(o: Pick<ProviderSelection, 'redirect' | 'redirectUri'>, preset: ProviderPreset, random: () => number = Math.random): RedirectChoice {
  const kind = trimmed(o.redirect)?.toLowerCase();
  if (kind !== undefined && kind !== 'oob' && kind !== 'loopback') {
    throw new HandoffError(`unknown --redirect "${kind.slice(0, 40)}" (expected loopback or oob)`, { code: CODES.USAGE });
  }
  const given = trimmed(o.redirectUri);
  const oobUri = preset.redirect.oobUri ?? (preset.id === 'generic' ? OOB_REDIRECT_URI : undefined);
  const isOob = (uri: string) => uri === oobUri || uri === OOB_REDIRECT_URI || uri.startsWith(`${OOB_REDIRECT_URI}:`);
  const oob = (uri: string): RedirectChoice => ({ uri, kind: 'oob', allowMissingState: !preset.redirect.oobSendsState });
  if (given !== undefined) {
    if (isOob(given)) {
      if (kind === 'loopback') throw new HandoffError('--redirect loopback contradicts an out-of-band --redirect-uri', { code: CODES.USAGE });
      return oob(given);
    }
    if (kind === 'oob') throw new HandoffError('--redirect oob contradicts the http(s) --redirect-uri given', { code: CODES.USAGE });
    let url: URL;
    try {
      url = new URL(given);
    } catch {
      throw new HandoffError('--redirect-uri is not an absolute URL', { code: CODES.USAGE });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new HandoffError(`--redirect-uri must be an http(s) URL or ${OOB_REDIRECT_URI}`, { code: CODES.USAGE });
    }
    return { uri: given, kind: 'url', allowMissingState: false };
  }
  if (kind === 'oob' || (kind === undefined && preset.redirect.oobUri !== undefined)) {
    if (oobUri === undefined) {
      throw new HandoffError(`${preset.title} has no known out-of-band page: use a loopback redirect (--redirect-uri as registered)`, {
        code: CODES.USAGE,
      });
    }
    return oob(oobUri);
  }
  if (!preset.redirect.anyPort) {
    const example = defaultRedirectUri(preset, 8765).replace(':8765', ':PORT');
    throw new HandoffError(
      `${preset.title} matches the redirect URI exactly: give --redirect-uri as registered on the system (e.g. ${example})`,
      { code: CODES.USAGE },
    );
  }
  const port = DYNAMIC_PORTS.min + Math.floor(random() * (DYNAMIC_PORTS.max - DYNAMIC_PORTS.min + 1));
  return { uri: defaultRedirectUri(preset, Math.min(port, DYNAMIC_PORTS.max)), kind: 'url', allowMissingState: false };
}
