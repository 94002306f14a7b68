/**
 * The authorization server's memory: clients, pending approvals, codes, grants and
 * tokens of one sandbox instance, and the rules that turn one into the other. No
 * HTTP here: the server parses requests, calls these methods, and sends what they return.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { PkceMethod, SandboxProfile } from './profiles.js';
import { verifyPkce } from './pkce.js';
import type { SandboxClient, TokenResponse } from './types.js';

/** An OAuth error answer (RFC 6749 §5.2 / §4.1.2.1). */
export interface Failure {
  ok: false;
  status: number;
  error: string;
  error_description: string;
}
export type Outcome<T> = { ok: true; value: T } | Failure;

export function fail(error: string, error_description: string, status = 400): Failure {
  return { ok: false, status, error, error_description };
}

/** A short stable id of a refresh token for logs: never the token, not reversible. */
export function refreshTokenId(token: string): string {
  return 'rt_' + createHash('sha256').update(token).digest('base64url').slice(0, 12);
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function secretsEqual(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

/** The one resource owner of every sandbox. */
export const SANDBOX_USER = { id: 1, login: 'alice', name: 'Alice Example' } as const;

export interface Lifetimes {
  /** seconds */
  accessToken: number;
  /** seconds; Infinity = never expires */
  refreshToken: number;
  /** seconds */
  code: number;
}

interface Grant {
  id: string;
  clientId: string;
  userId: number;
  scope: string;
  /** RFC 8707: the resource the grant's tokens are for */
  resource?: string;
  revoked: boolean;
}

interface AccessRecord {
  grantId: string;
  clientId: string;
  scope: string;
  /** RFC 8707: the audience; a protected resource accepts only its own tokens */
  resource?: string;
  issuedAt: number;
  expiresAt: number;
  revoked: boolean;
  used: boolean;
  /** rotate-on-first-use: the refresh token whose pair dies when this token is first used */
  previousRefreshToken?: string;
}

type RefreshState = 'active' | 'rotated' | 'revoked';

interface RefreshRecord {
  id: string;
  grantId: string;
  clientId: string;
  userId: number;
  scope: string;
  seq: number;
  expiresAt: number;
  state: RefreshState;
  /** how many refreshes succeeded with this token */
  exchanged: number;
  /** access tokens issued together with (or, for `reuse`, through) this refresh token */
  accessTokens: string[];
}

interface CodeRecord {
  clientId: string;
  redirectUri: string;
  redirectUriSent: boolean;
  scope: string;
  challenge?: string;
  method?: PkceMethod;
  resource?: string;
  expiresAt: number;
  used: boolean;
  grantId?: string;
}

/** What the user is asked to approve (kept between the approval page and its form POST). */
export interface PendingAuthorization {
  clientId: string;
  redirectUri: string;
  /** the authorization request named redirect_uri (then the token request must repeat it, RFC 6749 §4.1.3) */
  redirectUriSent: boolean;
  scope: string;
  state?: string;
  challenge?: string;
  method?: PkceMethod;
  /** RFC 8707 resource indicator */
  resource?: string;
  expiresAt: number;
}

/** An approval page is good for this long. */
const TRANSACTION_TTL_MS = 10 * 60_000;

/** What the protected resource learns from a valid access token. */
export interface BearerGrant {
  clientId: string;
  scope: string;
  /** RFC 8707: the resource the token is for */
  resource?: string;
  /** epoch milliseconds */
  expiresAt: number;
  /** epoch milliseconds */
  issuedAt: number;
}

export interface RefreshResult {
  outcome: Outcome<TokenResponse>;
  /** the token presented had been exchanged before */
  replay: boolean;
}

export class SandboxState {
  private readonly grants = new Map<string, Grant>();
  private readonly codes = new Map<string, CodeRecord>();
  private readonly accessTokens = new Map<string, AccessRecord>();
  private readonly refreshTokens = new Map<string, RefreshRecord>();
  private readonly transactions = new Map<string, PendingAuthorization>();
  private seq = 0;

  constructor(
    private readonly profile: SandboxProfile,
    private readonly lifetimes: Lifetimes,
    readonly clients: Map<string, SandboxClient>,
    private readonly options: { replayRevokesGrant: boolean; now: () => number },
  ) {}

  private now(): number {
    return this.options.now();
  }

  /** RFC 6749 §3.3: the requested scope, checked against what the client may ask for. */
  resolveScope(client: SandboxClient, requested: string | undefined): Outcome<string> {
    const known = this.profile.scopes;
    if (known === undefined) return { ok: true, value: '' };
    const allowed = client.scopes ?? known;
    const parts = (requested ?? '').split(' ').filter((s) => s !== '');
    if (parts.length === 0) return { ok: true, value: this.profile.defaultScope ?? '' };
    for (const s of parts) {
      if (!allowed.includes(s)) return fail('invalid_scope', `scope "${s}" is not allowed for this client`);
    }
    return { ok: true, value: [...new Set(parts)].join(' ') };
  }

  beginTransaction(p: Omit<PendingAuthorization, 'expiresAt'>): string {
    this.sweep();
    const id = randomToken(18);
    this.transactions.set(id, { ...p, expiresAt: this.now() + TRANSACTION_TTL_MS });
    return id;
  }

  /** single use: the approval page's form can be submitted once */
  takeTransaction(id: string): PendingAuthorization | undefined {
    const t = this.transactions.get(id);
    this.transactions.delete(id);
    if (!t || t.expiresAt <= this.now()) return undefined;
    return t;
  }

  /** RFC 6749 §4.1.2: a code bound to client, redirect_uri, scope and PKCE challenge. */
  issueCode(p: Omit<PendingAuthorization, 'expiresAt' | 'state'>): string {
    this.sweep();
    const code = randomToken();
    const rec: CodeRecord = {
      clientId: p.clientId,
      redirectUri: p.redirectUri,
      redirectUriSent: p.redirectUriSent,
      scope: p.scope,
      expiresAt: this.now() + this.lifetimes.code * 1000,
      used: false,
    };
    if (p.challenge !== undefined && p.method !== undefined) {
      rec.challenge = p.challenge;
      rec.method = p.method;
    }
    if (p.resource !== undefined) rec.resource = p.resource;
    this.codes.set(code, rec);
    return code;
  }

  /** RFC 6749 §4.1.3 Access Token Request (client already authenticated). */
  exchangeCode(
    client: SandboxClient,
    p: { code?: string; redirectUri?: string; codeVerifier?: string; resource?: string },
  ): Outcome<TokenResponse> {
    if (!p.code) return fail('invalid_request', 'missing "code"');
    const rec = this.codes.get(p.code);
    if (!rec) return fail('invalid_grant', 'authorization code is unknown');
    if (rec.used) {
      if (this.profile.codeReplayRevokesGrant && rec.grantId) this.revokeGrant(rec.grantId);
      return fail('invalid_grant', 'authorization code was already used');
    }
    if (rec.clientId !== client.id) return fail('invalid_grant', 'authorization code was issued to another client');
    if (rec.expiresAt <= this.now()) return fail('invalid_grant', 'authorization code expired');
    if (rec.redirectUriSent ? p.redirectUri !== rec.redirectUri : p.redirectUri !== undefined && p.redirectUri !== rec.redirectUri) {
      return fail('invalid_grant', 'redirect_uri does not match the authorization request');
    }
    if (rec.challenge !== undefined && rec.method !== undefined) {
      if (p.codeVerifier === undefined) return fail('invalid_grant', 'code_verifier is required');
      if (!verifyPkce(rec.challenge, rec.method, p.codeVerifier)) {
        return fail('invalid_grant', 'code_verifier does not match the code_challenge');
      }
    } else if (p.codeVerifier !== undefined) {
      return fail('invalid_grant', 'code_verifier sent but the authorization request had no code_challenge');
    }
    if (p.resource !== undefined && p.resource !== rec.resource) {
      return fail('invalid_target', 'the resource was not named in the authorization request (RFC 8707 §2.2)');
    }
    rec.used = true;
    const grant = this.newGrant(client, rec.scope, rec.resource);
    rec.grantId = grant.id;
    return { ok: true, value: this.issuePair(grant, grant.scope) };
  }

  /** A grant without a browser: as if the user approved and the code was exchanged. */
  mintGrant(clientId: string, scope: string | undefined, resource?: string): Outcome<TokenResponse> {
    const client = this.clients.get(clientId);
    if (!client) return fail('invalid_client', 'unknown client_id', this.profile.invalidClientStatus);
    const s = this.resolveScope(client, scope);
    if (!s.ok) return s;
    const grant = this.newGrant(client, s.value, resource);
    return { ok: true, value: this.issuePair(grant, grant.scope) };
  }

  /** RFC 6749 §6 Refreshing an Access Token (client already authenticated). */
  refresh(client: SandboxClient, p: { refreshToken?: string; scope?: string; resource?: string }): RefreshResult {
    if (!p.refreshToken) return { outcome: fail('invalid_request', 'missing "refresh_token"'), replay: false };
    const rt = this.refreshTokens.get(p.refreshToken);
    if (!rt) return { outcome: fail('invalid_grant', 'refresh token is unknown'), replay: false };
    const replay = this.profile.rotation !== 'reuse' && rt.exchanged > 0;
    const grant = this.grants.get(rt.grantId);
    if (rt.clientId !== client.id) {
      return { outcome: fail('invalid_grant', 'refresh token was issued to another client'), replay };
    }
    if (!grant || grant.revoked || rt.state === 'revoked') {
      return { outcome: fail('invalid_grant', 'refresh token was revoked'), replay };
    }
    if (rt.state === 'rotated') {
      if (this.options.replayRevokesGrant) this.revokeGrant(grant.id);
      return { outcome: fail('invalid_grant', 'refresh token was already used'), replay };
    }
    if (rt.expiresAt <= this.now()) return { outcome: fail('invalid_grant', 'refresh token expired'), replay };
    if (p.resource !== undefined && p.resource !== grant.resource) {
      return { outcome: fail('invalid_target', 'the resource is not one this grant is for (RFC 8707 §2.2)'), replay };
    }
    let scope = rt.scope;
    if (p.scope !== undefined && this.profile.scopes !== undefined) {
      const asked = p.scope.split(' ').filter((s) => s !== '');
      const held = rt.scope.split(' ');
      const extra = asked.find((s) => !held.includes(s));
      if (extra !== undefined) {
        return { outcome: fail('invalid_scope', `scope "${extra}" exceeds the grant`), replay };
      }
      if (asked.length > 0) scope = [...new Set(asked)].join(' ');
    }
    rt.exchanged += 1;
    let value: TokenResponse;
    switch (this.profile.rotation) {
      case 'rotate':
        rt.state = 'rotated';
        value = this.issuePair(grant, scope);
        break;
      case 'rotate-on-first-use':
        value = this.issuePair(grant, scope, { previousRefreshToken: p.refreshToken });
        break;
      case 'rotate-delete-pair':
        rt.state = 'rotated';
        this.revokeAccessTokens(rt);
        value = this.issuePair(grant, scope);
        break;
      case 'reuse':
        this.revokeAccessTokens(rt);
        value = this.issuePair(grant, scope, { reuse: { token: p.refreshToken, record: rt } });
        break;
    }
    return { outcome: { ok: true, value }, replay };
  }

  /**
   * The protected resource's check (RFC 6750 §2.1). `use` = a real API call: with
   * rotate-on-first-use this is when the previous refresh token and its access token die.
   */
  authenticateBearer(token: string, use: boolean): BearerGrant | undefined {
    const at = this.accessTokens.get(token);
    if (!at || at.revoked || at.expiresAt <= this.now()) return undefined;
    const grant = this.grants.get(at.grantId);
    if (!grant || grant.revoked) return undefined;
    if (use && !at.used) {
      at.used = true;
      if (at.previousRefreshToken !== undefined) {
        const prev = this.refreshTokens.get(at.previousRefreshToken);
        if (prev && prev.state === 'active') {
          prev.state = 'rotated';
          this.revokeAccessTokens(prev);
        }
        delete at.previousRefreshToken;
      }
    }
    const g: BearerGrant = { clientId: at.clientId, scope: at.scope, expiresAt: at.expiresAt, issuedAt: at.issuedAt };
    if (at.resource !== undefined) g.resource = at.resource;
    return g;
  }

  /** RFC 7592 §2.3: a deleted client's grants and tokens stop working at once. */
  forgetClient(clientId: string): void {
    this.clients.delete(clientId);
    for (const g of this.grants.values()) if (g.clientId === clientId) g.revoked = true;
  }

  /** RFC 7009 §2.1: revoke a token of this client; unknown tokens are not an error. */
  revoke(client: SandboxClient, token: string): void {
    const rt = this.refreshTokens.get(token);
    if (rt && rt.clientId === client.id) {
      this.revokeGrant(rt.grantId);
      return;
    }
    const at = this.accessTokens.get(token);
    if (at && at.clientId === client.id) at.revoked = true;
  }

  private newGrant(client: SandboxClient, scope: string, resource?: string): Grant {
    const cap = this.profile.refreshTokensPerUserPerClient;
    if (cap !== undefined) {
      const now = this.now();
      const live = [...this.refreshTokens.values()]
        .filter(
          (r) =>
            r.clientId === client.id &&
            r.userId === SANDBOX_USER.id &&
            r.state === 'active' &&
            r.expiresAt > now &&
            this.grants.get(r.grantId)?.revoked === false,
        )
        .sort((a, b) => a.seq - b.seq);
      // the new grant's token makes one more: silently discard the oldest beyond the cap
      for (let i = 0; i <= live.length - cap; i++) {
        const oldest = live[i];
        if (oldest) oldest.state = 'revoked';
      }
    }
    const grant: Grant = { id: randomToken(9), clientId: client.id, userId: SANDBOX_USER.id, scope, revoked: false };
    if (resource !== undefined) grant.resource = resource;
    this.grants.set(grant.id, grant);
    return grant;
  }

  private issuePair(
    grant: Grant,
    scope: string,
    how: { previousRefreshToken?: string; reuse?: { token: string; record: RefreshRecord } } = {},
  ): TokenResponse {
    const now = this.now();
    const access = randomToken();
    const at: AccessRecord = {
      grantId: grant.id,
      clientId: grant.clientId,
      scope,
      issuedAt: now,
      expiresAt: now + this.lifetimes.accessToken * 1000,
      revoked: false,
      used: false,
    };
    if (how.previousRefreshToken !== undefined) at.previousRefreshToken = how.previousRefreshToken;
    if (grant.resource !== undefined) at.resource = grant.resource;
    this.accessTokens.set(access, at);

    let refresh: string;
    let rt: RefreshRecord;
    if (how.reuse) {
      refresh = how.reuse.token;
      rt = how.reuse.record;
    } else {
      refresh = randomToken();
      rt = {
        id: refreshTokenId(refresh),
        grantId: grant.id,
        clientId: grant.clientId,
        userId: grant.userId,
        scope,
        seq: ++this.seq,
        expiresAt: now + this.lifetimes.refreshToken * 1000,
        state: 'active',
        exchanged: 0,
        accessTokens: [],
      };
      this.refreshTokens.set(refresh, rt);
    }
    rt.accessTokens.push(access);

    const body: TokenResponse = {
      access_token: access,
      token_type: this.profile.tokenType,
      expires_in: this.lifetimes.accessToken,
      refresh_token: refresh,
    };
    if (this.profile.scopes !== undefined) body.scope = scope;
    if (this.profile.createdAt) body.created_at = Math.floor(now / 1000);
    return body;
  }

  private revokeAccessTokens(rt: RefreshRecord): void {
    for (const a of rt.accessTokens) {
      const rec = this.accessTokens.get(a);
      if (rec) rec.revoked = true;
    }
  }

  private revokeGrant(grantId: string): void {
    const g = this.grants.get(grantId);
    if (g) g.revoked = true;
  }

  /** drop expired codes and approval transactions so memory stays bounded */
  private sweep(): void {
    const now = this.now();
    for (const [k, v] of this.codes) if (v.expiresAt <= now && !v.used) this.codes.delete(k);
    for (const [k, v] of this.transactions) if (v.expiresAt <= now) this.transactions.delete(k);
  }
}
