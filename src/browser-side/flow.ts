/**
 * The authorization code flow as seen from the machine with the browser
 * (RFC 6749 §4.1, RFC 7636, RFC 8252): fresh state and PKCE, the
 * authorization URL, the redirect caught on loopback (or the code pasted,
 * out of band), and the code exchanged at once. A library function: it never
 * prints; the caller shows the URL (`present`) and reads pastes (`readPasted`).
 */
import { authorizationUrl, exchangeAuthorizationCode, newPendingAuthorization, probeAuthorizationUrl } from '../authorization/index.js';
import type { RequestTarget } from '../authorization/index.js';
import { CODES, HandoffError } from '../errors.js';
import { parseAuthorizationResponse } from '../oauth/index.js';
import type { HttpClient, TokenSet } from '../oauth/index.js';
import { explainProviderError, redirectAdvice } from './explain.js';
import type { ExplainContext } from './explain.js';
import { parseLoopbackRedirectUri, startLoopbackListener } from './loopback.js';
import { exchangeFailedPage, fixedPage } from './pages.js';
import { hintFor } from '../terminal/index.js';
import type { ListenerEvent, LoopbackListener } from './loopback.js';
import { message } from '../i18n/index.js';
import type { Translator } from '../i18n/index.js';

export type FlowEvent = ListenerEvent | { kind: 'bad-paste'; message: string };

/** The target (preset, endpoints, client, scopes: see ../authorization) and how to run the flow. */
export interface AuthorizationFlowOptions extends RequestTarget {
  /** loopback: a local listener receives the redirect; oob: the person pastes the code */
  mode: 'loopback' | 'oob';
  /**
   * loopback: the redirect URI; when it names no port (or port 0) a random
   * free port is bound and put into the URI sent. oob: the out-of-band URI.
   */
  redirectUri: string;
  /** send PKCE S256 (RFC 7636) */
  pkce: boolean;
  /** more authorization request parameters (prompt, login_hint, resource…) */
  extraParams?: Record<string, string>;
  /** how long to wait for the redirect or the paste */
  timeoutMs: number;
  http: HttpClient;
  /** show the authorization URL to the person / open a browser; called once the listener is up */
  present(url: string, info: { redirectUri: string; deadline: number }): Promise<void>;
  /**
   * One line the person pasted (a code, or the URL the browser landed on).
   * Required for oob; for loopback, optional: a paste then races the listener
   * (approval on a phone, whose browser cannot reach this machine).
   */
  readPasted?: (signal: AbortSignal) => Promise<string>;
  /** ask again after a paste that cannot be used (interactive); else the error ends the flow */
  retryBadPaste?: boolean;
  onEvent?: (e: FlowEvent) => void;
  signal?: AbortSignal;
  now?: () => number;
  /** the CLI's language, for the pages the browser shows (default English) */
  i18n?: Translator;
}

export interface AuthorizationResult {
  tokens: TokenSet;
  /** the redirect URI sent, and sent again with the code */
  redirectUri: string;
  /** when the token response arrived, epoch ms */
  obtainedAt: number;
}

/** What came back; from the listener, with the browser's tab still waiting for its answer. */
type Received = { input: string; source: 'listener' | 'paste'; respond?: (html: string, status?: number) => void };

