/**
 * The fleet store's address: `redis://[user[:password]@]host[:port][/db][?prefix=…&lease=…]`
 * (`rediss://` for TLS). Parsing only: nothing here loads a Redis client.
 */
import { CODES, HandoffError } from '../errors.js';

/** The default key prefix: every key the fleet store uses starts with it. */
export const DEFAULT_REDIS_PREFIX = 'oauth-handoff:';
/** How long a refresh lease lives unless extended (it is extended while held). */
export const DEFAULT_LEASE_MS = 5000;
/** The shortest lease allowed (`?lease=` in seconds). */
export const MIN_LEASE_MS = 500;
/** The Redis password, when it is not in the URL (keeps it out of argv and ps). */
export const REDIS_PASSWORD_ENV = 'OAUTH_HANDOFF_REDIS_PASSWORD';
export const DEFAULT_REDIS_PORT = 6379;

export interface RedisTarget {
  /** the URL with the password replaced by `***`, for messages */
  display: string;
  tls: boolean;
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  /** key prefix */
  prefix: string;
  leaseMs: number;
}

const SCHEMES = new Set(['redis:', 'rediss:']);

export function isRedisStoreUrl(s: string | undefined): boolean {
  return s !== undefined && /^rediss?:\/\//i.test(s);
}

function usage(message: string): HandoffError {
  return new HandoffError(message, { code: CODES.USAGE });
}

/** A store URL without its password, fit for messages and logs. */
export function redactStoreUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}

/** Parse and check a `redis://` / `rediss://` store URL. USAGE when it is malformed. */
export function parseRedisStoreUrl(url: string, env: NodeJS.ProcessEnv = process.env): RedisTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw usage(`"${redactStoreUrl(url)}" is not a valid store URL (expected redis://[user:password@]host:port/db)`);
  }
  const scheme = u.protocol.toLowerCase();
  if (!SCHEMES.has(scheme)) throw usage(`unsupported store URL scheme ${u.protocol}// (redis:// and rediss:// are supported)`);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) throw usage(`the store URL ${redactStoreUrl(url)} names no host`);
  const port = u.port === '' ? DEFAULT_REDIS_PORT : Number(u.port);
  const path = u.pathname.replace(/^\//, '');
  if (path !== '' && !/^\d{1,5}$/.test(path)) throw usage(`the store URL path must be a database number (/0 … /15), not "/${path}"`);
  const db = path === '' ? 0 : Number(path);
  const prefix = u.searchParams.get('prefix') ?? DEFAULT_REDIS_PREFIX;
  if (prefix === '' || /[\s*?[\]]/.test(prefix)) throw usage(`the key prefix "${prefix}" must be non-empty, without spaces or glob characters`);
  let leaseMs = DEFAULT_LEASE_MS;
  const lease = u.searchParams.get('lease');
  if (lease !== null) {
    const seconds = Number(lease);
    if (!Number.isFinite(seconds) || seconds * 1000 < MIN_LEASE_MS || seconds > 600) throw usage(`lease=${lease} in the store URL must be between ${MIN_LEASE_MS / 1000} and 600 seconds`);
    leaseMs = Math.round(seconds * 1000);
  }
  for (const k of u.searchParams.keys()) {
    if (k !== 'prefix' && k !== 'lease') throw usage(`unknown store URL parameter "${k}" (known: prefix, lease)`);
  }
  const target: RedisTarget = { display: redactStoreUrl(url), tls: scheme === 'rediss:', host, port, db, prefix, leaseMs };
  if (u.username) target.username = decodeURIComponent(u.username);
  const password = u.password ? decodeURIComponent(u.password) : env[REDIS_PASSWORD_ENV];
  if (password) target.password = password;
  return target;
}

/** The same URL with `?prefix=` set (the CLI's --redis-prefix). */
export function withRedisPrefix(url: string, prefix: string): string {
  const u = new URL(url);
  u.searchParams.set('prefix', prefix);
  return u.toString();
}
