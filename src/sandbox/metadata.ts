/** RFC 8414 §2 Authorization Server Metadata, and the sandbox's own index page. */
import { endpointsOf, type SandboxContext } from './context.js';
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
  const e = endpointsOf(ctx, ctx.url);
  const entries: [string, string][] = [
    ['profile', ctx.profile.id],
    ['authorization endpoint', e.authorization],
    ['token endpoint', e.token],
  ];
  if (e.revocation) entries.push(['revocation endpoint', e.revocation]);
  if (e.issuer) entries.push(['issuer (RFC 8414)', e.issuer]);
  if (e.deviceAuthorization) entries.push(['device authorization (RFC 8628)', e.deviceAuthorization]);
  if (e.registration) entries.push(['client registration (RFC 7591)', e.registration]);
  if (e.resource) entries.push(['protected resource (RFC 9728)', e.resource]);
  entries.push(['protected resource', e.api], ['client id', ctx.mainClient.id]);
  ex.html(200, indexPage({ tr: pageTranslator(ex.req), profileTitle: ctx.profile.title, entries }));
}
