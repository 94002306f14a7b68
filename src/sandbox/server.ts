/**
 * The sandbox authorization server over node:http, bound to 127.0.0.1 only.
 * This file checks the options, builds the context every route works on, and
 * listens; router.ts says which module answers what; the rules live in
 * state.ts, client-auth.ts and pkce.ts.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CODES, HandoffError } from '../errors.js';
import { endpointsOf, publicClient, type SandboxContext } from './context.js';
import { DeviceGrants } from './device-grant.js';
import { FaultQueue, faultProblem } from './faults.js';
import { SANDBOX_PROFILES, withRedirectPort, type SandboxProfile } from './profiles.js';
import { RateLimit } from './rate-limit.js';
import { Registrations } from './registration.js';
import { RequestLog } from './request-log.js';
import { requestHandler } from './router.js';
import { SandboxState, randomToken, type Lifetimes } from './state.js';
import { SANDBOX_PROFILE_IDS, type Sandbox, type SandboxClient, type SandboxOptions } from './types.js';

export { API_PATH } from './context.js';
export { MAX_LOG_ENTRIES } from './request-log.js';

/** The id of the default client of every sandbox. */
export const DEFAULT_CLIENT_ID = 'sandbox-client';

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
  if (opts.deviceGrant === true && !SANDBOX_PROFILES[profile].deviceGrant) {
    const can = SANDBOX_PROFILE_IDS.filter((id) => SANDBOX_PROFILES[id].deviceGrant).join(', ');
    throw usage(`the ${profile} profile imitates a system without the device grant (RFC 8628); it can be switched on in: ${can}`);
  }
  if (opts.clientSecret !== undefined && (typeof opts.clientSecret !== 'string' || !/^[\x21-\x7e]{1,256}$/.test(opts.clientSecret))) {
    throw usage('the sandbox client secret must be 1 to 256 printable ASCII characters without spaces');
  }
  const rp = opts.redirectPort;
  if (rp !== undefined && !(Number.isInteger(rp) && rp >= 1 && rp <= 65535)) throw usage('the sandbox redirect port must be an integer from 1 to 65535');
  const st = opts.registeredSecretTtl;
  if (st !== undefined && !(Number.isFinite(st) && st > 0)) throw usage('sandbox registeredSecretTtl must be a positive number of seconds');
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
    secret: opts.clientSecret ?? randomToken(),
    redirectUris: profile.defaultRedirectUris.map((u) => withRedirectPort(u, opts.redirectPort)),
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

function contextOf(opts: SandboxOptions, closing: AbortSignal): SandboxContext {
  const base = SANDBOX_PROFILES[opts.profile ?? 'generic'];
  // the profile as this server runs it: options only take away
  const profile: SandboxProfile =
    opts.confidentialClients === true ? { ...base, clientAuthMethods: base.clientAuthMethods.filter((m) => m !== 'none') } : base;
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
  return {
    profile,
    state,
    clients,
    mainClient,
    devices: opts.deviceGrant === true ? new DeviceGrants(state, now) : undefined,
    registrations: profile.registration
      ? new Registrations(profile, clients, { now, deviceGrant: opts.deviceGrant === true, secretTtl: opts.registeredSecretTtl })
      : undefined,
    faults: new FaultQueue(),
    log: new RequestLog(),
    rateLimit: new RateLimit(opts.rateLimitPerMinute, now),
    autoApprove: opts.autoApprove === true,
    now,
    closing,
    url: '',
  };
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  checkOptions(opts);
  const closing = new AbortController();
  const ctx = contextOf(opts, closing.signal);
  const server = createServer(requestHandler(ctx));
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
  ctx.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let closed: Promise<void> | undefined;

  return {
    url: ctx.url,
    profile: ctx.profile.id,
    endpoints: endpointsOf(ctx, ctx.url),
    client: publicClient(ctx.mainClient),
    async mintGrant(o = {}) {
      const r = ctx.state.mintGrant(o.clientId ?? ctx.mainClient.id, o.scope, o.resource);
      if (!r.ok) {
        throw new HandoffError(`sandbox cannot mint a grant: ${r.error_description}`, {
          code: CODES.USAGE,
          oauth: { status: r.status, error: r.error, error_description: r.error_description },
        });
      }
      return r.value;
    },
    log: () => ctx.log.list(),
    resetLog: () => ctx.log.reset(),
    injectFault(f) {
      const problem = faultProblem(f);
      if (problem) throw usage(`invalid sandbox fault: ${problem}`);
      ctx.faults.push(f);
    },
    isAccessTokenValid: (t) => ctx.state.authenticateBearer(t, false) !== undefined,
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
