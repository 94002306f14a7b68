/**
 * The two protocol steps both sides take around the person's approval: the
 * authorization request (RFC 6749 §4.1.1 with a fresh `state` and PKCE,
 * RFC 7636, and the resource indicator of RFC 8707) and the code exchange (RFC 6749 §4.1.3). How the response comes
 * back — a loopback listener, a paste — and how a failed exchange is
 * explained is each side's own.
 */
import {
  authorizationCodeGrantRequest,
  buildAuthorizationUrl,
  createPkce,
  createState,
  processTokenResponse,
} from '../oauth/index.js';
import type { ClientConfig, Endpoints, HttpClient, Pkce, ProviderPreset, TokenSet } from '../oauth/index.js';

/** The parts of a target (an AuthorizationTarget, or anything shaped like one) an authorization request uses. */
export interface RequestTarget {
  preset: ProviderPreset;
  endpoints: Endpoints;
  client: ClientConfig;
  scopes: readonly string[];
  /** RFC 8707 resource indicator, sent in the authorization and token requests */
  resource?: string;
}

/** The values this machine makes for one authorization request and keeps: `state` and the PKCE verifier. */
export interface PendingAuthorization {
  state: string;
  /** absent when the target sends no PKCE */
  pkce?: Pkce;
}

/** A fresh state, and a PKCE verifier and S256 challenge when the target sends PKCE (RFC 7636 §4.1–4.2). */
export function newPendingAuthorization(target: { pkce: boolean }): PendingAuthorization {
  const pkce = target.pkce ? createPkce() : undefined;
  return { state: createState(), ...(pkce ? { pkce } : {}) };
}

/** The scope parameter: the scopes joined with the preset's separator (RFC 6749 §3.3); undefined when none. */
export function scopeParameter(target: Pick<RequestTarget, 'preset' | 'scopes'>): string | undefined {
  const scope = target.scopes.join(target.preset.scopes.separator);
  return scope === '' ? undefined : scope;
}

/** RFC 6749 §4.1.1 Authorization Request (+ RFC 7636 §4.3 code_challenge) for the target. */
export function authorizationUrl(
  target: RequestTarget,
  pending: PendingAuthorization,
  redirectUri: string,
  extraParams?: Record<string, string>,
): string {
  const scope = scopeParameter(target);
  return buildAuthorizationUrl(target.endpoints, {
    clientId: target.client.id,
    redirectUri,
    ...(scope !== undefined ? { scope } : {}),
    state: pending.state,
    ...(pending.pkce ? { pkce: pending.pkce } : {}),
    ...(target.resource ? { resource: target.resource } : {}),
    ...(extraParams ? { extra: extraParams } : {}),
  });
}

/**
 * RFC 6749 §4.1.3 Access Token Request with the code, the same redirect URI
 * and the PKCE verifier (RFC 7636 §4.5), then §5.1 processing. Throws what
 * processTokenResponse throws (an invalid code is REAUTH_REQUIRED there).
 */
export async function exchangeAuthorizationCode(
  http: HttpClient,
  target: Pick<RequestTarget, 'endpoints' | 'client' | 'resource'>,
  p: { code: string; redirectUri: string; codeVerifier?: string },
): Promise<TokenSet> {
  const res = await authorizationCodeGrantRequest(http, target.endpoints, target.client, {
    code: p.code,
    redirectUri: p.redirectUri,
    ...(p.codeVerifier ? { codeVerifier: p.codeVerifier } : {}),
    ...(target.resource ? { resource: target.resource } : {}),
  });
  return processTokenResponse(res);
}
