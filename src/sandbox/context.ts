/**
 * What every route of one sandbox works on, passed explicitly: the profile (what
 * the imitated system does), the state (clients, codes, grants, tokens), the
 * fault queue, the request log, the rate limit and the clock.
 */
import type { FaultQueue } from './faults.js';
import type { SandboxProfile } from './profiles.js';
import type { RateLimit } from './rate-limit.js';
import type { RequestLog } from './request-log.js';
import type { SandboxState } from './state.js';
import type { SandboxClient, SandboxEndpoints } from './types.js';

/** The protected resource (RFC 6750). */
export const API_PATH = '/api/me';
/** RFC 8414 §3: where Authorization Server Metadata is served. */
export const METADATA_PATH = '/.well-known/oauth-authorization-server';
/** The control API for tests in other processes lives under this prefix (never logged). */
export const CONTROL_PREFIX = '/_sandbox/';

export interface SandboxContext {
  readonly profile: SandboxProfile;
  readonly state: SandboxState;
  /** every registered client, by id (the same map the state reads) */
  readonly clients: ReadonlyMap<string, SandboxClient>;
  /** the default client */
  readonly mainClient: SandboxClient;
  readonly faults: FaultQueue;
  readonly log: RequestLog;
  readonly rateLimit: RateLimit;
  /** skip the approval page */
  readonly autoApprove: boolean;
  readonly now: () => number;
  /** aborted when the sandbox closes (ends injected delays) */
  readonly closing: AbortSignal;
  /** http://127.0.0.1:PORT: set once, when the server listens */
  url: string;
}

export function endpointsOf(profile: SandboxProfile, base: string): SandboxEndpoints {
  const e: SandboxEndpoints = {
    authorization: base + profile.paths.authorize,
    token: base + profile.paths.token,
    api: base + API_PATH,
  };
  if (profile.paths.revoke) e.revocation = base + profile.paths.revoke;
  if (profile.metadata) e.issuer = base;
  if (profile.paths.tokenInfo) e.tokenInfo = base + profile.paths.tokenInfo;
  return e;
}

/** A deep copy of a client, safe to hand out. */
export function publicClient(c: SandboxClient): SandboxClient {
  return JSON.parse(JSON.stringify(c)) as SandboxClient;
}
