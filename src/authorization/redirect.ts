/**
 * Which redirect URI an authorization uses: one rule for `authorize` (a
 * browser on this machine, a loopback listener) and `login --paste` (a
 * browser elsewhere, the person pastes the result back). The sides differ
 * only in what they prefer when nothing is asked for, and in who picks the
 * loopback port.
 */
import { CODES, HandoffError } from '../errors.js';
import { defaultRedirectUri } from '../oauth/index.js';
import type { ProviderPreset } from '../oauth/index.js';
import { registerRedirectExample, shown } from './target.js';
import { message } from '../i18n/index.js';
import type { Message } from '../i18n/index.js';

/** The standard out-of-band redirect URI (RFC 8252 §7 footnote; Doorkeeper, older Google). */
export const OOB_REDIRECT_URI = 'urn:ietf:wg:oauth:2.0:oob';

/**
 * Loopback ports picked when the preset accepts any port: the top of the IANA
 * dynamic range, above Linux's default ephemeral range (32768–60999), so the
 * port `login --paste` names is not taken meanwhile by some program's outgoing
 * connection on the machine that runs `relay`.
 */
const DYNAMIC_PORTS = { min: 61000, max: 65535 } as const;

export interface RedirectChoice {
  uri: string;
  /** oob: the server shows the code on a page (a bare code may be pasted); url: the browser lands on `uri` */
  kind: 'oob' | 'url';
  /** the response may lack `state` (the OOB page does not carry it back) */
  allowMissingState: boolean;
}

export interface RedirectRequest {
  /** "loopback" or "oob" (--redirect) */
  redirect?: string;
  /** --redirect-uri, as registered */
  redirectUri?: string;
}

export interface RedirectSide {
  /**
   * browser: a browser on this machine and a loopback listener (prefers the
   * loopback; the listener picks the port). paste: the result is pasted back
   * (prefers the system's out-of-band page; a random high port otherwise).
   */
  side: 'browser' | 'paste';
  /** for the paste side's random port (tests) */
  random?: () => number;
}

const usage = (text: Message) => new HandoffError(text, { code: CODES.USAGE });
const trimmed = (s: string | undefined): string | undefined => (typeof s === 'string' && s.trim() !== '' ? s.trim() : undefined);

/** The preset's out-of-band URI; a generic server may have the standard one. */
export function oobUriOf(preset: ProviderPreset): string | undefined {
  return preset.redirect.oobUri ?? (preset.id === 'generic' ? OOB_REDIRECT_URI : undefined);
}

/**
 * The redirect URI:
 * - --redirect-uri: used as given; an out-of-band URN counts as oob, anything
 *   else must be an absolute http(s) URL (a typo such as `htps://` is refused,
 *   not taken for an out-of-band URI);
 * - --redirect oob: the preset's OOB URI (generic servers: the standard URN);
 * - --redirect loopback, or nothing asked and no OOB preferred: a loopback URI
 *   when the server accepts any port, else --redirect-uri is needed;
 * - nothing asked on the paste side and the preset has an OOB page: oob (a
 *   code is easier to copy than an address bar).
 * Throws USAGE.
 */
export function chooseRedirect(o: RedirectRequest, preset: ProviderPreset, s: RedirectSide = { side: 'paste' }): RedirectChoice {
  const kind = trimmed(o.redirect)?.toLowerCase();
  if (kind !== undefined && kind !== 'oob' && kind !== 'loopback') {
    throw usage(message('authorization.redirect.unknown_kind', { kind: shown(kind, 40) }));
  }
  const given = trimmed(o.redirectUri);
  const oobUri = oobUriOf(preset);
  const isOob = (uri: string) => uri === oobUri || uri === OOB_REDIRECT_URI || uri.startsWith(`${OOB_REDIRECT_URI}:`);
  const oob = (uri: string): RedirectChoice => ({ uri, kind: 'oob', allowMissingState: !preset.redirect.oobSendsState });
  if (given !== undefined) {
    if (isOob(given)) {
      if (kind === 'loopback') throw usage(message('authorization.redirect.loopback_vs_oob'));
      return oob(given);
    }
    if (kind === 'oob') throw usage(message('authorization.redirect.oob_vs_url'));
    let url: URL | undefined;
    try {
      url = new URL(given);
    } catch {
      url = undefined;
    }
    if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw usage(message('authorization.redirect.bad_uri', { uri: shown(given, 80), oob: OOB_REDIRECT_URI }));
    }
    return { uri: given, kind: 'url', allowMissingState: false };
  }
  if (kind === 'oob' || (kind === undefined && s.side === 'paste' && preset.redirect.oobUri !== undefined)) {
    if (oobUri === undefined) {
      throw usage(message('authorization.redirect.no_oob', { provider: preset.title }));
    }
    return oob(oobUri);
  }
  if (!preset.redirect.anyPort) {
    throw usage(message('authorization.redirect.exact', { provider: preset.title, example: registerRedirectExample(preset) }));
  }
  if (s.side === 'browser') {
    // no port: the listener takes a free one, and the server accepts any
    const host = preset.redirect.loopbackHosts[0] ?? '127.0.0.1';
    return { uri: `http://${host.includes(':') ? `[${host}]` : host}${preset.redirect.defaultPath}`, kind: 'url', allowMissingState: false };
  }
  const random = s.random ?? Math.random;
  const port = DYNAMIC_PORTS.min + Math.floor(random() * (DYNAMIC_PORTS.max - DYNAMIC_PORTS.min + 1));
  return { uri: defaultRedirectUri(preset, Math.min(port, DYNAMIC_PORTS.max)), kind: 'url', allowMissingState: false };
}
