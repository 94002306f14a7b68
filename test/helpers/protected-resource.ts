/**
 * A small protected resource on 127.0.0.1 (an "MCP server" or any API that
 * follows RFC 9728): it serves its protected resource metadata at the
 * well-known URI inserted before its path, answers a request without a good
 * token with 401 and a `WWW-Authenticate: Bearer resource_metadata="…"`
 * challenge (RFC 9728 §5.1), and accepts only RS256 JWT access tokens
 * (RFC 9068) signed by the authorization server's key, not expired, whose
 * audience is its own URL.
 */
import { createVerify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ExecutionContext } from 'ava';
import { startOidcProvider } from './oidc-server.js';
import type { OidcServer } from './oidc-server.js';

/** The scope the resource has in startResourceWorld. */
export const RESOURCE_SCOPE = 'mcp:tools';

export interface ProtectedResourceOptions {
  /** the resource's path; default /mcp */
  path?: string;
  /** send the resource_metadata challenge on a 401 (default true) */
  challenge?: boolean;
  /** serve the well-known metadata (default true) */
  wellKnown?: boolean;
  /** what the metadata claims as `resource` (default: the resource's own URL) — another value makes it a liar */
  claimResource?: string;
}

export interface ProtectedResource {
  /** http://127.0.0.1:PORT/mcp */
  url: string;
  /** the metadata URL (RFC 9728 §3.1) */
  metadataUrl: string;
  /** trust this authorization server: named in the metadata, and its key checks the tokens */
  trust(issuers: string[], publicKey: KeyObject, scopes?: string[]): void;
  /** requests seen, as "METHOD path" (no headers: they may hold tokens) */
  seen: string[];
  close(): Promise<void>;
}

export async function startProtectedResource(o: ProtectedResourceOptions = {}): Promise<ProtectedResource> {
  const path = o.path ?? '/mcp';
  let issuers: string[] = [];
  let key: KeyObject | undefined;
  let scopes: string[] | undefined;
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    const at = new URL(req.url ?? '/', url);
    seen.push(`${req.method} ${at.pathname}`);
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
      res.end(JSON.stringify(body));
    };
    if (at.pathname === new URL(metadataUrl).pathname && o.wellKnown !== false) {
      return json(200, {
        resource: o.claimResource ?? url,
        authorization_servers: issuers,
        bearer_methods_supported: ['header'],
        ...(scopes ? { scopes_supported: scopes } : {}),
        resource_name: 'test resource',
      });
    }
    if (at.pathname !== path) return json(404, { error: 'not_found' });
    const auth = req.headers.authorization ?? '';
    const token = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/.exec(auth)?.[1];
    const claims = token && key ? verifyJwt(token, key) : undefined;
    const good = claims !== undefined && audienceIs(claims.aud, url) && typeof claims.exp === 'number' && claims.exp * 1000 > Date.now() && issuers.includes(String(claims.iss));
    if (!good) {
      const params = [`error="${token ? 'invalid_token' : 'invalid_request'}"`];
      if (o.challenge !== false) params.push(`resource_metadata="${metadataUrl}"`);
      return json(401, { error: 'unauthorized' }, { 'www-authenticate': `Bearer ${params.join(', ')}` });
    }
    return json(200, { ok: true, sub: claims.sub, aud: claims.aud });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}${path}`;
  const metadataUrl = `http://127.0.0.1:${port}/.well-known/oauth-protected-resource${path}`;
  return {
    url,
    metadataUrl,
    seen,
    trust(list, publicKey, s) {
      issuers = list;
      key = publicKey;
      scopes = s;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function audienceIs(aud: unknown, url: string): boolean {
  return aud === url || (Array.isArray(aud) && aud.length === 1 && aud[0] === url);
}

/** The claims of an RS256 JWT whose signature checks with `key`; undefined otherwise. */
export function verifyJwt(token: string, key: KeyObject): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [h, p, s] = parts as [string, string, string];
  try {
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as { alg?: string };
    if (header.alg !== 'RS256') return undefined;
    const ok = createVerify('RSA-SHA256').update(`${h}.${p}`).verify(key, Buffer.from(s, 'base64url'));
    if (!ok) return undefined;
    return JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/**
 * A protected resource and oidc-provider that trusts it (registration and
 * resource indicators on, JWT access tokens for the resource): both stopped
 * when the test ends.
 */
export async function startResourceWorld(
  t: ExecutionContext,
  o: { resource?: ProtectedResourceOptions; registration?: boolean; deviceFlow?: boolean; scope?: string } = {},
): Promise<{ rs: ProtectedResource; op: OidcServer }> {
  const scope = o.scope ?? RESOURCE_SCOPE;
  const rs = await startProtectedResource(o.resource);
  t.teardown(() => rs.close());
  const op = await startOidcProvider({
    registration: o.registration ?? true,
    resourceServers: { [rs.url]: { scope } },
    scopes: [scope],
    ...(o.deviceFlow ? { deviceFlow: true } : {}),
  });
  t.teardown(() => op.close());
  rs.trust([op.issuer], op.publicKey, [scope]);
  return { rs, op };
}
