/**
 * The sandbox authorization server over node:http, bound to 127.0.0.1 only.
 * Routes come from the profile; the rules live in state.ts, client-auth.ts and pkce.ts.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CODES, HandoffError } from '../errors.js';
import { authenticateClient, readClientCredentials } from './client-auth.js';
import { FaultQueue, faultProblem } from './faults.js';
import {
  BodyTooLarge,
  isLoopbackAddress,
  mediaType,
  parseParams,
  readBody,
  redirect,
  sendHtml,
  sendJson,
  sendText,
  sleep,
  withParams,
} from './http-util.js';
import { approvePage, errorPage, indexPage, nativeCodePage } from './pages.js';
import { checkPkceRequest } from './pkce.js';
import { SANDBOX_PROFILES, type SandboxProfile } from './profiles.js';
import {
  SANDBOX_USER,
  SandboxState,
  fail,
  randomToken,
  refreshTokenId,
  type Failure,
  type Lifetimes,
  type PendingAuthorization,
} from './state.js';
import {
  SANDBOX_PROFILE_IDS,
  type Fault,
  type LogEntry,
  type Sandbox,
  type SandboxClient,
  type SandboxEndpoints,
  type SandboxOptions,
  type TokenResponse,
} from './types.js';

/** The id of the default client of every sandbox. */
export const DEFAULT_CLIENT_ID = 'sandbox-client';
/** The protected resource (RFC 6750). */
export const API_PATH = '/api/me';
const METADATA_PATH = '/.well-known/oauth-authorization-server';
const CONTROL_PREFIX = '/_sandbox/';
/** The request log keeps at most this many entries (oldest dropped). */
export const MAX_LOG_ENTRIES = 10_000;

function usage(message: string): HandoffError {
  return new HandoffError(message, { code: CODES.USAGE });
}

function checkOptions(opts: SandboxOptions): void {
  const profile = opts.profile ?? 'generic';
  if (!SANDBOX_PROFILE_IDS.includes(profile)) throw usage(`unknown sandbox profile "${String(profile)}"`);
  if (opts.host !== undefined && opts.host !== '127.0.0.1') {
    throw usage(`the sandbox binds only to 127.0.0.1, not "${String(opts.host)}"`);
  }
  if (opts.port !== undefined && !(Number.isInteger(opts.port) && opts.port >= 0 && opts.port <= 65535)) {
    throw usage('sandbox port must be an integer from 0 to 65535');
  }
  for (const k of ['accessTokenTtl', 'codeTtl'] as const) {
    const v = opts[k];
    if (v !== undefined && !(Number.isFinite(v) && v > 0)) throw usage(`sandbox ${k} must be a positive number of seconds`);
  }
  const r = opts.refreshTokenTtl;
  if (r !== undefined && !(r > 0)) throw usage('sandbox refreshTokenTtl must be a positive number of seconds or Infinity');
  const rl = opts.rateLimitPerMinute;
  if (rl !== undefined && !(Number.isInteger(rl) && rl >= 1)) throw usage('sandbox rateLimitPerMinute must be a positive integer');
}

function registerClients(profile: SandboxProfile, opts: SandboxOptions): { byId: Map<string, SandboxClient>; main: SandboxClient } {
  const main: SandboxClient = {
    id: DEFAULT_CLIENT_ID,
    secret: randomToken(),
    redirectUris: [...profile.defaultRedirectUris],
    name: 'oauth-handoff sandbox client',
  };
  const byId = new Map<string, SandboxClient>([[main.id, main]]);
  for (const c of opts.clients ?? []) {
    if (typeof c.id !== 'string' || c.id === '') throw usage('every sandbox client needs an id');
    if (!Array.isArray(c.redirectUris)) throw usage(`sandbox client "${c.id}" needs redirectUris`);
    if (profile.confidentialOnly && c.secret === undefined) {
      throw usage(`the ${profile.id} profile has only confidential clients: client "${c.id}" needs a secret`);
    }
    const copy: SandboxClient = { ...c, redirectUris: [...c.redirectUris] };
    if (c.scopes) copy.scopes = [...c.scopes];
    byId.set(c.id, copy);
  }
  return { byId, main: byId.get(DEFAULT_CLIENT_ID)! };
}

