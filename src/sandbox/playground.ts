/**
 * What `oauth-handoff sandbox` hands a newcomer so the docs run as written:
 * the shell variables the docs use, set to this sandbox, and the docs' next
 * commands. The docs test sets the same variables from the same function.
 */
import { SANDBOX_PROFILES, withRedirectPort } from './profiles.js';
import type { Sandbox } from './types.js';

/** Where the sandbox command reads a client secret chosen by the user. */
export const SANDBOX_SECRET_ENV = 'OAUTH_HANDOFF_SANDBOX_CLIENT_SECRET';
/** The client secret of `oauth-handoff sandbox` unless another is chosen: the same every run, so a pasted secret file keeps working. */
export const DEFAULT_SANDBOX_CLIENT_SECRET = 'sandbox-secret';
/** The secret file the docs' commands read (`--client-secret-file client-secret.txt`). */
export const DOCS_SECRET_FILE = 'client-secret.txt';

/** Single quotes for the shell, unless the value needs none. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The docs' variables for this sandbox, in the order a person reads them.
 * `client` overrides the default client (the docs test registers its own, on a free port), or
 * moves its fixed redirect port (`sandbox --redirect-port`).
 */
export function playgroundVariables(s: Sandbox, client: { id?: string; redirectUri?: string; redirectPort?: number } = {}): [string, string][] {
  const p = SANDBOX_PROFILES[s.profile];
  const e = s.endpoints;
  const v: [string, string][] = [['SANDBOX_URL', s.url]];
  if (p.playground.siteVariable) v.push([p.playground.siteVariable, s.url]);
  if (e.issuer) v.push(['ISSUER', e.issuer]);
  v.push(['CLIENT_ID', client.id ?? s.client.id]);
  if (p.playground.redirectUri) v.push(['REDIRECT_URI', client.redirectUri ?? withRedirectPort(p.playground.redirectUri, client.redirectPort)]);
  if (p.playground.endpointVariables) {
    v.push(['AUTHORIZATION_ENDPOINT', e.authorization], ['TOKEN_ENDPOINT', e.token]);
    if (e.revocation) v.push(['REVOCATION_ENDPOINT', e.revocation]);
  }
  if (e.resource) v.push(['RESOURCE_URL', e.resource]);
  v.push(['API_URL', e.example]);
  return v;
}

/** The docs' next commands for this sandbox's profile. */
export function playgroundNext(s: Sandbox): { next: readonly string[]; device: readonly string[] } {
  const p = SANDBOX_PROFILES[s.profile].playground;
  return { next: p.next, device: s.endpoints.deviceAuthorization ? (p.nextWithDevice ?? []) : [] };
}
