/**
 * Provider errors met while authorizing, turned into messages that name the
 * likely cause on that system. Everything system-specific comes from the
 * preset's data (titles, rules, scopes, lifetimes, registration steps); there
 * is no branching on provider ids.
 */
import { HandoffError } from '../errors.js';
import type { ProviderPreset } from '../oauth/index.js';
import { english } from '../i18n/index.js';

export interface ExplainContext {
  preset: ProviderPreset;
  /** where the error came from: the redirect back from the browser, or the code exchange */
  step: 'authorization' | 'token';
  scopes: readonly string[];
  redirectUri: string;
  clientAuth: string;
  hasSecret: boolean;
}

function registerLine(preset: ProviderPreset, word: RegExp): string | undefined {
  return preset.register.map((k) => english.render(k)).find((line) => word.test(line));
}

/** What the preset says about redirect URIs, for mismatches and time-outs. */
export function redirectAdvice(preset: ProviderPreset, redirectUri: string): string {
  const r = preset.redirect;
  const rules: string[] = [];
  if (r.exactMatch) rules.push('it must equal the registered one exactly, port included');
  else if (r.anyPort) rules.push(`a loopback URI registered without a port matches any port`);
  if (r.loopbackHosts.length > 0) rules.push(`plain http is accepted for ${r.loopbackHosts.join(' and ')}`);
  const line = registerLine(preset, /redirect/i);
  return `the redirect URI sent was ${redirectUri}; on ${preset.title} ${rules.join('; ')}${line ? ` (to register: ${line})` : ''}`;
}

function causeFor(error: string, description: string, c: ExplainContext): string | undefined {
  const p = c.preset;
  const redirectRelated = /redirect/i.test(description) || error === 'redirect_uri_mismatch';
  if (redirectRelated) return redirectAdvice(p, c.redirectUri);
  switch (error) {
    case 'access_denied':
      return `the request was denied on ${p.title}: the account that signed in chose Deny, or may not use this application`;
    case 'invalid_scope': {
      const asked = c.scopes.length ? `"${c.scopes.join(' ')}"` : 'no scope';
      const known = p.scopes.known.length ? `; ${p.title} knows ${p.scopes.known.join(', ')}` : '';
      const line = registerLine(p, /scope|permission/i);
      return `the request asked for ${asked}${known}; a request may only ask for scopes the application was registered with${line ? ` (${line})` : ''}`;
    }
    case 'invalid_client':
    case 'unauthorized_client': {
      const secret = p.clientSecretRequired && !c.hasSecret ? `; ${p.title} requires the client secret and none was given` : '';
      return `the client id or secret is wrong, or the client does not authenticate the way ${p.title} expects (sent: ${c.clientAuth}; the preset uses ${p.clientAuth})${secret}`;
    }
    case 'invalid_grant': {
      if (c.step !== 'token') return undefined;
      const life = p.lifetimes.authorizationCodeSeconds;
      const expiry = life !== undefined ? `it expired (codes live ${life} s on ${p.title})` : 'it expired';
      return `the authorization code was refused: ${expiry}, it was used already, or the redirect URI or PKCE verifier did not match the authorization request`;
    }
    case 'unsupported_response_type':
      return `${p.title} does not let this client use the authorization code flow; check the grant types of the registered application`;
    case 'invalid_request':
      return p.pkce === 'unknown' || p.pkce === 'supported'
        ? `the authorization request was refused as malformed; if ${p.title} rejects PKCE or a parameter, check the registered application`
        : undefined;
    default:
      return undefined;
  }
}

/**
 * The same error with the likely cause on this system appended. An
 * invalid_grant at the code exchange keeps its code (exit 3): as for a
 * refused refresh token, the way out is to authorize again — the same as
 * `login --paste` reports.
 */
export function explainProviderError(e: unknown, c: ExplainContext): unknown {
  if (!(e instanceof HandoffError)) return e;
  const error = e.oauth?.error;
  if (!error) return e;
  const cause = causeFor(error, e.oauth?.error_description ?? '', c);
  if (!cause) return e;
  const code = e.code;
  return new HandoffError(`${e.message}; likely cause: ${cause}`, {
    code,
    cause: e,
    ...(e.oauth ? { oauth: e.oauth } : {}),
    ...(e.credential ? { credential: e.credential } : {}),
  });
}