/** One request and its answer; the log entry is written once, when the answer is decided. */
class Exchange {
  private logged = false;
  readonly headers: Record<string, string | number> = {};

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly entry: LogEntry | undefined,
    private readonly record: (e: LogEntry) => void,
  ) {
    res.on('close', () => this.finish(0));
  }

  private finish(status: number, error?: string): void {
    if (this.logged || !this.entry) return;
    this.logged = true;
    this.entry.status = status;
    if (error !== undefined) this.entry.error = error;
    this.record(this.entry);
  }

  json(status: number, body: unknown, headers: Record<string, string | number> = {}): void {
    const err = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
    this.finish(status, typeof err === 'string' ? err : undefined);
    sendJson(this.res, status, body, { ...this.headers, ...headers });
  }

  oauthError(f: Failure, headers: Record<string, string | number> = {}): void {
    this.json(f.status, { error: f.error, error_description: f.error_description }, headers);
  }

  text(status: number, contentType: string, text: string, headers: Record<string, string | number> = {}): void {
    this.finish(status);
    sendText(this.res, status, contentType, text, { ...this.headers, ...headers });
  }

  html(status: number, html: string, error?: string): void {
    this.finish(status, error);
    sendHtml(this.res, status, html);
  }

  redirect(status: 302 | 303, location: string, error?: string): void {
    this.finish(status, error);
    redirect(this.res, status, location);
  }

  empty(status: number): void {
    this.finish(status);
    this.res.writeHead(status, { ...this.headers, 'Cache-Control': 'no-store', 'Content-Length': 0 });
    this.res.end();
  }

  /** destroy the connection without an answer */
  reset(): void {
    this.finish(0);
    this.req.socket.destroy();
  }
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  checkOptions(opts);
  const profile = SANDBOX_PROFILES[opts.profile ?? 'generic'];
  const now = opts.now ?? Date.now;
  const lifetimes: Lifetimes = {
    accessToken: opts.accessTokenTtl ?? profile.lifetimes.accessToken,
    refreshToken: opts.refreshTokenTtl ?? profile.lifetimes.refreshToken,
    code: opts.codeTtl ?? profile.lifetimes.code,
  };
  const { byId: clients, main: mainClient } = registerClients(profile, opts);
  const state = new SandboxState(profile, lifetimes, clients, {
    replayRevokesGrant: opts.replayRevokesGrant === true,
    now,
  });
  const faults = new FaultQueue();
  const log: LogEntry[] = [];
  const closing = new AbortController();
  const rate = { window: 0, count: 0 };
  let url = '';

  const record = (e: LogEntry) => {
    log.push(e);
    if (log.length > MAX_LOG_ENTRIES) log.splice(0, log.length - MAX_LOG_ENTRIES);
  };

  const endpointsOf = (base: string): SandboxEndpoints => {
    const e: SandboxEndpoints = {
      authorization: base + profile.paths.authorize,
      token: base + profile.paths.token,
      api: base + API_PATH,
    };
    if (profile.paths.revoke) e.revocation = base + profile.paths.revoke;
    if (profile.metadata) e.issuer = base;
    if (profile.paths.tokenInfo) e.tokenInfo = base + profile.paths.tokenInfo;
    return e;
  };

  const publicClient = (c: SandboxClient): SandboxClient => JSON.parse(JSON.stringify(c)) as SandboxClient;

  // ---- rate limit (Backlog style: per minute, X-RateLimit-* headers) ----

  /** true when the request was answered with 429 */
  function rateLimited(ex: Exchange): boolean {
    const limit = opts.rateLimitPerMinute;
    if (limit === undefined) return false;
    const t = now();
    const window = Math.floor(t / 60_000) * 60_000;
    if (window !== rate.window) {
      rate.window = window;
      rate.count = 0;
    }
    const reset = Math.floor((window + 60_000) / 1000);
    if (rate.count >= limit) {
      ex.json(
        429,
        { error: 'too_many_requests', error_description: 'rate limit exceeded' },
        {
          'X-RateLimit-Limit': limit,
          'X-RateLimit-Remaining': 0,
          'X-RateLimit-Reset': reset,
          'Retry-After': Math.max(1, Math.ceil((window + 60_000 - t) / 1000)),
        },
      );
      return true;
    }
    rate.count += 1;
    ex.headers['X-RateLimit-Limit'] = limit;
    ex.headers['X-RateLimit-Remaining'] = limit - rate.count;
    ex.headers['X-RateLimit-Reset'] = reset;
    return false;
  }

  // ---- authorization endpoint (RFC 6749 §4.1.1) ----

  function refuse(ex: Exchange, status: number, error: string, description: string): void {
    ex.html(status, errorPage({ profileTitle: profile.title, error, description }), error);
  }

  /** RFC 6749 §4.1.2.1: errors go back to a valid redirect URI; out-of-band ones are shown */
  function errorBack(ex: Exchange, p: { redirectUri: string; state?: string }, error: string, description: string, status: 302 | 303): void {
    if (p.redirectUri === profile.oobUri) return refuse(ex, 400, error, description);
    ex.redirect(status, withParams(p.redirectUri, { error, error_description: description, state: p.state }), error);
  }

  function approve(ex: Exchange, p: PendingAuthorization | Omit<PendingAuthorization, 'expiresAt'>, status: 302 | 303): void {
    const code = state.issueCode(p);
    if (p.redirectUri === profile.oobUri && profile.paths.native) {
      // Doorkeeper's native page: the code in the query, no state
      ex.redirect(status, withParams(url + profile.paths.native, { code }));
      return;
    }
    ex.redirect(status, withParams(p.redirectUri, { code, state: p.state }));
  }

  function authorizeGet(ex: Exchange, query: string): void {
    const { params, duplicate } = parseParams(query);
    const clientId = params.get('client_id') ?? undefined;
    if (ex.entry && clientId !== undefined) ex.entry.clientId = clientId;
    if (duplicate !== undefined) return refuse(ex, 400, 'invalid_request', `parameter "${duplicate}" was sent more than once`);
    if (clientId === undefined) return refuse(ex, 400, 'invalid_request', 'missing "client_id"');
    const client = clients.get(clientId);
    if (!client) return refuse(ex, 400, 'invalid_client', 'unknown client');
    let redirectUri = params.get('redirect_uri') ?? undefined;
    const redirectUriSent = redirectUri !== undefined;
    if (redirectUri === undefined) {
      if (client.redirectUris.length !== 1) return refuse(ex, 400, 'invalid_request', 'missing "redirect_uri"');
      redirectUri = client.redirectUris[0]!;
    }
    if (!profile.redirectAllowed(redirectUri, client)) {
      // never redirect to a URI that is not registered
      return refuse(ex, 400, 'invalid_request', 'redirect_uri is not registered for this client');
    }
    const back: { redirectUri: string; state?: string } = { redirectUri };
    const st = params.get('state');
    if (st !== null) back.state = st;
    const responseType = params.get('response_type');
    if (responseType === null) return errorBack(ex, back, 'invalid_request', 'missing "response_type"', 302);
    if (responseType !== 'code') {
      return errorBack(ex, back, 'unsupported_response_type', 'only response_type=code is supported', 302);
    }
    const pkce = checkPkceRequest(
      profile,
      params.get('code_challenge') ?? undefined,
      params.get('code_challenge_method') ?? undefined,
    );
    if (!pkce.ok) return errorBack(ex, back, 'invalid_request', pkce.description, 302);
    if (client.requirePkce === true && pkce.challenge === undefined) {
      return errorBack(ex, back, 'invalid_request', 'this client requires PKCE: code_challenge is missing', 302);
    }
    const scope = state.resolveScope(client, params.get('scope') ?? undefined);
    if (!scope.ok) return errorBack(ex, back, scope.error, scope.error_description, 302);

    const pending: Omit<PendingAuthorization, 'expiresAt'> = { clientId, redirectUri, redirectUriSent, scope: scope.value };
    if (back.state !== undefined) pending.state = back.state;
    if (pkce.challenge !== undefined && pkce.method !== undefined) {
      pending.challenge = pkce.challenge;
      pending.method = pkce.method;
    }
    if (opts.autoApprove === true) return approve(ex, pending, 302);
    const tx = state.beginTransaction(pending);
    ex.html(
      200,
      approvePage({
        profileTitle: profile.title,
        action: profile.paths.authorize,
        transactionId: tx,
        clientName: client.name ?? client.id,
        user: SANDBOX_USER.login,
        scopes: scope.value === '' ? [] : scope.value.split(' '),
      }),
    );
  }

  async function authorizePost(ex: Exchange): Promise<void> {
    const { params } = parseParams(await readBody(ex.req));
    const tx = state.takeTransaction(params.get('transaction_id') ?? '');
    if (!tx) return refuse(ex, 400, 'invalid_request', 'this authorization request expired or was already answered');
    if (ex.entry) ex.entry.clientId = tx.clientId;
    const decision = params.get('decision');
    if (decision === 'approve') return approve(ex, tx, 303);
    if (decision === 'deny') return errorBack(ex, tx, 'access_denied', 'the user denied the request', 303);
    return refuse(ex, 400, 'invalid_request', 'unknown decision');
  }

  // ---- token endpoint (RFC 6749 §3.2, §4.1.3, §6) ----

  function sendFault(ex: Exchange, f: Fault): void {
    if (ex.entry) ex.entry.fault = 'garbage' in f ? 'garbage' : 'status';
    if ('garbage' in f) {
      ex.text(200, 'text/html; charset=utf-8', f.body ?? '<html><body><h1>200 OK</h1>upstream proxy page</body></html>');
      return;
    }
    const s = f as Extract<Fault, { status: 500 | 503 | 429 }>;
    const headers: Record<string, string | number> = {};
    if (s.retryAfter !== undefined) headers['Retry-After'] = Math.ceil(s.retryAfter);
    if (typeof s.body === 'string') {
      ex.text(s.status, s.body.trimStart().startsWith('<') ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8', s.body, headers);
      return;
    }
    const defaults = {
      500: { error: 'server_error', error_description: 'injected fault: internal error' },
      503: { error: 'temporarily_unavailable', error_description: 'injected fault: unavailable' },
      429: { error: 'too_many_requests', error_description: 'injected fault: too many requests' },
    } as const;
    ex.json(s.status, s.body ?? defaults[s.status], headers);
  }

  async function token(ex: Exchange): Promise<void> {
    const body = await readBody(ex.req);
    const { params, duplicate } = parseParams(body);
    const grantType = params.get('grant_type') ?? undefined;
    const creds = readClientCredentials(profile, ex.req.headers.authorization, params);
    if (ex.entry) {
      if (grantType !== undefined) ex.entry.grantType = grantType;
      const cid = creds.ok ? creds.value.clientId : (params.get('client_id') ?? undefined);
      if (cid !== undefined) ex.entry.clientId = cid;
      const rt = params.get('refresh_token');
      if (grantType === 'refresh_token' && rt !== null) ex.entry.refreshTokenId = refreshTokenId(rt);
    }

    let resetAfter = false;
    const f = faults.take(grantType);
    if (f) {
      if ('delayMs' in f) {
        if (ex.entry) ex.entry.fault = 'delay';
        await sleep(f.delayMs, closing.signal);
        if (closing.signal.aborted || ex.res.destroyed) return;
      } else if ('reset' in f) {
        if (ex.entry) ex.entry.fault = 'reset';
        if (f.afterProcessing !== true) return ex.reset();
        resetAfter = true;
      } else {
        return sendFault(ex, f);
      }
    }
    if (rateLimited(ex)) return;

    const answer = (r: { ok: true; value: TokenResponse } | Failure, extra: Record<string, string> = {}) => {
      if (resetAfter) return ex.reset();
      if (r.ok) return ex.json(200, r.value);
      return ex.oauthError(r, extra);
    };

    if (mediaType(ex.req) !== 'application/x-www-form-urlencoded') {
      return answer(fail('invalid_request', 'the body must be application/x-www-form-urlencoded'));
    }
    if (duplicate !== undefined) return answer(fail('invalid_request', `parameter "${duplicate}" was sent more than once`));
    if (grantType === undefined) return answer(fail('invalid_request', 'missing "grant_type"'));
    if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
      return answer(fail('unsupported_grant_type', `grant_type "${grantType}" is not supported`));
    }
    if (!creds.ok) return answer(creds);
    const auth = authenticateClient(profile, clients, creds.value, grantType);
    if (!auth.ok) {
      const extra: Record<string, string> =
        auth.status === 401 && creds.value.basic ? { 'WWW-Authenticate': 'Basic realm="sandbox"' } : {};
      return answer(auth, extra);
    }
    if (grantType === 'authorization_code') {
      return answer(
        state.exchangeCode(auth.value, {
          code: params.get('code') ?? undefined,
          redirectUri: params.get('redirect_uri') ?? undefined,
          codeVerifier: params.get('code_verifier') ?? undefined,
        }),
      );
    }
    const r = state.refresh(auth.value, {
      refreshToken: params.get('refresh_token') ?? undefined,
      scope: params.get('scope') ?? undefined,
    });
    if (ex.entry) ex.entry.replay = r.replay;
    return answer(r.outcome);
  }

  /** RFC 7009 §2 Token Revocation */
  async function revoke(ex: Exchange): Promise<void> {
    const { params } = parseParams(await readBody(ex.req));
    const creds = readClientCredentials(profile, ex.req.headers.authorization, params);
    if (!creds.ok) return ex.oauthError(creds);
    if (ex.entry && creds.value.clientId !== undefined) ex.entry.clientId = creds.value.clientId;
    const auth = authenticateClient(profile, clients, creds.value, undefined);
    if (!auth.ok) return ex.oauthError(auth);
    const t = params.get('token');
    if (t === null) return ex.oauthError(fail('invalid_request', 'missing "token"'));
    state.revoke(auth.value, t);
    ex.empty(200);
  }

  // ---- protected resource (RFC 6750) ----

  function bearer(ex: Exchange): { clientId: string; scope: string; expiresAt: number; issuedAt: number } | undefined {
    const h = ex.req.headers.authorization ?? '';
    const m = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(h);
    if (!m?.[1]) {
      ex.json(401, { error: 'invalid_request', error_description: 'a Bearer access token is required' }, {
        'WWW-Authenticate': 'Bearer realm="sandbox"',
      });
      return undefined;
    }
    const at = state.authenticateBearer(m[1], true);
    if (!at) {
      ex.json(401, { error: 'invalid_token', error_description: 'the access token is invalid, expired or revoked' }, {
        'WWW-Authenticate': 'Bearer error="invalid_token", error_description="the access token is invalid, expired or revoked"',
      });
      return undefined;
    }
    return at;
  }

  function apiMe(ex: Exchange): void {
    if (rateLimited(ex)) return;
    const at = bearer(ex);
    if (!at) return;
    ex.json(200, { user: { ...SANDBOX_USER }, client_id: at.clientId, scope: at.scope });
  }

  /** Doorkeeper's GET /oauth/token/info */
  function tokenInfo(ex: Exchange): void {
    if (rateLimited(ex)) return;
    const at = bearer(ex);
    if (!at) return;
    ex.json(200, {
      resource_owner_id: SANDBOX_USER.id,
      scope: at.scope === '' ? [] : at.scope.split(' '),
      expires_in: Math.max(0, Math.floor((at.expiresAt - now()) / 1000)),
      application: { uid: at.clientId },
      created_at: Math.floor(at.issuedAt / 1000),
    });
  }

  /** RFC 8414 §2 Authorization Server Metadata */
  function metadata(): Record<string, unknown> {
    const e = endpointsOf(url);
    const m: Record<string, unknown> = {
      issuer: url,
      authorization_endpoint: e.authorization,
      token_endpoint: e.token,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      code_challenge_methods_supported: [...profile.pkce.methods],
      token_endpoint_auth_methods_supported: [...profile.clientAuthMethods],
    };
    if (e.revocation) {
      m.revocation_endpoint = e.revocation;
      m.revocation_endpoint_auth_methods_supported = [...profile.clientAuthMethods];
    }
    if (profile.scopes) m.scopes_supported = [...profile.scopes];
    return m;
  }

  // ---- control API for tests in other processes ----

  async function control(ex: Exchange, path: string): Promise<void> {
    if (!isLoopbackAddress(ex.req.socket.remoteAddress)) {
      return ex.json(403, { error: 'forbidden', error_description: 'the control API answers only on loopback' });
    }
    const method = ex.req.method ?? 'GET';
    const readJson = async (): Promise<unknown> => {
      const text = await readBody(ex.req);
      return text.trim() === '' ? {} : (JSON.parse(text) as unknown);
    };
    const route = `${method} ${path}`;
    switch (route) {
      case 'GET /_sandbox/log':
        return ex.json(200, log);
      case 'POST /_sandbox/reset-log':
        log.length = 0;
        return ex.empty(204);
      case 'GET /_sandbox/info':
        return ex.json(200, { url, profile: profile.id, endpoints: endpointsOf(url), client: publicClient(mainClient) });
      case 'POST /_sandbox/faults': {
        let body: unknown;
        try {
          body = await readJson();
        } catch {
          return ex.json(400, { error: 'invalid_request', error_description: 'body must be JSON' });
        }
        const list =
          Array.isArray(body) ? body
          : typeof body === 'object' && body !== null && Array.isArray((body as { faults?: unknown }).faults) ?
            ((body as { faults: unknown[] }).faults)
          : [body];
        for (const f of list) {
          const problem = faultProblem(f);
          if (problem) return ex.json(400, { error: 'invalid_request', error_description: problem });
        }
        for (const f of list) faults.push(f as Fault);
        return ex.json(200, { queued: faults.size });
      }
      case 'DELETE /_sandbox/faults':
        faults.clear();
        return ex.empty(204);
      case 'POST /_sandbox/grants': {
        let body: unknown;
        try {
          body = await readJson();
        } catch {
          return ex.json(400, { error: 'invalid_request', error_description: 'body must be JSON' });
        }
        const b = (typeof body === 'object' && body !== null ? body : {}) as { clientId?: unknown; scope?: unknown };
        const clientId = typeof b.clientId === 'string' ? b.clientId : mainClient.id;
        const r = state.mintGrant(clientId, typeof b.scope === 'string' ? b.scope : undefined);
        if (!r.ok) return ex.oauthError(r);
        return ex.json(200, { token: r.value, client: publicClient(clients.get(clientId)!) });
      }
      default:
        return ex.json(404, { error: 'not_found', error_description: `no control route ${route}` });
    }
  }

  // ---- routing ----

  async function route(ex: Exchange, u: URL): Promise<void> {
    const method = ex.req.method ?? 'GET';
    const path = u.pathname;
    const only = (m: string) => {
      if (method === m) return true;
      ex.json(405, { error: 'invalid_request', error_description: `use ${m}` }, { Allow: m });
      return false;
    };
    const p = profile.paths;
    if (path === p.authorize) {
      if (method === 'GET') return authorizeGet(ex, u.search.slice(1));
      if (method === 'POST') return authorizePost(ex);
      return void only('GET');
    }
    if (path === p.token) return only('POST') ? token(ex) : undefined;
    if (p.revoke !== undefined && path === p.revoke) return only('POST') ? revoke(ex) : undefined;
    if (p.tokenInfo !== undefined && path === p.tokenInfo) return only('GET') ? tokenInfo(ex) : undefined;
    if (p.native !== undefined && path === p.native) {
      if (!only('GET')) return;
      const code = u.searchParams.get('code');
      if (!code) return refuse(ex, 400, 'invalid_request', 'missing "code"');
      return ex.html(200, nativeCodePage({ profileTitle: profile.title, code }));
    }
    if (profile.metadata && path === METADATA_PATH) return only('GET') ? ex.json(200, metadata()) : undefined;
    if (path === API_PATH) return only('GET') ? apiMe(ex) : undefined;
    if (path === '/' && method === 'GET') {
      const e = endpointsOf(url);
      const entries: [string, string][] = [
        ['profile', profile.id],
        ['authorization endpoint', e.authorization],
        ['token endpoint', e.token],
      ];
      if (e.revocation) entries.push(['revocation endpoint', e.revocation]);
      if (e.issuer) entries.push(['issuer (RFC 8414)', e.issuer]);
      entries.push(['protected resource', e.api], ['client id', mainClient.id]);
      return ex.html(200, indexPage({ profileTitle: profile.title, entries }));
    }
    ex.json(404, { error: 'not_found', error_description: 'no such endpoint' });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const isControl = u.pathname.startsWith(CONTROL_PREFIX);
    const entry: LogEntry | undefined = isControl
      ? undefined
      : { at: new Date(now()).toISOString(), method: req.method ?? 'GET', path: u.pathname, status: 0 };
    const ex = new Exchange(req, res, entry, record);
    try {
      if (isControl) await control(ex, u.pathname);
      else await route(ex, u);
    } catch (e) {
      if (res.headersSent || res.destroyed) return;
      if (e instanceof BodyTooLarge) {
        res.setHeader('Connection', 'close');
        return ex.json(413, { error: 'invalid_request', error_description: 'request body too large' });
      }
      ex.json(500, { error: 'server_error', error_description: 'sandbox internal error' });
    }
  }

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      reject(
        new HandoffError(
          e.code === 'EADDRINUSE' ? `port ${opts.port ?? 0} on 127.0.0.1 is already in use` : 'the sandbox could not listen on 127.0.0.1',
          { code: e.code === 'EADDRINUSE' ? CODES.USAGE : CODES.INTERNAL, cause: e },
        ),
      );
    };
    server.once('error', onError);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', onError);
      resolve();
    });
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const endpoints = endpointsOf(url);
  let closed: Promise<void> | undefined;

  return {
    url,
    profile: profile.id,
    endpoints,
    client: publicClient(mainClient),
    async mintGrant(o = {}) {
      const r = state.mintGrant(o.clientId ?? mainClient.id, o.scope);
      if (!r.ok) {
        throw new HandoffError(`sandbox cannot mint a grant: ${r.error_description}`, {
          code: CODES.USAGE,
          oauth: { status: r.status, error: r.error, error_description: r.error_description },
        });
      }
      return r.value;
    },
    log: () => log.map((e) => ({ ...e })),
    resetLog: () => {
      log.length = 0;
    },
    injectFault(f) {
      const problem = faultProblem(f);
      if (problem) throw usage(`invalid sandbox fault: ${problem}`);
      faults.push(f);
    },
    isAccessTokenValid: (t) => state.authenticateBearer(t, false) !== undefined,
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
