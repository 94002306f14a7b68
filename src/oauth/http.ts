/**
 * The HTTP client over axios. axios is imported lazily, inside
 * createHttpClient: this module is on the `token` hot path, where most calls
 * never touch the network.
 *
 * Proxies: we pass no `proxy` option and no agents, so axios 1.x reads
 * HTTP_PROXY / HTTPS_PROXY / NO_PROXY (either case) from the environment on
 * every request through `proxy-from-env`, tunnelling https targets with
 * CONNECT. NODE_EXTRA_CA_CERTS is honoured by node's TLS itself.
 */
import type { AxiosError, AxiosInstance, AxiosResponse } from 'axios';
import { CODES, HandoffError } from '../errors.js';
import type { HttpClient, HttpClientOptions, RawResponse, RequestSummary } from './types.js';
import { message } from '../i18n/index.js';
import type { MessageKey } from '../i18n/index.js';

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
export const DEFAULT_USER_AGENT = 'oauth-handoff';
/** Redirects a GET may follow; POSTs follow none. */
export const MAX_GET_REDIRECTS = 3;

/** Create the axios-backed client. Every status comes back as a RawResponse. */
export async function createHttpClient(opts: HttpClientOptions = {}): Promise<HttpClient> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new HandoffError(message('oauth.http.bad_timeout'), { code: CODES.USAGE });
  }
  const maxBytes = opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const now = opts.now ?? Date.now;
  const { default: axios } = await import('axios');
  const instance: AxiosInstance = axios.create({
    timeout: timeoutMs,
    validateStatus: () => true,
    // a POST that is redirected is answered as a 3xx, never followed with credentials;
    // GETs (metadata documents, no credentials) follow a few, like a browser
    maxRedirects: 0,
    responseType: 'text',
    responseEncoding: 'utf8',
    transformResponse: [(data: unknown) => data],
    maxContentLength: maxBytes,
    maxBodyLength: maxBytes,
    headers: {
      'User-Agent': opts.userAgent ?? DEFAULT_USER_AGENT,
      Accept: 'application/json',
    },
  });

  async function send(
    summary: RequestSummary,
    config: { url: string; data?: string; headers: Record<string, string>; maxRedirects?: number },
  ): Promise<RawResponse> {
    checkUrl(config.url);
    // `timeout` above is axios's socket-idle timer; this is the whole-request deadline
    const signal = AbortSignal.timeout(timeoutMs);
    let res: AxiosResponse<string>;
    try {
      res = await instance.request<string>({ method: summary.method, ...config, signal });
    } catch (e) {
      throw networkError(e, summary, timeoutMs, signal.aborted);
    }
    return toRawResponse(res, summary, now());
  }

  return {
    timeoutMs,
    post(url, form, headers = {}) {
      const summary: RequestSummary = { method: 'POST', url: withoutQuery(url) };
      if (typeof form.grant_type === 'string') summary.grantType = form.grant_type;
      return send(summary, {
        url,
        data: new URLSearchParams(form).toString(),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      });
    },
    get(url, headers = {}) {
      return send({ method: 'GET', url: withoutQuery(url) }, { url, headers, maxRedirects: MAX_GET_REDIRECTS });
    },
    postJson(url, body, headers = {}) {
      return send({ method: 'POST', url: withoutQuery(url) }, {
        url,
        data: JSON.stringify(body),
        headers: { 'Content-Type': 'application/json', ...headers },
      });
    },
    delete(url, headers = {}) {
      return send({ method: 'DELETE', url: withoutQuery(url) }, { url, headers });
    },
    probe(url, headers = {}) {
      return send({ method: 'GET', url: withoutQuery(url) }, { url, headers: { Accept: 'text/html,application/json', ...headers }, maxRedirects: 0 });
    },
  };
}

/** Turn an axios response into a RawResponse: lower-case headers, JSON parsed when it is JSON. */
function toRawResponse(res: AxiosResponse<string>, request: RequestSummary, receivedAt: number): RawResponse {
  const headers: Record<string, string> = {};
  const source = res.headers as unknown as { toJSON?: () => Record<string, unknown> } & Record<string, unknown>;
  const plain = typeof source.toJSON === 'function' ? source.toJSON() : source;
  for (const [name, value] of Object.entries(plain)) {
    if (value === undefined || value === null) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.map(String).join(', ') : String(value);
  }
  const text = typeof res.data === 'string' ? res.data : res.data === undefined || res.data === null ? '' : String(res.data);
  return { status: res.status, headers, body: parseBody(text, headers['content-type']), text, receivedAt, request };
}

