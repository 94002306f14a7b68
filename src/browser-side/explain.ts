/**
 * Provider errors met while authorizing, turned into messages that name the
 * likely cause on that system. Everything system-specific comes from the
 * preset's data (titles, rules, scopes, lifetimes, registration steps); there
 * is no branching on provider ids.
 */
import { HandoffError } from '../errors.js';
import type { ProviderPreset } from '../oauth/index.js';
import { english, message } from '../i18n/index.js';
import type { Message, MessageKey, NestedMessage } from '../i18n/index.js';

export interface ExplainContext {
  preset: ProviderPreset;
  /** where the error came from: the redirect back from the browser, or the code exchange */
  step: 'authorization' | 'token';
  scopes: readonly string[];
  redirectUri: string;
  clientAuth: string;
  hasSecret: boolean;
}

/** The preset's registration step that mentions `word` (matched in English), as a message of its own. */
function registerLine(preset: ProviderPreset, word: RegExp): NestedMessage | undefined {
  const key = preset.register.find((k) => word.test(english.render(k)));
  return key === undefined ? undefined : { key, text: english.render(key) };
}

/** What the preset says about redirect URIs, for mismatches and time-outs. */
export function redirectAdvice(preset: ProviderPreset, redirectUri: string): Message {
  const r = preset.redirect;
  const hosts = r.loopbackHosts.join(' and ');
  const rules = r.exactMatch
    ? hosts ? message('browser.rule.exact_hosts', { hosts }) : message('browser.rule.exact')
    : r.anyPort
      ? hosts ? message('browser.rule.any_port_hosts', { hosts }) : message('browser.rule.any_port')
      : hosts ? message('browser.rule.hosts', { hosts }) : message('browser.rule.none');
  const register = registerLine(preset, /redirect/i);
  const base = { uri: redirectUri, provider: preset.title, rules };
  return register ? message('browser.redirect_advice_register', { ...base, register }) : message('browser.redirect_advice', base);
}

function causeFor(error: string, description: string, c: ExplainContext): Message | undefined {
  const p = c.preset;
  const provider = p.title;
  const redirectRelated = /redirect/i.test(description) || error === 'redirect_uri_mismatch';
  if (redirectRelated) return redirectAdvice(p, c.redirectUri);
  switch (error) {
    case 'access_denied':
      return message('browser.cause.access_denied', { provider });
    case 'invalid_scope': {
      const asked = c.scopes.length ? message('browser.cause.scope_asked', { scopes: c.scopes.join(' ') }) : message('browser.cause.scope_none');
      const known = p.scopes.known.join(', ');
      const register = registerLine(p, /scope|permission/i);
      if (known && register) return message('browser.cause.invalid_scope_known_register', { asked, provider, known, register });
      if (known) return message('browser.cause.invalid_scope_known', { asked, provider, known });
      if (register) return message('browser.cause.invalid_scope_register', { asked, register });
      return message('browser.cause.invalid_scope', { asked });
    }
    case 'invalid_client':
    case 'unauthorized_client': {
      const params = { provider, sent: c.clientAuth, expected: p.clientAuth };
      return p.clientSecretRequired && !c.hasSecret
        ? message('browser.cause.invalid_client_no_secret', params)
        : message('browser.cause.invalid_client', params);
    }
    case 'invalid_grant': {
      if (c.step !== 'token') return undefined;
      const seconds = p.lifetimes.authorizationCodeSeconds;
      return seconds !== undefined ? message('browser.cause.invalid_grant_life', { seconds, provider }) : message('browser.cause.invalid_grant');
    }
    case 'unsupported_response_type':
      return message('browser.cause.unsupported_response_type', { provider });
    case 'invalid_request':
      return p.pkce === 'unknown' || p.pkce === 'supported' ? message('browser.cause.invalid_request', { provider }) : undefined;
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
  const said: NestedMessage = { key: e.key ?? ('' as MessageKey), ...(e.params ? { params: e.params } : {}), text: e.message };
  return new HandoffError(message('browser.explained', { message: said, cause }), {
    code,
    cause: e,
    ...(e.oauth ? { oauth: e.oauth } : {}),
    ...(e.credential ? { credential: e.credential } : {}),
  });
}
