/** RFC 8414 §2 Authorization Server Metadata, and the sandbox's own index page. */
import { endpointsOf, type SandboxContext } from './context.js';
import type { MessageKey } from '../i18n/index.js';
import type { Exchange } from './exchange.js';
import { DEVICE_CODE_GRANT } from './device-grant.js';
import { indexPage, pageTranslator } from './pages.js';

export function metadataDocument(ctx: SandboxContext): Record<string, unknown> {
  const { profile } = ctx;
  const e = endpointsOf(ctx, ctx.url);
  const m: Record<string, unknown> = {
    issuer: ctx.url,
    authorization_endpoint: e.authorization,
    token_endpoint: e.token,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'refresh_token', ...(ctx.devices ? [DEVICE_CODE_GRANT] : [])],
    code_challenge_methods_supported: [...profile.pkce.methods],
    token_endpoint_auth_methods_supported: [...profile.clientAuthMethods],
  };
  if (e.revocation) {
    m.revocation_endpoint = e.revocation;
    m.revocation_endpoint_auth_methods_supported = [...profile.clientAuthMethods];
  }
  if (e.deviceAuthorization) m.device_authorization_endpoint = e.deviceAuthorization;
  if (e.registration) m.registration_endpoint = e.registration;
  if (profile.scopes) m.scopes_supported = [...profile.scopes];
  return m;
}

export function metadata(ctx: SandboxContext, ex: Exchange): void {
  ex.json(200, metadataDocument(ctx));
}

/** GET /: what this sandbox is, for a person who opens it in a browser. */
export function home(ctx: SandboxContext, ex: Exchange): void {
  const tr = pageTranslator(ex.req);
  const e = endpointsOf(ctx, ctx.url);
  const rows: [MessageKey, string | undefined][] = [
    ['sandbox.row.profile', ctx.profile.id],
    ['sandbox.row.authorization', e.authorization],
    ['sandbox.row.token', e.token],
    ['sandbox.row.revocation', e.revocation],
    ['sandbox.row.issuer', e.issuer],
    ['sandbox.row.device', e.deviceAuthorization],
    ['sandbox.row.verification', e.deviceVerification],
    ['sandbox.row.registration', e.registration],
    ['sandbox.row.resource', e.resource],
    ['sandbox.row.example', e.example],
    ['sandbox.row.client_id', ctx.mainClient.id],
  ];
  const entries = rows.filter((r): r is [MessageKey, string] => r[1] !== undefined).map(([k, v]): [string, string] => [tr.render(k), v]);
  ex.html(200, indexPage({ tr, profileTitle: ctx.profile.title, entries }));
}
