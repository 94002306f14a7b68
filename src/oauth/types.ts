/**
 * The data the OAuth layer passes around. Plain values only: whoever calls the
 * protocol functions holds them and passes them on (no module state). Types only: this module is
 * erased at run time.
 */

/** How the client authenticates to the token endpoint (RFC 6749 §2.3, RFC 8414 §2 names). */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

/** Where the authorization server lives (RFC 6749 §3, RFC 7009 §2, RFC 8628 §3.1). */
export interface Endpoints {
  authorization?: string;
  token: string;
  revocation?: string;
  device_authorization?: string;
  /** the issuer identifier (RFC 8414 §2), when known: checked against `iss` (RFC 9207) */
  issuer?: string;
}

/** The registered client (RFC 6749 §2). */
export interface ClientConfig {
  id: string;
  secret?: string;
  auth_method: ClientAuthMethod;
}

/** A successful token response (RFC 6749 §5.1), validated. */
export interface TokenSet {
  access_token: string;
  /** always "Bearer": the server's value is compared case-insensitively and normalised */
  token_type: string;
  expires_in?: number;
  refresh_token?: string;
  scope?: string;
  /** every field the server sent */
  raw: Record<string, unknown>;
}

/** What was sent, for error messages. Never carries a secret or a token. */
export interface RequestSummary {
  method: 'GET' | 'POST' | 'DELETE';
  /** the URL without its query string */
  url: string;
  /** the form's `grant_type`, when there was one */
  grantType?: string;
}

/** An HTTP response as received; `process…Response` functions turn it into typed data. */
export interface RawResponse {
  status: number;
  /** header names in lower case; repeated headers joined with ", " */
  headers: Record<string, string>;
  /** the parsed JSON value when the body is JSON, otherwise the text */
  body: unknown;
  /** the body as received, decoded as UTF-8 */
  text: string;
  /** when the response arrived, in ms since the epoch (from the client's clock) */
  receivedAt: number;
  request: RequestSummary;
}

export interface HttpClientOptions {
  /** whole-request deadline; default 30 000 ms */
  timeoutMs?: number;
  /** e.g. `oauth-handoff/0.1.0`; default `oauth-handoff` */
  userAgent?: string;
  /** the clock stamped into `RawResponse.receivedAt`; default Date.now */
  now?: () => number;
  /** responses larger than this are refused; default 1 MiB */
  maxResponseBytes?: number;
}

/**
 * The only way the OAuth layer talks to the network. `createHttpClient` gives
 * the axios one; tests and the sandbox may pass their own. Implementations
 * return every HTTP status as a RawResponse and throw a HandoffError
 * (PROVIDER_UNAVAILABLE) only when no response arrived.
 */
export interface HttpClient {
  /**
   * How long one request may take before the client gives up on it (ms);
   * optional for clients made elsewhere. A refresh reserves this much time in
   * a fleet store before it sends.
   */
  readonly timeoutMs?: number;
  post(url: string, form: Record<string, string>, headers?: Record<string, string>): Promise<RawResponse>;
  get(url: string, headers?: Record<string, string>): Promise<RawResponse>;
  /** a JSON body (RFC 7591 §3.1 client registration) */
  postJson(url: string, body: Record<string, unknown>, headers?: Record<string, string>): Promise<RawResponse>;
  /** RFC 7592 §2.3 client delete */
  delete(url: string, headers?: Record<string, string>): Promise<RawResponse>;
  /**
   * A GET that follows no redirect, as a browser without a session would make
   * it first: used to look at the authorization URL before anyone opens it.
   * Optional: clients without it skip that look.
   */
  probe?(url: string, headers?: Record<string, string>): Promise<RawResponse>;
}
