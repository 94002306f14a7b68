/** RFC 6749 §4.1.1 Authorization Request and §4.1.2 its response: the approval page and the redirect back. */
import type { SandboxContext } from './context.js';
import type { Exchange } from './exchange.js';
import { parseParams, readBody, withParams } from './http-util.js';
import { approvePage, errorPage, nativeCodePage, pageTranslator } from './pages.js';
import { checkPkceRequest } from './pkce.js';
import { resourceParameter } from './resource-indicators.js';
import { SANDBOX_USER, type PendingAuthorization } from './state.js';

/** An error page on the server itself (never a redirect to an unchecked URI). */
export function refuse(ctx: SandboxContext, ex: Exchange, status: number, error: string, description: string): void {
  ex.html(status, errorPage({ tr: pageTranslator(ex.req), profileTitle: ctx.profile.title, error, description }), error);
}

/** RFC 6749 §4.1.2.1: errors go back to a valid redirect URI; out-of-band ones are shown */
function errorBack(
  ctx: SandboxContext,
  ex: Exchange,
  p: { redirectUri: string; state?: string },
  error: string,
  description: string,
  status: 302 | 303,
): void {
  if (p.redirectUri === ctx.profile.oobUri) return refuse(ctx, ex, 400, error, description);
  ex.redirect(status, withParams(p.redirectUri, { error, error_description: description, state: p.state }), error);
}

function approve(
  ctx: SandboxContext,
  ex: Exchange,
  p: PendingAuthorization | Omit<PendingAuthorization, 'expiresAt'>,
  status: 302 | 303,
): void {
  const code = ctx.state.issueCode(p);
  if (p.redirectUri === ctx.profile.oobUri && ctx.profile.paths.native) {
    // Doorkeeper's native page: the code in the query, no state
    ex.redirect(status, withParams(ctx.url + ctx.profile.paths.native, { code }));
    return;
  }
  ex.redirect(status, withParams(p.redirectUri, { code, state: p.state }));
}

/** GET: check the request, then show the approval page (or approve at once). */
export function authorizeGet(ctx: SandboxContext, ex: Exchange, u: URL): void {
  const { profile, state } = ctx;
  const { params, duplicate } = parseParams(u.search.slice(1));
  const clientId = params.get('client_id') ?? undefined;
  if (clientId !== undefined) ex.note({ clientId });
  const resourceSent = params.get('resource');
  if (resourceSent !== null) ex.note({ resource: resourceSent });
  if (duplicate !== undefined) return refuse(ctx, ex, 400, 'invalid_request', `parameter "${duplicate}" was sent more than once`);
  if (clientId === undefined) return refuse(ctx, ex, 400, 'invalid_request', 'missing "client_id"');
  const client = ctx.clients.get(clientId);
  if (!client) return refuse(ctx, ex, 400, 'invalid_client', 'unknown client');
  let redirectUri = params.get('redirect_uri') ?? undefined;
  const redirectUriSent = redirectUri !== undefined;
  if (redirectUri === undefined) {
    if (client.redirectUris.length !== 1) return refuse(ctx, ex, 400, 'invalid_request', 'missing "redirect_uri"');
    redirectUri = client.redirectUris[0]!;
  }
  if (!profile.redirectAllowed(redirectUri, client)) {
    // never redirect to a URI that is not registered
    return refuse(ctx, ex, 400, 'invalid_request', 'redirect_uri is not registered for this client');
  }
  const back: { redirectUri: string; state?: string } = { redirectUri };
  const st = params.get('state');
  if (st !== null) back.state = st;
  const responseType = params.get('response_type');
  if (responseType === null) return errorBack(ctx, ex, back, 'invalid_request', 'missing "response_type"', 302);
  if (responseType !== 'code') {
    return errorBack(ctx, ex, back, 'unsupported_response_type', 'only response_type=code is supported', 302);
  }
  const pkce = checkPkceRequest(profile, params.get('code_challenge') ?? undefined, params.get('code_challenge_method') ?? undefined);
  if (!pkce.ok) return errorBack(ctx, ex, back, 'invalid_request', pkce.description, 302);
  if (client.requirePkce === true && pkce.challenge === undefined) {
    return errorBack(ctx, ex, back, 'invalid_request', 'this client requires PKCE: code_challenge is missing', 302);
  }
  if (profile.pkce.required && pkce.challenge === undefined) {
    return errorBack(ctx, ex, back, 'invalid_request', 'this server requires PKCE (S256): code_challenge is missing', 302);
  }
  const resource = resourceParameter(ctx, params.get('resource'));
  if (!resource.ok) return errorBack(ctx, ex, back, resource.error, resource.error_description, 302);
  const scope = state.resolveScope(client, params.get('scope') ?? undefined);
  if (!scope.ok) return errorBack(ctx, ex, back, scope.error, scope.error_description, 302);

  const pending: Omit<PendingAuthorization, 'expiresAt'> = { clientId, redirectUri, redirectUriSent, scope: scope.value };
  if (back.state !== undefined) pending.state = back.state;
  if (pkce.challenge !== undefined && pkce.method !== undefined) {
    pending.challenge = pkce.challenge;
    pending.method = pkce.method;
  }
  if (resource.value !== undefined) pending.resource = resource.value;
  if (ctx.autoApprove) return approve(ctx, ex, pending, 302);
  const tx = state.beginTransaction(pending);
  ex.html(
    200,
    approvePage({
      tr: pageTranslator(ex.req),
      profileTitle: profile.title,
      action: profile.paths.authorize,
      hidden: [['transaction_id', tx]],
      clientName: client.name ?? client.id,
      user: SANDBOX_USER.login,
      scopes: scope.value === '' ? [] : scope.value.split(' '),
      ...(resource.value !== undefined ? { resource: resource.value } : {}),
    }),
  );
}

/** POST: the approval page's form (approve or deny), once per transaction. */
export async function authorizePost(ctx: SandboxContext, ex: Exchange): Promise<void> {
  const { params } = parseParams(await readBody(ex.req));
  const tx = ctx.state.takeTransaction(params.get('transaction_id') ?? '');
  if (!tx) return refuse(ctx, ex, 400, 'invalid_request', 'this authorization request expired or was already answered');
  ex.note({ clientId: tx.clientId });
  const decision = params.get('decision');
  if (decision === 'approve') return approve(ctx, ex, tx, 303);
  if (decision === 'deny') return errorBack(ctx, ex, tx, 'access_denied', 'the user denied the request', 303);
  return refuse(ctx, ex, 400, 'invalid_request', 'unknown decision');
}

/** Doorkeeper's out-of-band page: shows the code to copy. */
export function nativeCode(ctx: SandboxContext, ex: Exchange, u: URL): void {
  const code = u.searchParams.get('code');
  if (!code) return refuse(ctx, ex, 400, 'invalid_request', 'missing "code"');
  ex.html(200, nativeCodePage({ tr: pageTranslator(ex.req), profileTitle: ctx.profile.title, code }));
}