/** JSON when it says so or looks like an object or array; otherwise the text itself. */
export function parseBody(text: string, contentType: string | undefined): unknown {
  const trimmed = text.trim();
  const saysJson = contentType !== undefined && /\bjson\b/i.test(contentType);
  if (saysJson || trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return text;
    }
  }
  return text;
}

function checkUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new HandoffError(message('oauth.http.url_not_absolute'), { code: CODES.USAGE });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new HandoffError(message('oauth.http.url_scheme', { scheme: parsed.protocol }), { code: CODES.USAGE });
  }
  if (parsed.username || parsed.password) {
    throw new HandoffError(message('oauth.http.url_credentials'), {
      code: CODES.USAGE,
    });
  }
}

/** The URL without query or fragment: safe to show in a message. */
export function withoutQuery(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

const NETWORK_REASONS: Record<string, MessageKey> = {
  ECONNREFUSED: 'oauth.net.econnrefused',
  ECONNRESET: 'oauth.net.econnreset',
  EPIPE: 'oauth.net.epipe',
  ENOTFOUND: 'oauth.net.enotfound',
  EAI_AGAIN: 'oauth.net.eai_again',
  EHOSTUNREACH: 'oauth.net.ehostunreach',
  ENETUNREACH: 'oauth.net.enetunreach',
  ENETDOWN: 'oauth.net.enetdown',
  ETIMEDOUT: 'oauth.net.timed_out',
  ECONNABORTED: 'oauth.net.timed_out',
  ERR_SOCKET_CONNECTION_TIMEOUT: 'oauth.net.connection_timed_out',
  ERR_NETWORK: 'oauth.net.network_error',
  EPROTO: 'oauth.net.eproto',
};

const TLS_CODE = /^(?:ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/;

function codeOf(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur && typeof cur === 'object'; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'ERR_BAD_REQUEST' && code !== 'ERR_CANCELED') return code;
    const errors = (cur as { errors?: unknown }).errors; // AggregateError from happy eyeballs
    if (Array.isArray(errors) && errors.length > 0) {
      const inner = codeOf(errors[0]);
      if (inner) return inner;
    }
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * A stand-in for axios's error as `cause`: axios errors carry the request
 * config, whose body and headers hold the client secret and the tokens.
 */
function safeCause(e: unknown, code: string | undefined): Error {
  let inner: unknown = e;
  for (let i = 0; i < 3 && inner && typeof inner === 'object' && (inner as { cause?: unknown }).cause; i++) {
    inner = (inner as { cause?: unknown }).cause;
  }
  const message = inner instanceof Error ? inner.message : e instanceof Error ? e.message : String(e);
  const cause = new Error(message);
  if (code) (cause as Error & { code?: string }).code = code;
  return cause;
}

/** No response arrived: say why, without the request body (it holds secrets). */
function networkError(e: unknown, request: RequestSummary, timeoutMs: number, deadlinePassed: boolean): HandoffError {
  if (e instanceof HandoffError) return e;
  const axiosError = e as Partial<AxiosError> | undefined;
  const { method, url } = request;
  const code = codeOf(e);
  const cause = safeCause(e, code);
  if (deadlinePassed || code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
    return new HandoffError(message('oauth.http.no_response', { method, url, duration: formatMs(timeoutMs) }), {
      code: CODES.PROVIDER_UNAVAILABLE,
      cause,
    });
  }
  const axiosMessage = typeof axiosError?.message === 'string' ? axiosError.message : '';
  if (/maxContentLength|maxBodyLength/.test(axiosMessage)) {
    return new HandoffError(message('oauth.http.too_large', { method, url }), {
      code: CODES.PROVIDER_ERROR,
      cause,
    });
  }
  if (code === 'ERR_INVALID_URL') {
    return new HandoffError(message('oauth.http.invalid_url', { url }), { code: CODES.USAGE, cause });
  }
  // every reason is a phrase without placeholders
  const known = code ? NETWORK_REASONS[code] : undefined;
  const text =
    code === undefined
      ? message('oauth.http.unreachable', { method, url, reason: message('oauth.net.network_error') })
      : known !== undefined
        ? message('oauth.http.unreachable_code', { method, url, reason: message(known as 'oauth.net.network_error'), code })
        : message('oauth.http.unreachable', { method, url, reason: message(TLS_CODE.test(code) ? 'oauth.net.tls' : 'oauth.net.other_code', { code }) });
  return new HandoffError(text, {
    code: CODES.PROVIDER_UNAVAILABLE,
    cause,
  });
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