/** Run the flow once. Throws HandoffError: USAGE, ABORTED (time-out, denial), PROVIDER_ERROR, PROVIDER_UNAVAILABLE. */
export async function runAuthorization(o: AuthorizationFlowOptions): Promise<AuthorizationResult> {
  const now = o.now ?? Date.now;
  if (o.mode === 'oob' && !o.readPasted) throw new HandoffError(message('browser.flow.oob_needs_reader'), { code: CODES.USAGE });
  const pending = newPendingAuthorization(o);
  const { state } = pending;
  const deadline = now() + o.timeoutMs;
  const stop = new AbortController();
  const onOuterAbort = () => stop.abort();
  o.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const timer = setTimeout(() => stop.abort(), o.timeoutMs);

  let listener: LoopbackListener | undefined;
  let redirectUri = o.redirectUri;
  let answer: Received['respond'];
  const ctx = (): ExplainContext => ({
    preset: o.preset,
    step: 'authorization',
    scopes: o.scopes,
    redirectUri,
    clientAuth: o.client.auth_method,
    hasSecret: !!o.client.secret,
  });
  try {
    if (o.mode === 'loopback') {
      const target = parseLoopbackRedirectUri(o.redirectUri);
      listener = await startLoopbackListener({
        target,
        port: target.port ?? 0,
        expect: { state, allowMissingState: false },
        // the flow's own timer ends the wait; this one only backs it up
        timeoutMs: o.timeoutMs + 1000,
        signal: stop.signal,
        ...(o.onEvent ? { onEvent: o.onEvent } : {}),
        ...(o.i18n ? { i18n: o.i18n } : {}),
        now,
      });
      redirectUri = listener.redirectUri;
    }
    const url = authorizationUrl(o, pending, redirectUri, o.extraParams);
    // fail fast: a wrong site, client or redirect URI shows before anyone is sent to the URL
    try {
      await probeAuthorizationUrl(o.http, url, redirectUri);
    } catch (e) {
      throw explainProviderError(e, ctx());
    }
    await o.present(url, { redirectUri, deadline });

    const received = await waitForResponse(o, listener, stop.signal, state, redirectUri);
    // the browser's tab is answered after the exchange: success only on success
    answer = received.respond;
    // the code is exchanged at once: some servers' codes live 10 s (Confluence)
    let code: string;
    try {
      ({ code } = parseAuthorizationResponse(received.input, {
        state,
        allowMissingState: o.mode === 'oob' && received.source === 'paste',
        redirectUri,
        ...(o.endpoints.issuer ? { issuer: o.endpoints.issuer } : {}),
      }));
    } catch (e) {
      throw explainProviderError(e, ctx());
    }
    let tokens: TokenSet;
    try {
      tokens = await exchangeAuthorizationCode(o.http, o, {
        code,
        redirectUri,
        ...(pending.pkce ? { codeVerifier: pending.pkce.verifier } : {}),
      });
    } catch (e) {
      throw explainProviderError(e, { ...ctx(), step: 'token' });
    }
    answer?.(fixedPage('authorized', o.i18n));
    answer = undefined;
    return { tokens, redirectUri, obtainedAt: now() };
  } catch (e) {
    if (answer) {
      const failed = e instanceof HandoffError ? e : new HandoffError(String((e as Error)?.message ?? e), { code: CODES.INTERNAL });
      const shown = o.i18n && failed.key !== undefined ? o.i18n.render(failed.key, failed.params) : failed.message;
      answer(exchangeFailedPage(shown, hintFor(failed, o.i18n), o.i18n), 400);
      answer = undefined;
    }
    if (e instanceof HandoffError && e.code === CODES.ABORTED && stop.signal.aborted && !o.signal?.aborted) {
      throw timeoutError(o, listener, redirectUri, e);
    }
    if (e instanceof HandoffError && e.code === CODES.ABORTED && o.signal?.aborted) {
      throw new HandoffError(message('browser.flow.interrupted'), { code: CODES.INTERRUPTED, cause: e });
    }
    throw e;
  } finally {
    clearTimeout(timer);
    o.signal?.removeEventListener('abort', onOuterAbort);
    stop.abort();
    await listener?.close();
  }
}

function timeoutError(o: AuthorizationFlowOptions, listener: LoopbackListener | undefined, redirectUri: string, cause: HandoffError): HandoffError {
  const secs = Math.round(o.timeoutMs / 1000);
  if (!listener) {
    return new HandoffError(message('browser.flow.no_code_in_time', { seconds: secs }), { code: CODES.ABORTED, cause });
  }
  const r = listener.refused();
  const wrongState = (r['state-mismatch'] ?? 0) + (r['state-missing'] ?? 0);
  // the likely suspects, in the order they are worth checking: the server, the client, the redirect URI
  const params = {
    uri: redirectUri,
    seconds: secs,
    endpoint: o.endpoints.authorization ?? '',
    provider: o.preset.title,
    client: o.client.id,
    advice: redirectAdvice(o.preset, redirectUri),
  };
  return new HandoffError(
    wrongState === 0
      ? message('browser.flow.no_redirect', params)
      : wrongState === 1
        ? message('browser.flow.no_redirect_refused_one', params)
        : message('browser.flow.no_redirect_refused_many', { ...params, count: wrongState }),
    { code: CODES.ABORTED, cause },
  );
}

/** The listener's callback, or a pasted line, whichever comes first. */
async function waitForResponse(
  o: AuthorizationFlowOptions,
  listener: LoopbackListener | undefined,
  signal: AbortSignal,
  state: string,
  redirectUri: string,
): Promise<Received> {
  const racers: Promise<Received>[] = [];
  const pasteStop = new AbortController();
  const pasteSignal = AbortSignal.any([signal, pasteStop.signal]);
  if (listener) racers.push(listener.callback.then((c) => ({ input: c.url, source: 'listener' as const, respond: c.respond })));
  if (o.readPasted) racers.push(readUsablePaste(o, pasteSignal, state, redirectUri));
  try {
    return await Promise.race(racers);
  } finally {
    pasteStop.abort();
  }
}

/** Read pastes until one is usable (interactive), or fail on the first bad one (piped). */
async function readUsablePaste(o: AuthorizationFlowOptions, signal: AbortSignal, state: string, redirectUri: string): Promise<Received> {
  const read = o.readPasted!;
  for (let attempt = 0; attempt < 100; attempt++) {
    const input = await read(signal);
    try {
      // checked here so that a bad paste can be asked again; provider errors end the flow
      parseAuthorizationResponse(input, { state, allowMissingState: o.mode === 'oob', redirectUri });
      return { input, source: 'paste' };
    } catch (e) {
      // malformed input, or another run's answer (an older tab): ask again; provider errors end the flow
      const retryable = e instanceof HandoffError && (e.code === CODES.USAGE || e.code === CODES.FOREIGN_RESPONSE);
      if (!retryable) return { input, source: 'paste' };
      if (!o.retryBadPaste) throw e;
      o.onEvent?.({ kind: 'bad-paste', message: e.message });
    }
  }
  throw new HandoffError(message('browser.flow.too_many_bad_inputs'), { code: CODES.USAGE });
}
