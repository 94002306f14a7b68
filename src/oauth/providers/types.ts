import type { MessageKey } from '../../i18n/index.js';
import type { ClientAuthMethod, Endpoints } from '../types.js';

export type ProviderId = 'redmine' | 'backlog' | 'confluence' | 'jira' | 'questetra' | 'generic';

/**
 * Everything the toolkit knows about one kind of authorization server. One
 * preset = one object of this type; the flow reads these fields and never
 * asks which provider it is talking to. Facts come from PROVIDERS.md; where
 * one is unconfirmed the field says "unknown" and the flow handles both.
 */
export interface ProviderPreset {
  id: ProviderId;
  title: string;
  /**
   * Where the endpoints come from: `site` = derived from --site by
   * `endpoints()`; `explicit` = given as options or found by discovery
   * (`endpoints()` throws).
   */
  endpointSource: 'site' | 'explicit';
  /** normalise what the user typed for --site (Backlog: space host like example.backlog.jp → https://example.backlog.jp) and reject what cannot be right */
  normalizeSite(site: string): string;
  /** the endpoints under a normalised site */
  endpoints(site: string): Endpoints;
  clientAuth: ClientAuthMethod;
  clientSecretRequired: boolean;
  /** send S256 unless unsupported */
  pkce: 'required' | 'supported' | 'unknown' | 'unsupported';
  redirect: {
    /** hosts the server accepts for an http loopback redirect, preferred first */
    loopbackHosts: string[];
    /** a loopback redirect registered without a port matches any port (RFC 8252 §7.3) */
    anyPort: boolean;
    defaultPath: string;
    /** out-of-band redirect URI, when the server has an OOB page that shows the code */
    oobUri?: string;
    /** whether the OOB page / redirect carries `state` back */
    oobSendsState: boolean;
    /** the redirect_uri must equal the registered one exactly, port included */
    exactMatch: boolean;
  };
  scopes: { default: string[]; known: string[]; separator: ' ' };
  lifetimes: {
    accessTokenSeconds?: number;
    refreshTokenSeconds?: number;
    /** each refresh restarts the refresh token's lifetime */
    refreshTokenSliding: boolean;
    authorizationCodeSeconds?: number;
  };
  /** when the old refresh token dies after a refresh */
  rotation: 'on-first-use' | 'immediate' | 'none' | 'unknown';
  maxRefreshTokensPerUser?: number;
  /** things the user must know (Questetra 10-token cap, Confluence short-lived codes…) */
  notes: MessageKey[];
  /** what to enter when registering the app on that system (redirect URI, scopes to tick, where in the admin screens) */
  register: MessageKey[];
}
