/**
 * Public types of the sandbox authorization server. Names follow RFC 6749 where
 * the wire format is meant (snake_case fields of a token response).
 */
import type { ClientAuthMethod } from '../oauth/index.js';

export type SandboxProfileId = 'generic' | 'redmine' | 'backlog' | 'confluence' | 'jira' | 'questetra' | 'oauth21';

export const SANDBOX_PROFILE_IDS: readonly SandboxProfileId[] = [
  'generic',
  'redmine',
  'backlog',
  'confluence',
  'jira',
  'questetra',
  'oauth21',
];

/** A registered OAuth client (RFC 6749 §2). */
export interface SandboxClient {
  id: string;
  /** absent = a public client (only where the profile allows one) */
  secret?: string;
  redirectUris: string[];
  /** the authorization request must carry a PKCE code_challenge (RFC 7636) */
  requirePkce?: boolean;
  /** scopes this client may ask for; default: all the profile knows */
  scopes?: string[];
  /** shown on the approval page; default: the id */
  name?: string;
  /** the only client authentication method accepted (RFC 7591 token_endpoint_auth_method); default: any the profile knows */
  authMethod?: ClientAuthMethod;
  /** epoch milliseconds after which the secret no longer authenticates (RFC 7591 client_secret_expires_at) */
  secretExpiresAt?: number;
}

export interface SandboxOptions {
  profile?: SandboxProfileId;
  /** the only host accepted; anything else is refused */
  host?: '127.0.0.1';
  /** 0 (default) = a random free port */
  port?: number;
  /** seconds; overrides the profile's access-token lifetime */
  accessTokenTtl?: number;
  /** seconds; overrides the profile's refresh-token lifetime (Infinity = never expires) */
  refreshTokenTtl?: number;
  /** seconds; overrides the profile's authorization-code lifetime */
  codeTtl?: number;
  /** skip the approval page: the authorization endpoint redirects back at once */
  autoApprove?: boolean;
  /** generic profile: presenting an already rotated refresh token revokes the whole grant (as oidc-provider does) */
  replayRevokesGrant?: boolean;
  /** clients registered in addition to the default one (same id = replaces it) */
  clients?: SandboxClient[];
  /** requests per minute to the token endpoint and the protected resource; beyond it: 429 with X-RateLimit-* headers */
  rateLimitPerMinute?: number;
  /** the loopback port of the default client's fixed-port redirect URIs (default 8765) */
  redirectPort?: number;
  /** the default client's secret (default: a random one) */
  clientSecret?: string;
  /** serve the device authorization grant (RFC 8628); only profiles of servers that can have it (generic, oauth21) */
  deviceGrant?: boolean;
  /** only confidential clients: `none` is left out of the token endpoint's auth methods, so registration issues secrets (oauth21) */
  confidentialClients?: boolean;
  /** seconds a dynamically registered client's secret lives (RFC 7591 client_secret_expires_at); default: forever */
  registeredSecretTtl?: number;
  /** the clock in epoch milliseconds (default Date.now) */
  now?: () => number;
}

/** RFC 6749 §5.1 Successful Response, as sent on the wire. */
export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token?: string;
  scope?: string;
  /** Redmine (Doorkeeper) only: epoch seconds */
  created_at?: number;
}

/** One request the sandbox answered. Never holds a token, code or secret. */
export interface LogEntry {
  at: string;
  method: string;
  /** path without the query string */
  path: string;
  grantType?: string;
  clientId?: string;
  /** HTTP status sent; 0 when the connection was reset by a fault */
  status: number;
  /** the OAuth `error` code sent, if any */
  error?: string;
  /** short stable id of the refresh token presented (see refreshTokenId) */
  refreshTokenId?: string;
  /** the refresh token presented had already been exchanged before */
  replay?: boolean;
  /** the fault that shaped this answer, if any */
  fault?: 'status' | 'delay' | 'reset' | 'garbage';
  /** RFC 8707: the resource parameter the request carried */
  resource?: string;
}

interface FaultBase {
  /** how many matching requests this fault applies to (default 1) */
  count?: number;
  /** only token requests with this grant_type match (default: any) */
  grantType?: 'authorization_code' | 'refresh_token';
}
/** Answer with an error status instead of processing the request. */
export interface StatusFault extends FaultBase {
  status: 500 | 503 | 429;
  /** seconds, sent as Retry-After */
  retryAfter?: number;
  /** response body: a string as is, anything else as JSON */
  body?: unknown;
}
/** Wait before processing the request normally. */
export interface DelayFault extends FaultBase {
  delayMs: number;
}
/** Destroy the connection without an answer. */
export interface ResetFault extends FaultBase {
  reset: true;
  /** process the request first (e.g. rotate the refresh token), then reset: the response is lost */
  afterProcessing?: boolean;
}
/** Answer 200 with a body that is not JSON. */
export interface GarbageFault extends FaultBase {
  status: 200;
  garbage: true;
  body?: string;
}
export type Fault = StatusFault | DelayFault | ResetFault | GarbageFault;

export interface SandboxEndpoints {
  authorization: string;
  token: string;
  revocation?: string;
  /** set where the profile serves RFC 8414 metadata */
  issuer?: string;
  /** Redmine's /oauth/token/info */
  tokenInfo?: string;
  /** the protected resource: GET with a Bearer token */
  api: string;
  /** RFC 8628 device authorization endpoint, when the device grant is on */
  deviceAuthorization?: string;
  /** where a person enters the user code of the device grant */
  deviceVerification?: string;
  /** RFC 7591 client registration endpoint */
  registration?: string;
  /** the RFC 9728 protected resource (its identifier), on profiles that have one */
  resource?: string;
  /** its RFC 9728 metadata document */
  resourceMetadata?: string;
  /** the API call the docs show for this system (e.g. Redmine's /issues.json) */
  example: string;
}

export interface Sandbox {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly profile: SandboxProfileId;
  readonly endpoints: SandboxEndpoints;
  /** the default registered client: a secret and loopback redirect URIs fitting the profile (plus OOB for redmine) */
  readonly client: SandboxClient;
  /** a grant as if the user had approved and the code been exchanged (no browser) */
  mintGrant(opts?: { clientId?: string; scope?: string; resource?: string }): Promise<TokenResponse>;
  log(): readonly LogEntry[];
  resetLog(): void;
  injectFault(f: Fault): void;
  /** inspects only: does not count as a use of the token */
  isAccessTokenValid(token: string): boolean;
  /** closes the server and all sockets */
  close(): Promise<void>;
}
