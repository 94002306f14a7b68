/**
 * Protected resource metadata (RFC 9728): from the URL of a protected
 * resource to the authorization servers it trusts. Found through the
 * `resource_metadata` parameter of a `WWW-Authenticate: Bearer` challenge
 * (§5.1), else at the well-known URI inserted before the resource's path
 * (§3.1), else at the origin's well-known URI (the fallback MCP clients use).
 * Whichever way it came, the document's `resource` must be the URL asked for
 * (§3.3), or it is not used.
 */
import { CODES, HandoffError } from '../errors.js';
import { cleanServerText, endpointName, jsonObjectBody, malformed, throwIfErrorResponse } from './error-mapping.js';
import type { HttpClient, RawResponse } from './types.js';
import { message } from '../i18n/index.js';
import type { Message } from '../i18n/index.js';

/** RFC 9728 §3 well-known URI suffix. */
export const RESOURCE_METADATA_SUFFIX = 'oauth-protected-resource';

/** RFC 9728 §2 (the fields this toolkit uses; everything else stays in `raw`). */
export interface ResourceMetadata {
  /** the resource identifier, equal to the URL asked for (§3.3) */
  resource: string;
  /** issuer identifiers of the authorization servers (RFC 8414 §2); may be empty */
  authorization_servers: string[];
  scopes_supported?: string[];
  bearer_methods_supported?: string[];
  resource_name?: string;
  /** where the document was found */
  metadataUrl: string;
  /** how it was found */
  foundBy: 'challenge' | 'well-known';
  raw: Record<string, unknown>;
}

function usage(text: Message): HandoffError {
  return new HandoffError(text, { code: CODES.USAGE });
}

/**
 * A resource identifier (RFC 8707 §2, RFC 9728 §1.2): an absolute http(s) URL
 * without a fragment or credentials. Returns it parsed.
 */
export function parseResourceUrl(resource: string): URL {
  let url: URL;
  try {
    url = new URL(resource);
  } catch {
    throw usage(message('oauth.resource.not_absolute'));
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw usage(message('oauth.resource.scheme', { scheme: url.protocol }));
  if (url.hash || resource.includes('#')) throw usage(message('oauth.resource.fragment'));
  if (url.username || url.password) throw usage(message('oauth.resource.credentials'));
  return url;
}

/** Whether two resource identifiers are the same URL (compared after URL parsing: case of scheme and host, default port, an empty path as "/"). */
export function sameResource(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return false;
  }
}

/**
 * The well-known URLs to try, in order (RFC 9728 §3.1): the suffix inserted
 * between the host and the path (a query kept after it), then, for a URL with
 * a path, the origin's own.
 */
export function resourceMetadataUrls(resource: string): string[] {
  const url = parseResourceUrl(resource);
  const path = url.pathname.replace(/\/+$/, '');
  const inserted = `${url.origin}/.well-known/${RESOURCE_METADATA_SUFFIX}${path}${url.search}`;
  const root = `${url.origin}/.well-known/${RESOURCE_METADATA_SUFFIX}`;
  return inserted === root ? [root] : [inserted, root];
}

/** RFC 9728 §3.1 Protected Resource Metadata Request. */
export async function resourceMetadataRequest(http: HttpClient, metadataUrl: string): Promise<RawResponse> {
  return http.get(metadataUrl);
}

/**
 * RFC 9728 §3.2 response and §3.3 validation: a JSON object whose `resource`
 * is the resource asked for, with http(s) issuer URLs in `authorization_servers`.
 */
