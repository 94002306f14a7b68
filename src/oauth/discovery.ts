/**
 * Authorization server metadata (RFC 8414, OpenID Connect Discovery 1.0).
 */
import { CODES, HandoffError } from '../errors.js';
import { endpointName, jsonObjectBody, malformed, nestedMessage, throwIfErrorResponse } from './error-mapping.js';
import type { Endpoints, HttpClient, RawResponse } from './types.js';
import { message } from '../i18n/index.js';

/** RFC 8414 §3 well-known URI suffix. */
export const OAUTH_METADATA_SUFFIX = 'oauth-authorization-server';
/** OpenID Connect Discovery 1.0 §4 well-known URI suffix. */
export const OPENID_METADATA_SUFFIX = 'openid-configuration';

export type MetadataKind = typeof OAUTH_METADATA_SUFFIX | typeof OPENID_METADATA_SUFFIX;

/** RFC 8414 §2 (the fields this toolkit uses; everything else stays in `raw`). */
export interface ServerMetadata {
  issuer: string;
  authorization_endpoint?: string;
  token_endpoint: string;
  revocation_endpoint?: string;
  device_authorization_endpoint?: string;
  /** RFC 7591 §3 */
  registration_endpoint?: string;
  scopes_supported?: string[];
  response_types_supported?: string[];
  grant_types_supported?: string[];
  token_endpoint_auth_methods_supported?: string[];
  code_challenge_methods_supported?: string[];
  /** RFC 9207 */
  authorization_response_iss_parameter_supported?: boolean;
  /** where the document was found */
  metadataUrl: string;
  raw: Record<string, unknown>;
}

function parseIssuer(issuer: string): URL {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new HandoffError(message('oauth.discovery.issuer_not_absolute'), { code: CODES.USAGE });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new HandoffError(message('oauth.discovery.issuer_scheme', { scheme: url.protocol }), { code: CODES.USAGE });
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new HandoffError(message('oauth.discovery.issuer_parts'), {
      code: CODES.USAGE,
    });
  }
  return url;
}

/**
 * The metadata URL for an issuer. RFC 8414 §3.1 inserts the well-known part
 * between host and path; OpenID Connect Discovery §4.1 appends it to the issuer.
 */
export function metadataUrl(issuer: string, kind: MetadataKind): string {
  const url = parseIssuer(issuer);
  const path = url.pathname.replace(/\/+$/, '');
  return kind === OAUTH_METADATA_SUFFIX
    ? `${url.origin}/.well-known/${kind}${path}`
    : `${url.origin}${path}/.well-known/${kind}`;
}

/** RFC 8414 §3.1 / OpenID Discovery §4.1 metadata request. */
export async function discoveryRequest(http: HttpClient, issuer: string, kind: MetadataKind): Promise<RawResponse> {
  return http.get(metadataUrl(issuer, kind));
}

function sameIssuer(a: string, b: string): boolean {
  return a === b || a.replace(/\/$/, '') === b.replace(/\/$/, '');
}

/**
 * RFC 8414 §3.2 metadata response and §3.3 validation: a JSON object whose
 * `issuer` is the one asked for (a trailing "/" aside), with a token endpoint
 * and http(s) URLs.
 */
export function processDiscoveryResponse(res: RawResponse, issuer: string): ServerMetadata {
  const where = endpointName('metadata', res.request.url);
  throwIfErrorResponse(res, where);
  const body = jsonObjectBody(res, where);
  if (typeof body.issuer !== 'string' || !sameIssuer(body.issuer, issuer)) {
    throw malformed(message('oauth.discovery.other_issuer', { endpoint: where, issuer }), res);
  }
  const url = (name: string, required: boolean): string | undefined => {
    const value = body[name];
    if (value === undefined || value === null) {
      if (required) throw malformed(message('oauth.discovery.missing', { endpoint: where, name }), res);
      return undefined;
    }
    if (typeof value !== 'string' || !/^https?:\/\//i.test(value) || !URL.canParse(value)) {
      throw malformed(message('oauth.discovery.not_url', { endpoint: where, name }), res);
    }
    return value;
  };
  const list = (name: string): string[] | undefined => {
    const value = body[name];
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;
  };
  const meta: ServerMetadata = {
    issuer: body.issuer,
    token_endpoint: url('token_endpoint', true) as string,
    metadataUrl: res.request.url,
    raw: body,
  };
  const optional = {
    authorization_endpoint: url('authorization_endpoint', false),
    revocation_endpoint: url('revocation_endpoint', false),
    device_authorization_endpoint: url('device_authorization_endpoint', false),
    registration_endpoint: url('registration_endpoint', false),
    scopes_supported: list('scopes_supported'),
    response_types_supported: list('response_types_supported'),
    grant_types_supported: list('grant_types_supported'),
    token_endpoint_auth_methods_supported: list('token_endpoint_auth_methods_supported'),
    code_challenge_methods_supported: list('code_challenge_methods_supported'),
    authorization_response_iss_parameter_supported:
      typeof body.authorization_response_iss_parameter_supported === 'boolean'
        ? body.authorization_response_iss_parameter_supported
        : undefined,
  };
  for (const [k, v] of Object.entries(optional)) {
    if (v !== undefined) (meta as unknown as Record<string, unknown>)[k] = v;
  }
  return meta;
}

/**
 * RFC 8414 §3 discovery, then OpenID Connect Discovery 1.0 §4 when the first
 * has no valid document. A network failure is thrown at once (the same host
 * serves both); if both documents fail, PROVIDER_UNAVAILABLE when either
 * failure was transient, else PROVIDER_ERROR naming both.
 */
export async function discover(http: HttpClient, issuer: string): Promise<ServerMetadata> {
  parseIssuer(issuer);
  const failures: HandoffError[] = [];
  for (const kind of [OAUTH_METADATA_SUFFIX, OPENID_METADATA_SUFFIX] as const) {
    const res = await discoveryRequest(http, issuer, kind);
    try {
      return processDiscoveryResponse(res, issuer);
    } catch (e) {
      if (!(e instanceof HandoffError)) throw e;
      failures.push(e);
    }
  }
  const transient = failures.find((f) => f.code === CODES.PROVIDER_UNAVAILABLE);
  if (transient) throw transient;
  throw new HandoffError(
    // two documents were tried (RFC 8414, then OpenID Connect Discovery), so two failures
    message('oauth.discovery.none_usable', { issuer, first: nestedMessage(failures[0] as HandoffError), second: nestedMessage(failures[1] as HandoffError) }),
    { code: CODES.PROVIDER_ERROR, cause: failures[failures.length - 1] },
  );
}

/** The endpoints a metadata document names. */
export function endpointsFromMetadata(meta: ServerMetadata): Endpoints {
  const endpoints: Endpoints = { token: meta.token_endpoint, issuer: meta.issuer };
  if (meta.authorization_endpoint) endpoints.authorization = meta.authorization_endpoint;
  if (meta.revocation_endpoint) endpoints.revocation = meta.revocation_endpoint;
  if (meta.device_authorization_endpoint) endpoints.device_authorization = meta.device_authorization_endpoint;
  return endpoints;
}
