/**
 * `login`: the redirect URI for a flow where someone pastes the result back.
 * What `authorize` shares — the preset, endpoints, client, scopes and PKCE —
 * is resolved in ../authorization; the names `login` has always exported for
 * it are kept here.
 */
import { registerRedirectExample } from '../authorization/index.js';
import type { AuthorizationTarget, ProviderSelection } from '../authorization/index.js';
import { CODES, HandoffError } from '../errors.js';
import { defaultRedirectUri } from '../oauth/index.js';
import type { ProviderPreset } from '../oauth/index.js';

/** `resolveLoginTarget`: the shared target resolution, under the name `login` has always exported. */
export { CLIENT_SECRET_ENV, resolveTarget as resolveLoginTarget, scopesFrom } from '../authorization/index.js';
export type { ProviderSelection } from '../authorization/index.js';

/** What `login` authorizes against (the shared target). */
export type LoginTarget = AuthorizationTarget;

/** The standard out-of-band redirect URI (RFC 8252 §7 footnote; Doorkeeper, older Google). */
export const OOB_REDIRECT_URI = 'urn:ietf:wg:oauth:2.0:oob';

/** Loopback ports picked when the preset accepts any port (IANA dynamic range). */
const DYNAMIC_PORTS = { min: 49152, max: 65535 } as const;

export interface RedirectChoice {
  uri: string;
  /** oob: the server shows the code on a page (a bare code may be pasted); url: the browser lands on `uri` */
  kind: 'oob' | 'url';
  /** the response may lack `state` (the OOB page does not carry it back) */
  allowMissingState: boolean;
}

const trimmed = (s: string | undefined): string | undefined => (typeof s === 'string' && s.trim() !== '' ? s.trim() : undefined);

/**
 * The redirect URI for a flow where someone pastes the result back.
 * - --redirect-uri: used as given (the OOB URN counts as oob);
 * - --redirect oob: the preset's OOB URI (generic servers: the standard URN);
 * - --redirect loopback, or no choice and no OOB page: a loopback URI, on a
 *   random port when the server accepts any port, else --redirect-uri is needed;
 * - no choice and the preset has an OOB page: oob (a code is easier to copy
 *   than an address bar).
 */
export function chooseRedirect(o: Pick<ProviderSelection, 'redirect' | 'redirectUri'>, preset: ProviderPreset, random: () => number = Math.random): RedirectChoice {
  const kind = trimmed(o.redirect)?.toLowerCase();
  if (kind !== undefined && kind !== 'oob' && kind !== 'loopback') {
    throw new HandoffError(`unknown --redirect "${kind.slice(0, 40)}" (expected loopback or oob)`, { code: CODES.USAGE });
  }
  const given = trimmed(o.redirectUri);
  const oobUri = preset.redirect.oobUri ?? (preset.id === 'generic' ? OOB_REDIRECT_URI : undefined);
  const isOob = (uri: string) => uri === oobUri || uri === OOB_REDIRECT_URI || uri.startsWith(`${OOB_REDIRECT_URI}:`);
  const oob = (uri: string): RedirectChoice => ({ uri, kind: 'oob', allowMissingState: !preset.redirect.oobSendsState });
  if (given !== undefined) {
    if (isOob(given)) {
      if (kind === 'loopback') throw new HandoffError('--redirect loopback contradicts an out-of-band --redirect-uri', { code: CODES.USAGE });
      return oob(given);
    }
    if (kind === 'oob') throw new HandoffError('--redirect oob contradicts the http(s) --redirect-uri given', { code: CODES.USAGE });
    let url: URL;
    try {
      url = new URL(given);
    } catch {
      throw new HandoffError('--redirect-uri is not an absolute URL', { code: CODES.USAGE });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new HandoffError(`--redirect-uri must be an http(s) URL or ${OOB_REDIRECT_URI}`, { code: CODES.USAGE });
    }
    return { uri: given, kind: 'url', allowMissingState: false };
  }
  if (kind === 'oob' || (kind === undefined && preset.redirect.oobUri !== undefined)) {
    if (oobUri === undefined) {
      throw new HandoffError(`${preset.title} has no known out-of-band page: use a loopback redirect (--redirect-uri as registered)`, {
        code: CODES.USAGE,
      });
    }
    return oob(oobUri);
  }
  if (!preset.redirect.anyPort) {
    throw new HandoffError(
      `${preset.title} matches the redirect URI exactly: give --redirect-uri as registered on the system (e.g. ${registerRedirectExample(preset)})`,
      { code: CODES.USAGE },
    );
  }
  const port = DYNAMIC_PORTS.min + Math.floor(random() * (DYNAMIC_PORTS.max - DYNAMIC_PORTS.min + 1));
  return { uri: defaultRedirectUri(preset, Math.min(port, DYNAMIC_PORTS.max)), kind: 'url', allowMissingState: false };
}
