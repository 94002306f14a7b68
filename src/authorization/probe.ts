/**
 * A look at the authorization URL before a person is sent to it. A typo'd
 * site, a wrong path or port, an unknown client id or an unregistered
 * redirect URI shows on most servers as soon as the URL is requested — an
 * error page or an error redirect (RFC 6749 §4.1.2.1) — while the person's
 * browser would show it and the CLI would wait out its whole timeout. So the
 * URL is requested once, as a browser without a session would, following no
 * redirect: nothing is approved (there is no session), and a redirect back to
 * our redirect URI is read, never followed.
 *
 * Only definite answers stop the run: no connection, 404/405/410, an OAuth
 * error in a 4xx answer, or an error redirect. A login page, a redirect to
 * one, or anything unclear lets the run go on as before.
 */
import { CODES, HandoffError } from '../errors.js';
import { message } from '../i18n/index.js';
import type { HttpClient } from '../oauth/index.js';

/** OAuth errors a server names on its error page for a bad authorization request (RFC 6749 §4.1.2.1, and common variants). */
const OAUTH_ERRORS = ['invalid_client', 'unauthorized_client', 'invalid_request', 'invalid_redirect_uri', 'redirect_uri_mismatch', 'invalid_scope', 'unsupported_response_type', 'access_denied'];

/** The first readable sentence of an error page, without markup and control characters, at most 200 characters. */
function pageText(text: string): string {
  return text
    .replace(/<(head|script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&[#\w]+;/g, ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);
}

export async function probeAuthorizationUrl(http: HttpClient, url: string, redirectUri: string): Promise<void> {
  if (!http.probe) return;
  const endpoint = `${new URL(url).origin}${new URL(url).pathname}`;
  // no connection at all: the network error says which and why (exit 5)
  const res = await http.probe(url);
  if (res.status >= 300 && res.status < 400) {
    const location = res.headers.location;
    if (!location) return;
    let back: URL;
    try {
      back = new URL(location, url);
    } catch {
      return;
    }
    const ours = new URL(redirectUri, url);
    const error = back.searchParams.get('error');
    if (error && back.origin === ours.origin && back.pathname === ours.pathname) {
      const description = pageText(back.searchParams.get('error_description') ?? '');
      throw new HandoffError(message('authorization.probe.error_redirect', { endpoint, error: pageText(error), description: description || '-' }), {
        code: CODES.PROVIDER_ERROR,
        oauth: { status: res.status, error: pageText(error), ...(description ? { error_description: description } : {}) },
      });
    }
    return;
  }
  if (res.status === 404 || res.status === 405 || res.status === 410) {
    throw new HandoffError(message('authorization.probe.not_found', { endpoint, status: res.status }), { code: CODES.PROVIDER_ERROR, oauth: { status: res.status } });
  }
  if (res.status >= 400 && res.status < 500) {
    const body = res.body as { error?: unknown; error_description?: unknown } | undefined;
    const json = typeof body === 'object' && body !== null && typeof body.error === 'string' ? body : undefined;
    const error = json ? pageText(String(json.error)) : OAUTH_ERRORS.find((e) => res.text.includes(e));
    if (!error) return;
    const description = json && typeof json.error_description === 'string' ? pageText(json.error_description) : pageText(res.text);
    throw new HandoffError(message('authorization.probe.error_page', { endpoint, status: res.status, error, description: description || '-' }), {
      code: CODES.PROVIDER_ERROR,
      oauth: { status: res.status, error, ...(description ? { error_description: description } : {}) },
    });
  }
}
