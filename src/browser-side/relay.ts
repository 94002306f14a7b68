/**
 * `oauth-handoff relay URL`: the laptop half of the inverted hand-off. The
 * headless machine (`login --paste`) printed an authorization URL whose
 * redirect_uri is a loopback URL; relay listens there on this machine, opens
 * the URL, catches the redirect and prints it for pasting back. It never
 * exchanges the code: without the PKCE verifier held by the headless machine
 * the code is useless to anyone who sees it.
 */
import { shown } from '../authorization/index.js';
import { CODES, HandoffError } from '../errors.js';
import { parseAuthorizationResponse } from '../oauth/index.js';
import { createOutput } from '../terminal/index.js';
import type { Output } from '../terminal/index.js';
import { DEFAULT_TIMEOUT_SECONDS } from './authorize.js';
import { parseLoopbackRedirectUri, startLoopbackListener } from './loopback.js';
import { fixedPage } from './pages.js';
import type { ListenerEvent } from './loopback.js';
import { canOpenBrowser, copyToClipboard, showUrl, startCountdown, systemBrowser } from './terminal-io.js';
import type { BrowserOpener, Countdown } from './terminal-io.js';

export interface RelayOptions {
  /** the authorization URL the headless machine printed */
  url: string;
  /** false = --no-browser: print the URL only */
  browser?: boolean;
  /** seconds; default 300 */
  timeout?: number;
  /** also put the redirect URL on the terminal's clipboard (OSC 52) */
  copy?: boolean;
  json?: boolean;
  out?: Output;
  env?: NodeJS.ProcessEnv;
  openBrowser?: BrowserOpener;
  signal?: AbortSignal;
  now?: () => number;
}

function usage(message: string): HandoffError {
  return new HandoffError(message, { code: CODES.USAGE });
}

/** The redirect URI and state inside an authorization request URL (RFC 6749 §4.1.1). */
export function parseAuthorizationRequestUrl(text: string): { url: URL; redirectUri: string; state?: string } {
  let url: URL;
  try {
    url = new URL(typeof text === 'string' ? text.trim() : '');
  } catch {
    throw usage('the argument is not a URL: give the authorization URL the headless machine printed');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw usage(`the authorization URL has an unsupported scheme "${shown(url.protocol, 20)}"`);
  for (const name of ['redirect_uri', 'state']) {
    if (url.searchParams.getAll(name).length > 1) throw usage(`the authorization URL repeats "${name}"`);
  }
  const redirectUri = url.searchParams.get('redirect_uri');
  if (!redirectUri) {
    if (url.searchParams.has('code')) throw usage('this is a redirect URL (it carries a code), not the authorization URL: paste it into the headless machine directly');
    throw usage('the authorization URL has no redirect_uri, so there is nothing on this machine to catch');
  }
  if (!/^https?:/i.test(redirectUri)) {
    throw usage(
      `the authorization URL uses the out-of-band redirect ${shown(redirectUri, 60)}: open it in any browser and paste the code it shows into the headless machine; no relay is needed`,
    );
  }
  const state = url.searchParams.get('state');
  return { url, redirectUri, ...(state ? { state } : {}) };
}

/** `oauth-handoff relay URL` */
export async function relayCommand(o: RelayOptions): Promise<number> {
  const out = o.out ?? createOutput(o.env ? { env: o.env } : {});
  const env = o.env ?? process.env;
  const now = o.now ?? Date.now;
  const request = parseAuthorizationRequestUrl(o.url);
  const target = parseLoopbackRedirectUri(request.redirectUri);
  const timeoutSeconds = o.timeout ?? DEFAULT_TIMEOUT_SECONDS;
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw usage('the time limit (--timeout) must be a positive number of seconds');
  const useBrowser = o.browser !== false && (o.openBrowser !== undefined || canOpenBrowser(env));

  let countdown: Countdown | undefined;
  const onEvent = (e: ListenerEvent) => {
    const text =
      e.reason === 'state-mismatch' || e.reason === 'state-missing'
        ? 'refused a redirect whose state does not match the URL being relayed; still waiting'
        : e.reason === 'no-code'
          ? 'refused a redirect without a code; still waiting'
          : undefined;
    if (!text) return;
    if (countdown) countdown.note(() => out.warn(text));
    else out.warn(text);
  };
  const cancel = new AbortController();
  const onSigint = () => cancel.abort();
  if (!o.signal) process.once('SIGINT', onSigint);

  const listener = await startLoopbackListener({
    target,
    // the headless machine put this exact URI (and port) into the request
    port: target.port ?? 80,
    expect: request.state === undefined ? { allowMissingState: true } : { state: request.state, allowMissingState: false },
    timeoutMs: timeoutSeconds * 1000,
    signal: o.signal ?? cancel.signal,
    onEvent,
    now,
    i18n: out.i18n,
  });
  try {
    const href = request.url.toString();
    await showUrl(out, href, {
      qr: false,
      what: useBrowser
        ? 'opening your browser to approve the access; if it does not open, open this URL on this machine yourself:'
        : 'open this URL in a browser on this machine and approve the access:',
    });
    if (useBrowser) {
      try {
        await (o.openBrowser ?? systemBrowser)(href);
      } catch (e) {
        out.warn(`could not open a browser (${(e as Error).message}); open the URL above yourself`);
      }
    }
    out.info(`listening on ${listener.redirectUri} for the redirect (this machine never exchanges the code)`);
    countdown = startCountdown(out.stderr, now() + timeoutSeconds * 1000, 'oauth-handoff: waiting for the approval:', now);
    const cb = await listener.callback.finally(() => countdown?.stop());
    // relay never exchanges the code: "received" is all this machine can truthfully say
    cb.respond(fixedPage('received', out.i18n), cb.isError ? 400 : 200);

    let code: string | undefined;
    let failure: unknown;
    try {
      ({ code } = parseAuthorizationResponse(cb.url, {
        ...(request.state !== undefined ? { state: request.state } : {}),
        allowMissingState: request.state === undefined,
        redirectUri: request.redirectUri,
      }));
    } catch (e) {
      failure = e;
    }
    // printed even for an error answer, so a pipe carries the provider's answer to the headless side
    if (o.json) out.json({ redirect_url: cb.url, code: code ?? null, state: request.state ?? null });
    else out.data(`${cb.url}\n`);
    if (o.copy) {
      if (copyToClipboard(cb.url, env)) out.info('the redirect URL was sent to your terminal\'s clipboard (OSC 52)');
      else out.warn('no terminal to copy to; use the printed line');
    }
    if (failure !== undefined) throw failure;
    if (!o.json) {
      out.info(`caught the redirect; the code is ${code}`);
      out.info('paste the line printed above into the headless machine (its `oauth-handoff login --paste` prompt); the code is useless without the verifier held there');
    }
    return 0;
  } finally {
    countdown?.stop();
    process.off('SIGINT', onSigint);
    await listener.close();
  }
}
