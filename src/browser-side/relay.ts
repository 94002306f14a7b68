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
import { createOutput, errorJson } from '../terminal/index.js';
import type { Output } from '../terminal/index.js';
import { DEFAULT_TIMEOUT_SECONDS } from './authorize.js';
import { parseLoopbackRedirectUri, startLoopbackListener } from './loopback.js';
import { fixedPage } from './pages.js';
import type { ListenerEvent } from './loopback.js';
import { canOpenBrowser, copyToClipboard, showUrl, startCountdown, systemBrowser } from './terminal-io.js';
import type { BrowserOpener, Countdown } from './terminal-io.js';
import { message } from '../i18n/index.js';
import type { Message } from '../i18n/index.js';

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

function usage(text: Message): HandoffError {
  return new HandoffError(text, { code: CODES.USAGE });
}

/** The redirect URI and state inside an authorization request URL (RFC 6749 §4.1.1). */
export function parseAuthorizationRequestUrl(text: string): { url: URL; redirectUri: string; state?: string } {
  let url: URL;
  try {
    url = new URL(typeof text === 'string' ? text.trim() : '');
  } catch {
    throw usage(message('browser.relay.not_url'));
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw usage(message('browser.relay.scheme', { scheme: shown(url.protocol, 20) }));
  for (const name of ['redirect_uri', 'state']) {
    if (url.searchParams.getAll(name).length > 1) throw usage(message('browser.relay.repeats', { name }));
  }
  const redirectUri = url.searchParams.get('redirect_uri');
  if (!redirectUri) {
    if (url.searchParams.has('code')) throw usage(message('browser.relay.is_redirect'));
    throw usage(message('browser.relay.no_redirect_uri'));
  }
  if (!/^https?:/i.test(redirectUri)) {
    throw usage(
      message('browser.relay.oob', { uri: shown(redirectUri, 60) }),
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
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw usage(message('browser.relay.bad_timeout'));
  const useBrowser = o.browser !== false && (o.openBrowser !== undefined || canOpenBrowser(env));

  let countdown: Countdown | undefined;
  const onEvent = (e: ListenerEvent) => {
    const text =
      e.reason === 'state-mismatch' || e.reason === 'state-missing'
        ? out.t('browser.relay.refused_state')
        : e.reason === 'no-code'
          ? out.t('browser.relay.refused_no_code')
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
        ? out.t('browser.relay.opening')
        : out.t('browser.relay.open_url'),
    });
    if (useBrowser) {
      try {
        await (o.openBrowser ?? systemBrowser)(href);
      } catch (e) {
        out.warn(out.t('authorize.no_browser', { error: (e as Error).message }));
      }
    }
    out.info(out.t('browser.relay.listening', { uri: listener.redirectUri }));
    countdown = startCountdown(out.stderr, now() + timeoutSeconds * 1000, out.t('wait.approval'), { now, i18n: out.i18n });
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
    // one JSON document: a failure is in it too (the error object of --json), and no second one follows
    if (o.json) out.json({ redirect_url: cb.url, code: code ?? null, state: request.state ?? null, ...(failure !== undefined ? { error: errorJson(failure) } : {}) });
    else out.data(`${cb.url}\n`);
    if (o.copy) {
      if (copyToClipboard(cb.url, env)) out.info(out.t('browser.relay.copied'));
      else out.warn(out.t('browser.relay.no_terminal'));
    }
    if (failure !== undefined) throw failure;
    if (!o.json) {
      out.info(out.t('browser.relay.caught')); // the code itself only in the line to paste (stdout)
      out.info(out.t('browser.relay.paste_there'));
    }
    return 0;
  } finally {
    countdown?.stop();
    process.off('SIGINT', onSigint);
    await listener.close();
  }
}
