/**
 * What every route of one sandbox works on, passed explicitly: the profile (what
 * the imitated system does), the state (clients, codes, grants, tokens), the
 * device grants and registrations, the fault queue, the request log, the rate
 * limit and the clock.
 */
import type { DeviceGrants } from './device-grant.js';
import type { FaultQueue } from './faults.js';
import type { ProtectedResourceSpec, SandboxProfile } from './profiles.js';
import type { RateLimit } from './rate-limit.js';
import type { Registrations } from './registration.js';
import type { RequestLog } from './request-log.js';
import type { SandboxState } from './state.js';
import type { SandboxClient, SandboxEndpoints } from './types.js';

/** The protected resource (RFC 6750). */
export const API_PATH = '/api/me';
/** RFC 8414 §3: where Authorization Server Metadata is served. */
export const METADATA_PATH = '/.well-known/oauth-authorization-server';
/** RFC 9728 §3: the well-known prefix of protected resource metadata (the resource's path follows). */
export const RESOURCE_METADATA_PREFIX = '/.well-known/oauth-protected-resource';
/** RFC 8628 §3.1 device authorization endpoint. */
export const DEVICE_AUTHORIZATION_PATH = '/device_authorization';
/** RFC 8628 §3.3 verification URI: where a person enters the user code. */
export const DEVICE_VERIFICATION_PATH = '/device';
/** RFC 7591 §3 client registration endpoint; RFC 7592 client configuration endpoints below it. */
export const REGISTRATION_PATH = '/register';
/** The control API for tests in other processes lives under this prefix (never logged). */
export const CONTROL_PREFIX = '/_sandbox/';

export interface SandboxContext {
  readonly profile: SandboxProfile;
  readonly state: SandboxState;
  /** every registered client, by id (the same map the state reads; registration adds to it) */
  readonly clients: Map<string, SandboxClient>;
  /** the default client */
  readonly mainClient: SandboxClient;
  /** RFC 8628, when switched on */
  readonly devices: DeviceGrants | undefined;
  /** RFC 7591 / 7592, on profiles that have it */
  readonly registrations: Registrations | undefined;
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

/** RFC 9728 §3.1: the metadata URL of a resource inserts the well-known prefix before its path. */
export function resourceMetadataPath(spec: ProtectedResourceSpec): string {
  return RESOURCE_METADATA_PREFIX + spec.path;
}

/** The protected resource an RFC 8707 `resource` value names on this sandbox, if any. */
export function resourceNamed(ctx: Pick<SandboxContext, 'profile' | 'url'>, resource: string): ProtectedResourceSpec | undefined {
  return ctx.profile.protectedResources.find((r) => ctx.url + r.path === resource);
}

export function endpointsOf(ctx: Pick<SandboxContext, 'profile' | 'devices' | 'registrations'>, base: string): SandboxEndpoints {
  const { profile } = ctx;
  const e: SandboxEndpoints = {
    authorization: base + profile.paths.authorize,
    token: base + profile.paths.token,
    api: base + API_PATH,
    example: base + (profile.examplePath ?? API_PATH),
  };
  if (profile.paths.revoke) e.revocation = base + profile.paths.revoke;
  if (profile.metadata) e.issuer = base;
  if (profile.paths.tokenInfo) e.tokenInfo = base + profile.paths.tokenInfo;
  if (ctx.devices) {
    e.deviceAuthorization = base + DEVICE_AUTHORIZATION_PATH;
    e.deviceVerification = base + DEVICE_VERIFICATION_PATH;
  }
  if (ctx.registrations) e.registration = base + REGISTRATION_PATH;
  const main = profile.protectedResources[0];
  if (main) {
    e.resource = base + main.path;
    e.resourceMetadata = base + resourceMetadataPath(main);
  }
  return e;
}

/** A deep copy of a client, safe to hand out. */
export function publicClient(c: SandboxClient): SandboxClient {
  return JSON.parse(JSON.stringify(c)) as SandboxClient;
}
