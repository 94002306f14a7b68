/**
 * The one-shot loopback listener (RFC 8252 §7.3): an HTTP server bound to the
 * loopback address only, on the port the redirect URI names (or a random one
 * where the server accepts any port). It accepts exactly one callback — on the
 * redirect path, with the expected `state` — answers it with a short page and
 * shuts down. Used by `authorize` and by `relay`.
 *
 * Choice: a callback with a wrong or missing `state` is answered with an error
 * page and NOT accepted, and the listener keeps waiting for the right one
 * until its time limit. A stale tab from an earlier run, or a page forging a
 * request to the loopback port, can neither be accepted nor end the run; the
 * caller is told (onEvent) so the person sees it at once, and the time-out
 * error says how many were refused.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { shown } from '../authorization/index.js';
import { CODES, HandoffError } from '../errors.js';
import { fixedPage } from './pages.js';
import { message } from '../i18n/index.js';
import type { Message, Translator } from '../i18n/index.js';

/** Host names a loopback redirect URI may use, as `URL.hostname` spells them. */
export const LOOPBACK_HOST_NAMES: readonly string[] = Object.freeze(['127.0.0.1', 'localhost', '[::1]']);

/** A loopback redirect URI, taken apart. */
export interface LoopbackTarget {
  /** the URI as given */
  uri: string;
  /** 127.0.0.1, localhost or [::1] */
  host: string;
  /** the port written in the URI; undefined when it names none */
  port?: number;
  /** the path the callback must arrive on */
  path: string;
  /** a query registered as part of the redirect URI (kept, RFC 6749 §3.1.2) */
  search: string;
  /** the addresses to bind: localhost is both 127.0.0.1 and ::1 */
  bindAddresses: string[];
}

function usage(text: Message): HandoffError {
  return new HandoffError(text, { code: CODES.USAGE });
}

/**
 * Take a redirect URI apart for the listener. USAGE unless it is an http URI
 * on a loopback host name without credentials or fragment: the listener binds
 * to loopback only, and cannot serve https.
 */
export function parseLoopbackRedirectUri(uri: string): LoopbackTarget {
  const text = typeof uri === 'string' ? uri.trim() : '';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw usage(message('browser.listener.not_absolute', { uri: shown(text) }));
  }
  if (url.protocol !== 'http:') {
    throw usage(message(url.protocol === 'https:' ? 'browser.listener.https' : 'browser.listener.not_http', { uri: shown(text) }));
  }
  const host = url.hostname.toLowerCase();
  if (!LOOPBACK_HOST_NAMES.includes(host)) {
    throw usage(
      message('browser.listener.not_loopback', { host: shown(url.hostname), hosts: LOOPBACK_HOST_NAMES.join(', ') }),
    );
  }
  if (url.username || url.password) throw usage(message('browser.listener.credentials'));
  if (url.hash || text.includes('#')) throw usage(message('browser.listener.fragment'));
  const authority = /^http:\/\/(?:\[[^\]]*\]|[^:/?#]*)(?::(\d*))?/i.exec(text);
  const written = authority?.[1];
  const target: LoopbackTarget = {
    uri: text,
    host,
    path: url.pathname,
    search: url.search,
    bindAddresses: host === 'localhost' ? ['127.0.0.1', '::1'] : [host === '[::1]' ? '::1' : '127.0.0.1'],
  };
  if (written !== undefined && written !== '') {
    const port = Number(written);
    if (!Number.isInteger(port) || port > 65535) throw usage(message('browser.listener.bad_port', { port: shown(written) }));
    target.port = port;
  }
  return target;
}

/** What the listener accepts. */
export interface CallbackExpectation {
  /** the `state` sent in the authorization request; undefined = accept any */
  state?: string;
  /** accept a callback without `state` (only when the request carried none) */
  allowMissingState: boolean;
}

export type RefusalReason = 'state-mismatch' | 'state-missing' | 'no-code' | 'not-found' | 'bad-host' | 'method' | 'late';

export interface ListenerEvent {
  kind: 'refused';
  reason: RefusalReason;
  /** the request path, without the query */
  path: string;
}

export interface LoopbackCallback {
  /** the whole redirect URL the browser requested (redirect URI host, actual port) */
  url: string;
  /** the provider answered with `error` rather than a code */
  isError: boolean;
  /** epoch ms */
  receivedAt: number;
  /**
   * Answer the browser, once: the flow does it after the code exchange, so
   * the page tells the truth. Unanswered, the tab gets the neutral
   * "received" page after ANSWER_WITHIN_MS. (A provider error is answered at once.)
   */
  respond(html: string, status?: number): void;
}

