/** The protected resource (RFC 6750) and Doorkeeper's token info, both behind a Bearer token. */
import type { SandboxContext } from './context.js';
import type { Exchange } from './exchange.js';
import { SANDBOX_USER, type BearerGrant } from './state.js';

/** RFC 6750 §2.1 / §3: the token of the Authorization header, or a 401 challenge (then undefined). */
export function bearer(ctx: SandboxContext, ex: Exchange): BearerGrant | undefined {
  const h = ex.req.headers.authorization ?? '';
  const m = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(h);
  if (!m?.[1]) {
    ex.json(401, { error: 'invalid_request', error_description: 'a Bearer access token is required' }, {
      'WWW-Authenticate': 'Bearer realm="sandbox"',
    });
    return undefined;
  }
  const at = ctx.state.authenticateBearer(m[1], true);
  if (!at) {
    ex.json(401, { error: 'invalid_token', error_description: 'the access token is invalid, expired or revoked' }, {
      'WWW-Authenticate': 'Bearer error="invalid_token", error_description="the access token is invalid, expired or revoked"',
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