export function processResourceMetadataResponse(
  res: RawResponse,
  resource: string,
  foundBy: ResourceMetadata['foundBy'] = 'well-known',
): ResourceMetadata {
  const where = endpointName('resource_metadata', res.request.url);
  throwIfErrorResponse(res, where);
  const body = jsonObjectBody(res, where);
  if (typeof body.resource !== 'string' || body.resource === '') throw malformed(message('oauth.resource.no_resource', { endpoint: where }), res);
  if (!sameResource(body.resource, resource)) {
    throw new HandoffError(
      message('oauth.resource.other_resource', { endpoint: where, named: cleanServerText(body.resource, 200), resource }),
      { code: CODES.PROVIDER_ERROR, oauth: { status: res.status } },
    );
  }
  const list = (name: string): string[] | undefined => {
    const value = body[name];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw malformed(message('oauth.resource.not_list', { endpoint: where, name }), res);
    return value as string[];
  };
  const servers = list('authorization_servers') ?? [];
  for (const s of servers) {
    if (!/^https?:\/\//i.test(s) || !URL.canParse(s)) throw malformed(message('oauth.resource.bad_server', { endpoint: where }), res);
  }
  const meta: ResourceMetadata = {
    resource: body.resource,
    authorization_servers: [...new Set(servers)],
    metadataUrl: res.request.url,
    foundBy,
    raw: body,
  };
  const scopes = list('scopes_supported');
  if (scopes) meta.scopes_supported = scopes;
  const bearer = list('bearer_methods_supported');
  if (bearer) meta.bearer_methods_supported = bearer;
  if (typeof body.resource_name === 'string' && body.resource_name !== '') meta.resource_name = cleanServerText(body.resource_name, 120);
  return meta;
}

/**
 * The auth-params of the `Bearer` challenge in a WWW-Authenticate value
 * (RFC 9110 §11.6.1, RFC 6750 §3), names in lower case; undefined when there
 * is no Bearer challenge. Other challenges in the same value are skipped.
 */
export function parseBearerChallenge(header: string): Record<string, string> | undefined {
  const token = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/;
  let s = header;
  let params: Record<string, string> | undefined;
  let inBearer = false;
  for (let guard = 0; guard < 200 && s.length > 0; guard++) {
    s = s.replace(/^[\s,]+/, '');
    const name = token.exec(s)?.[0];
    if (!name) break;
    s = s.slice(name.length);
    const param = /^\s*=\s*/.exec(s);
    if (!param) {
      // a new challenge: its scheme, then perhaps a token68 or its params
      if (params !== undefined) return params;
      inBearer = name.toLowerCase() === 'bearer';
      if (inBearer) params = {};
      continue;
    }
    s = s.slice(param[0].length);
    let value: string;
    if (s.startsWith('"')) {
      const m = /^"((?:[^"\\]|\\.)*)"/.exec(s);
      if (!m) break;
      value = (m[1] as string).replace(/\\(.)/g, '$1');
      s = s.slice(m[0].length);
    } else {
      value = token.exec(s)?.[0] ?? '';
      s = s.slice(value.length);
    }
    if (inBearer && params) params[name.toLowerCase()] = value;
  }
  return params;
}

/** The `resource_metadata` URL of a 401's Bearer challenge (RFC 9728 §5.1), when there is one. */
export function resourceMetadataFromChallenge(res: RawResponse): string | undefined {
  if (res.status !== 401) return undefined;
  const header = res.headers['www-authenticate'];
  if (!header) return undefined;
  const value = parseBearerChallenge(header)?.resource_metadata;
  return value && /^https?:\/\//i.test(value) && URL.canParse(value) ? value : undefined;
}

/**
 * RFC 9728 discovery for a resource URL: ask the resource itself (a request
 * without a token, §5.1), else the well-known URLs (§3.1). A document that
 * names another resource is refused at once (§3.3); a missing one moves on to
 * the next place. Network failures are thrown as they come.
 */
export async function discoverResource(http: HttpClient, resource: string): Promise<ResourceMetadata> {
  parseResourceUrl(resource);
  const failures: string[] = [];
  const probe = await http.get(resource);
  const fromChallenge = resourceMetadataFromChallenge(probe);
  if (fromChallenge) {
    return processResourceMetadataResponse(await resourceMetadataRequest(http, fromChallenge), resource, 'challenge');
  }
  failures.push(message('oauth.resource.no_challenge', { resource, status: probe.status }).text);
  let transient: HandoffError | undefined;
  for (const url of resourceMetadataUrls(resource)) {
    const res = await resourceMetadataRequest(http, url);
    try {
      return processResourceMetadataResponse(res, resource, 'well-known');
    } catch (e) {
      if (!(e instanceof HandoffError)) throw e;
      if (res.status >= 200 && res.status <= 299) throw e; // a document that is wrong is not skipped
      if (e.code === CODES.PROVIDER_UNAVAILABLE) transient ??= e;
      failures.push(e.message);
    }
  }
  if (transient) throw transient;
  throw new HandoffError(message('oauth.resource.none', { resource, failures: failures.join('; ') }), { code: CODES.PROVIDER_ERROR });
}