/** How long the browser's tab waits for the flow's answer before the neutral "received" page. */
export const ANSWER_WITHIN_MS = 60_000;

export interface LoopbackListener {
  /** the redirect URI to send: as given when it named a port, else with the port bound */
  readonly redirectUri: string;
  readonly port: number;
  /** settles once: the accepted callback, or ABORTED on time-out, abort or close */
  readonly callback: Promise<LoopbackCallback>;
  /** how many requests were refused, by reason */
  refused(): Readonly<Partial<Record<RefusalReason, number>>>;
  close(): Promise<void>;
}

export interface LoopbackOptions {
  target: LoopbackTarget;
  /** the port to bind: usually target.port; 0 = a random free port */
  port: number;
  expect: CallbackExpectation;
  timeoutMs: number;
  signal?: AbortSignal;
  onEvent?: (e: ListenerEvent) => void;
  now?: () => number;
  /** the language of the pages shown in the browser: the CLI's (default English) */
  i18n?: Translator;
}

/** Random-port binds retried when the second address (::1) finds the port taken. */
const BIND_ATTEMPTS = 5;

const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
};

function listen(server: Server, port: number, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    server.once('error', onError);
    server.listen({ port, host: address, exclusive: true }, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

function bindError(e: NodeJS.ErrnoException, address: string, port: number): HandoffError {
  if (e.code === 'EADDRINUSE') {
    return new HandoffError(message('browser.listener.port_in_use', { port, address }), {
      code: CODES.USAGE,
      cause: e,
    });
  }
  if (e.code === 'EACCES') {
    return new HandoffError(message('browser.listener.port_privileged', { port }), { code: CODES.USAGE, cause: e });
  }
  return new HandoffError(message('browser.listener.cannot_listen', { address, port, error: e.message }), { code: CODES.INTERNAL, cause: e });
}

/** Bind every address of the target on one port; the first decides the port when it is 0. */
async function bindAll(servers: Server[], target: LoopbackTarget, wanted: number): Promise<{ port: number; bound: Server[] }> {
  for (let attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
    const bound: Server[] = [];
    let port = wanted;
    let retry = false;
    for (const [i, address] of target.bindAddresses.entries()) {
      const server = servers[i]!;
      try {
        port = await listen(server, port, address);
        bound.push(server);
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        if (i === 0) throw bindError(err, address, port);
        // the second address of "localhost" (::1) is best effort: no IPv6, or a random port taken there
        if (err.code === 'EADDRINUSE' && wanted === 0) {
          retry = true;
          break;
        }
        if (err.code === 'EADDRINUSE') continue;
        if (['EADDRNOTAVAIL', 'EAFNOSUPPORT', 'EINVAL'].includes(err.code ?? '')) continue;
        throw bindError(err, address, port);
      }
    }
    if (!retry) return { port, bound };
    await Promise.all(bound.map(closeServer));
  }
  throw new HandoffError(message('browser.listener.no_free_port', { addresses: target.bindAddresses.join(', ') }), { code: CODES.INTERNAL });
}

function timeoutMessage(redirectUri: string, seconds: number, refused: Partial<Record<RefusalReason, number>>): Message {
  const state = (refused['state-mismatch'] ?? 0) + (refused['state-missing'] ?? 0);
  const noCode = refused['no-code'] ?? 0;
  const otherPath = refused['not-found'] ?? 0;
  return state + noCode + otherPath === 0
    ? message('browser.listener.timeout', { uri: redirectUri, seconds })
    : message('browser.listener.timeout_refused', { uri: redirectUri, seconds, state, no_code: noCode, other_path: otherPath });
}

/** Start the listener. It is listening when this resolves. */
export async function startLoopbackListener(o: LoopbackOptions): Promise<LoopbackListener> {
  const now = o.now ?? Date.now;
  if (!Number.isFinite(o.timeoutMs) || o.timeoutMs <= 0) throw usage(message('browser.listener.bad_timeout'));
  if (o.signal?.aborted) throw new HandoffError(message('browser.listener.cancelled'), { code: CODES.ABORTED });
  const refused: Partial<Record<RefusalReason, number>> = {};
  let accepted = false;
  let settled = false;
  let resolveCallback!: (c: LoopbackCallback) => void;
  let rejectCallback!: (e: HandoffError) => void;
  const callback = new Promise<LoopbackCallback>((res, rej) => {
    resolveCallback = res;
    rejectCallback = rej;
  });
  callback.catch(() => undefined); // a caller that closed early need not await it

  let port = 0;
  let redirectUri = o.target.uri;

  const refuse = (res: ServerResponse, status: number, body: string, reason: RefusalReason, path: string, extra: Record<string, string> = {}) => {
    refused[reason] = (refused[reason] ?? 0) + 1;
    res.writeHead(status, { ...PAGE_HEADERS, ...extra });
    res.end(body);
    if (!(reason === 'not-found' && path === '/favicon.ico')) o.onEvent?.({ kind: 'refused', reason, path });
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://${o.target.host}:${port}`);
    } catch {
      return refuse(res, 400, fixedPage('not_found', o.i18n), 'not-found', '?');
    }
    const path = url.pathname;
    const hostHeader = (req.headers.host ?? '').toLowerCase().replace(/:\d+$/, '');
    if (!LOOPBACK_HOST_NAMES.includes(hostHeader)) return refuse(res, 400, fixedPage('bad_host', o.i18n), 'bad-host', path); // DNS rebinding
    if (accepted || settled) return refuse(res, 409, fixedPage('already', o.i18n), 'late', path, { Connection: 'close' });
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, fixedPage('not_found', o.i18n), 'method', path, { Allow: 'GET' });
    if (path !== o.target.path) return refuse(res, 404, fixedPage('not_found', o.i18n), 'not-found', path);
    const params = url.searchParams;
    const states = params.getAll('state');
    if (o.expect.state !== undefined) {
      if (states.length === 0 || states[0] === '') {
        if (!o.expect.allowMissingState) return refuse(res, 400, fixedPage('wrong_state', o.i18n), 'state-missing', path);
      } else if (states.length !== 1 || states[0] !== o.expect.state) {
        return refuse(res, 400, fixedPage('wrong_state', o.i18n), 'state-mismatch', path);
      }
    }
    const isError = !!params.get('error');
    if (!isError && !params.get('code')) return refuse(res, 400, fixedPage('no_code', o.i18n), 'no-code', path);
    if (req.method === 'HEAD') {
      res.writeHead(200, PAGE_HEADERS);
      return res.end();
    }
    accepted = true;
    let answered = false;
    const respond = (html: string, status = 200) => {
      if (answered) return;
      answered = true;
      clearTimeout(fallback);
      res.writeHead(status, { ...PAGE_HEADERS, Connection: 'close' });
      res.end(html, () => {
        for (const s of servers) s.closeAllConnections();
      });
    };
    const fallback = setTimeout(() => respond(fixedPage('received', o.i18n)), ANSWER_WITHIN_MS);
    fallback.unref();
    if (isError) respond(fixedPage('provider_error', o.i18n), 400);
    settle(() => resolveCallback({ url: url.toString(), isError, receivedAt: now(), respond }));
  };

  const servers = o.target.bindAddresses.map(() => createServer({ requestTimeout: 10_000 }, handle));
  const { port: boundPort, bound } = await bindAll(servers, o.target, o.port);
  port = boundPort;
  if (o.port === 0 || o.target.port === undefined) {
    const host = o.target.host;
    redirectUri = `http://${host}:${port}${o.target.path}${o.target.search}`;
  }

  const timer = setTimeout(() => {
    const secs = Math.round(o.timeoutMs / 1000);
    settle(() =>
      rejectCallback(
        new HandoffError(timeoutMessage(redirectUri, secs, refused), { code: CODES.ABORTED }),
      ),
    );
  }, o.timeoutMs);
  const onAbort = () =>
    settle(() => rejectCallback(new HandoffError(message('browser.listener.cancelled'), { code: CODES.ABORTED })));
  o.signal?.addEventListener('abort', onAbort, { once: true });

  let closing: Promise<void> | undefined;
  function shutDown(): Promise<void> {
    closing ??= Promise.all(bound.map(closeServer)).then(() => undefined);
    return closing;
  }
  function settle(action: () => void): void {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    o.signal?.removeEventListener('abort', onAbort);
    action();
    void shutDown();
  }

  return {
    redirectUri,
    port,
    callback,
    refused: () => ({ ...refused }),
    close: async () => {
      settle(() => rejectCallback(new HandoffError(message('browser.listener.closed'), { code: CODES.ABORTED })));
      for (const s of bound) s.closeAllConnections();
      await shutDown();
    },
  };
}
