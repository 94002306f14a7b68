/**
 * What a Bearer token opens (RFC 6750): the sandbox's /api/me, Doorkeeper's
 * token info, the imitated system's own API calls, and the RFC 9728 protected
 * resources that accept only tokens issued for them (RFC 8707).
 */
import { resourceMetadataPath, type SandboxContext } from './context.js';
import type { Exchange } from './exchange.js';
import type { ApiRoute, ProtectedResourceSpec } from './profiles.js';
import { SANDBOX_USER, type BearerGrant } from './state.js';

const TOKEN_PATTERN = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
const INVALID = 'the access token is invalid, expired or revoked';

/** RFC 6750 §3: a challenge value, quoting each parameter. */
function challengeHeader(params: Record<string, string | undefined>): string {
  const parts = Object.entries(params)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${k}="${v.replace(/["\\]/g, '')}"`);
  return parts.length === 0 ? 'Bearer' : `Bearer ${parts.join(', ')}`;
}

/**
 * RFC 6750 §2.1 / §3: the grant behind the Authorization header, or a 401
 * challenge (then undefined). `extra` joins the challenge (RFC 9728 §5.1 resource_metadata).
 */
export function bearer(ctx: SandboxContext, ex: Exchange, extra: { realm?: string; resource_metadata?: string } = { realm: 'sandbox' }): BearerGrant | undefined {
  const m = TOKEN_PATTERN.exec(ex.req.headers.authorization ?? '');
  if (!m?.[1]) {
    ex.json(401, { error: 'invalid_request', error_description: 'a Bearer access token is required' }, {
      'WWW-Authenticate': challengeHeader(extra),
    });
    return undefined;
  }
  const at = ctx.state.authenticateBearer(m[1], true);
  if (!at) {
    ex.json(401, { error: 'invalid_token', error_description: INVALID }, {
      'WWW-Authenticate': challengeHeader({ error: 'invalid_token', error_description: INVALID, resource_metadata: extra.resource_metadata }),
    });
    return undefined;
  }
  return at;
}

/** GET /api/me: who the token acts for. */
export function apiMe(ctx: SandboxContext, ex: Exchange): void {
  if (ctx.rateLimit.exceeded(ex)) return;
  const at = bearer(ctx, ex);
  if (!at) return;
  ex.json(200, { user: { ...SANDBOX_USER }, client_id: at.clientId, scope: at.scope });
}

/** Doorkeeper's GET /oauth/token/info */
export function tokenInfo(ctx: SandboxContext, ex: Exchange): void {
  if (ctx.rateLimit.exceeded(ex)) return;
  const at = bearer(ctx, ex);
  if (!at) return;
  ex.json(200, {
    resource_owner_id: SANDBOX_USER.id,
    scope: at.scope === '' ? [] : at.scope.split(' '),
    expires_in: Math.max(0, Math.floor((at.expiresAt - ctx.now()) / 1000)),
    application: { uid: at.clientId },
    created_at: Math.floor(at.issuedAt / 1000),
  });
}

/** One of the imitated system's API calls; RFC 6750 §3.1 insufficient_scope without the scope it needs. */
export function systemApi(route: ApiRoute): (ctx: SandboxContext, ex: Exchange) => void {
  return (ctx, ex) => {
    if (ctx.rateLimit.exceeded(ex)) return;
    const at = bearer(ctx, ex);
    if (!at) return;
    const scopes = at.scope === '' ? [] : at.scope.split(' ');
    if (route.scope !== undefined && !scopes.includes(route.scope)) {
      const description = `this call needs the scope ${route.scope}`;
      return ex.json(403, { error: 'insufficient_scope', error_description: description }, {
        'WWW-Authenticate': challengeHeader({ error: 'insufficient_scope', error_description: description, scope: route.scope }),
      });
    }
    ex.json(200, route.body({ user: SANDBOX_USER, clientId: at.clientId, scopes, now: ctx.now() }));
  };
}

/** RFC 9728 §2 / §3.2: the metadata document of one protected resource. */
export function resourceMetadata(spec: ProtectedResourceSpec): (ctx: SandboxContext, ex: Exchange) => void {
  return (ctx, ex) => {
    const doc: Record<string, unknown> = {
      resource: ctx.url + (spec.claims ?? spec.path),
      authorization_servers: [ctx.url],
      bearer_methods_supported: ['header'],
      resource_name: spec.name,
    };
    if (ctx.profile.scopes) doc.scopes_supported = [...ctx.profile.scopes];
    ex.json(200, doc);
  };
}

/**
 * The protected resource itself (GET, or POST as an MCP client sends):
 * 401 with `WWW-Authenticate: Bearer resource_metadata="…"` (RFC 9728 §5.1)
 * unless the token was issued for exactly this resource (RFC 8707 audience).
 */
export function protectedResource(spec: ProtectedResourceSpec): (ctx: SandboxContext, ex: Exchange) => void {
  return (ctx, ex) => {
    if (ctx.rateLimit.exceeded(ex)) return;
    const id = ctx.url + spec.path;
    const metadataUrl = ctx.url + resourceMetadataPath(spec);
    const at = bearer(ctx, ex, { resource_metadata: metadataUrl });
    if (!at) return;
    if (at.resource !== id) {
      const description = 'the access token was not issued for this resource';
      return ex.json(401, { error: 'invalid_token', error_description: description }, {
        'WWW-Authenticate': challengeHeader({ error: 'invalid_token', error_description: description, resource_metadata: metadataUrl }),
      });
    }
    ex.json(200, { resource: id, user: { ...SANDBOX_USER }, client_id: at.clientId, scope: at.scope });
  };
}
