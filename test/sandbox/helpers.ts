/** Shared helpers for the sandbox tests: real HTTP against a real sandbox on 127.0.0.1. */
import { createHash, randomBytes } from 'node:crypto';
import type { ExecutionContext } from 'ava';
import { startSandbox, type Sandbox, type SandboxClient, type SandboxOptions, type TokenResponse } from '../../src/sandbox/index.js';

export async function start(t: ExecutionContext, opts: SandboxOptions = {}): Promise<Sandbox> {
  const s = await startSandbox(opts);
  t.teardown(() => s.close());
  return s;
}

/** A settable clock for `now`. */
export function clock(start = Date.UTC(2030, 0, 1)): { now: () => number; advance: (seconds: number) => void } {
  let t = start;
  return { now: () => t, advance: (s) => void (t += s * 1000) };
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function basic(id: string, secret: string): string {
  const enc = (s: string) => encodeURIComponent(s);
  return 'Basic ' + Buffer.from(`${enc(id)}:${enc(secret)}`).toString('base64');
}

export interface Reply {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

/** A response read whole: its body as JSON when it is JSON. */
export async function replyOf(r: Response): Promise<Reply> {
  const text = await r.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: r.status, headers: r.headers, body, text };
}

export async function postForm(
  url: string,
  params: Record<string, string | undefined>,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) form.set(k, v);
  const r = await fetch(url, { method: 'POST', body: form, headers, redirect: 'manual' });
  return replyOf(r);
}

export interface AuthorizeParams {
  client?: SandboxClient;
  redirectUri: string;
  state?: string;
  scope?: string;
  challenge?: string;
  method?: string;
  responseType?: string;
  /** RFC 8707 resource indicator */
  resource?: string;
}

export function authorizeUrl(s: Sandbox, p: AuthorizeParams): string {
  const q = new URLSearchParams({ client_id: (p.client ?? s.client).id, redirect_uri: p.redirectUri });
  q.set('response_type', p.responseType ?? 'code');
  if (p.state !== undefined) q.set('state', p.state);
  if (p.scope !== undefined) q.set('scope', p.scope);
  if (p.challenge !== undefined) q.set('code_challenge', p.challenge);
  if (p.method !== undefined) q.set('code_challenge_method', p.method);
  if (p.resource !== undefined) q.set('resource', p.resource);
  return `${s.endpoints.authorization}?${q.toString()}`;
}

/** Open the approval page, as a browser would: status, HTML and the transaction id. */
export async function openApprovalPage(s: Sandbox, p: AuthorizeParams): Promise<{ status: number; html: string; location: string | null; tx?: string }> {
  const r = await fetch(authorizeUrl(s, p), { redirect: 'manual' });
  const html = await r.text();
  const tx = /name="transaction_id" value="([^"]+)"/.exec(html)?.[1];
  return tx === undefined
    ? { status: r.status, html, location: r.headers.get('location') }
    : { status: r.status, html, location: r.headers.get('location'), tx };
}

/** Press a button on the approval page: the Location the browser is sent to. */
export async function decide(s: Sandbox, tx: string, decision: 'approve' | 'deny'): Promise<{ status: number; location: string | null }> {
  const r = await postForm(s.endpoints.authorization, { transaction_id: tx, decision });
  return { status: r.status, location: r.headers.get('location') };
}

/** The whole browser step: approve, return the redirect's URL. */
export async function approve(s: Sandbox, p: AuthorizeParams): Promise<URL> {
  const page = await openApprovalPage(s, p);
  if (page.status === 302 && page.location !== null) return new URL(page.location); // autoApprove
  if (page.tx === undefined) throw new Error(`no approval page (status ${page.status}): ${page.location ?? page.html.slice(0, 200)}`);
  const d = await decide(s, page.tx, 'approve');
  if (d.location === null) throw new Error(`approval did not redirect (status ${d.status})`);
  return new URL(d.location);
}

export async function codeFor(s: Sandbox, p: AuthorizeParams): Promise<string> {
  const code = (await approve(s, p)).searchParams.get('code');
  if (code === null) throw new Error('no code in the redirect');
  return code;
}

export function clientBody(c: SandboxClient): Record<string, string | undefined> {
  return { client_id: c.id, client_secret: c.secret };
}

export async function exchange(
  s: Sandbox,
  code: string,
  redirectUri: string,
  extra: Record<string, string | undefined> = {},
  client: SandboxClient = s.client,
): Promise<Reply> {
  return postForm(s.endpoints.token, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri,
    ...clientBody(client),
    ...extra,
  });
}

export async function refresh(s: Sandbox, refreshToken: string, client: SandboxClient = s.client): Promise<Reply> {
  return postForm(s.endpoints.token, { grant_type: 'refresh_token', refresh_token: refreshToken, ...clientBody(client) });
}

/** a successful refresh's token response, or a thrown error naming the failure */
export async function refreshOk(s: Sandbox, refreshToken: string, client: SandboxClient = s.client): Promise<TokenResponse> {
  const r = await refresh(s, refreshToken, client);
  if (r.status !== 200) throw new Error(`refresh failed: ${r.status} ${r.text}`);
  return r.body as TokenResponse;
}

/** GET the protected resource with a Bearer token: the status. */
export async function callApi(s: Sandbox, accessToken: string): Promise<Reply> {
  const r = await fetch(s.endpoints.api, { headers: { Authorization: `Bearer ${accessToken}` } });
  return replyOf(r);
}

/** GET (or POST) a URL with a Bearer token. */
export async function getWithToken(url: string, accessToken: string | undefined, method: 'GET' | 'POST' = 'GET'): Promise<Reply> {
  const headers: Record<string, string> = accessToken === undefined ? {} : { Authorization: `Bearer ${accessToken}` };
  const r = await fetch(url, { method, headers });
  return replyOf(r);
}
