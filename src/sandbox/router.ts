/**
 * Which module answers which request. The table is built from the profile's
 * paths once; the control API and the error boundary are here too.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authorizeGet, authorizePost, nativeCode } from './authorization-endpoint.js';
import {
  API_PATH,
  CONTROL_PREFIX,
  DEVICE_AUTHORIZATION_PATH,
  DEVICE_VERIFICATION_PATH,
  METADATA_PATH,
  REGISTRATION_PATH,
  resourceMetadataPath,
  type SandboxContext,
} from './context.js';
import { control } from './control-api.js';
import { deviceAuthorization, deviceVerificationGet, deviceVerificationPost } from './device-endpoint.js';
import { Exchange } from './exchange.js';
import { BodyTooLarge } from './http-util.js';
import { home, metadata } from './metadata.js';
import { clientConfiguration, register } from './registration-endpoint.js';
import { apiMe, protectedResource, resourceMetadata, systemApi, tokenInfo } from './resource.js';
import { revoke } from './revocation-endpoint.js';
import { token } from './token-endpoint.js';
import type { LogEntry } from './types.js';

type Handler = (ctx: SandboxContext, ex: Exchange, u: URL) => void | Promise<void>;

interface Route {
  /** method → handler; any other method gets 405 */
  methods: Partial<Record<'GET' | 'POST' | 'DELETE', Handler>>;
  /** the method a 405 names (default: the only one) */
  allow?: string;
}

export interface RouteTable {
  /** exact paths */
  readonly exact: ReadonlyMap<string, Route>;
  /** path prefixes (for /register/{client_id}), tried after the exact paths */
  readonly prefixes: readonly (readonly [string, Route])[];
}

export function routeTable(ctx: SandboxContext): RouteTable {
  const p = ctx.profile.paths;
  const table = new Map<string, Route>();
  table.set(p.authorize, { methods: { GET: authorizeGet, POST: authorizePost }, allow: 'GET' });
  table.set(p.token, { methods: { POST: token } });
  if (p.revoke !== undefined) table.set(p.revoke, { methods: { POST: revoke } });
  if (p.tokenInfo !== undefined) table.set(p.tokenInfo, { methods: { GET: tokenInfo } });
  if (p.native !== undefined) table.set(p.native, { methods: { GET: nativeCode } });
  if (ctx.profile.metadata) table.set(METADATA_PATH, { methods: { GET: metadata } });
  table.set(API_PATH, { methods: { GET: apiMe } });
  for (const r of ctx.profile.api) table.set(r.path, { methods: { GET: systemApi(r) } });
  for (const r of ctx.profile.protectedResources) {
    table.set(resourceMetadataPath(r), { methods: { GET: resourceMetadata(r) } });
    table.set(r.path, { methods: { GET: protectedResource(r), POST: protectedResource(r) }, allow: 'GET, POST' });
  }
  if (ctx.devices) {
    table.set(DEVICE_AUTHORIZATION_PATH, { methods: { POST: deviceAuthorization } });
    table.set(DEVICE_VERIFICATION_PATH, { methods: { GET: deviceVerificationGet, POST: deviceVerificationPost }, allow: 'GET, POST' });
  }
  const prefixes: [string, Route][] = [];
  if (ctx.registrations) {
    table.set(REGISTRATION_PATH, { methods: { POST: register } });
    prefixes.push([`${REGISTRATION_PATH}/`, { methods: { GET: clientConfiguration, DELETE: clientConfiguration }, allow: 'GET, DELETE' }]);
  }
  return { exact: table, prefixes };
}

async function route(ctx: SandboxContext, table: RouteTable, ex: Exchange, u: URL): Promise<void> {
  const method = ex.req.method ?? 'GET';
  const r = table.exact.get(u.pathname) ?? table.prefixes.find(([prefix]) => u.pathname.startsWith(prefix) && u.pathname.length > prefix.length)?.[1];
  if (r) {
    const handler = r.methods[method as keyof Route['methods']];
    if (handler) return handler(ctx, ex, u);
    const allow = r.allow ?? Object.keys(r.methods)[0]!;
    return ex.json(405, { error: 'invalid_request', error_description: `use ${allow}` }, { Allow: allow });
  }
  if (u.pathname === '/' && method === 'GET') return home(ctx, ex);
  ex.json(404, { error: 'not_found', error_description: 'no such endpoint' });
}

/** The request listener of one sandbox. */
export function requestHandler(ctx: SandboxContext): (req: IncomingMessage, res: ServerResponse) => void {
  const table = routeTable(ctx);
  const record = (e: LogEntry) => ctx.log.record(e);
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const isControl = u.pathname.startsWith(CONTROL_PREFIX);
    const entry: LogEntry | undefined = isControl
      ? undefined
      : { at: new Date(ctx.now()).toISOString(), method: req.method ?? 'GET', path: u.pathname, status: 0 };
    const ex = new Exchange(req, res, entry, record);
    try {
      if (isControl) await control(ctx, ex, u.pathname);
      else await route(ctx, table, ex, u);
    } catch (e) {
      if (res.headersSent || res.destroyed) return;
      if (e instanceof BodyTooLarge) {
        res.setHeader('Connection', 'close');
        return ex.json(413, { error: 'invalid_request', error_description: 'request body too large' });
      }
      ex.json(500, { error: 'server_error', error_description: 'sandbox internal error' });
    }
  };
  return (req, res) => void handle(req, res);
}
