/**
 * One connection to the fleet store's Redis, made on first use and again
 * after a failure (never in the background). ioredis is loaded only here, on
 * first use: a `token` call on a file store never loads it.
 *
 * The socket keeps the process alive only while a command is in flight, so a
 * CLI process exits as soon as its work is done without closing anything,
 * and a connection that breaks leaves no reconnect timer behind.
 */
import { isIP } from 'node:net';
import type { Redis, RedisOptions } from 'ioredis';
import { CODES, HandoffError } from '../errors.js';
import { message } from '../i18n/index.js';
import type { RedisTarget } from './url.js';

/** Give up connecting after this long (then the local cache serves, where it can). */
export const CONNECT_TIMEOUT_MS = 2000;
/** Give up on one (non-blocking) command after this long. */
export const COMMAND_TIMEOUT_MS = 5000;
/** After connecting failed, fail at once for this long instead of trying again. */
export const DOWN_PAUSE_MS = 1000;

/** Redis answers that mean "not now" rather than "no". */
const TRANSIENT_REPLY = /^(LOADING|BUSY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|READONLY)\b/;

export interface RedisLinkOptions {
  /** undefined: no command timeout (for blocking commands, which carry their own) */
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
  now?: () => number;
}

export class RedisLink {
  readonly target: RedisTarget;
  private readonly o: RedisLinkOptions;
  private client: Redis | undefined;
  private connecting: Promise<Redis> | undefined;
  private inflight = 0;
  private lastError: Error | undefined;
  private downUntil = 0;
  private downCause: HandoffError | undefined;
  /** how many connections this link has made (1 = the first) */
  connections = 0;

  constructor(target: RedisTarget, o: RedisLinkOptions = {}) {
    this.target = target;
    this.o = o;
  }

  private now(): number {
    return (this.o.now ?? Date.now)();
  }

  /** Run commands on the connection (connecting first when needed); Redis failures become HandoffErrors. */
  async run<T>(fn: (c: Redis) => Promise<T>): Promise<T> {
    if (this.downCause !== undefined && this.now() < this.downUntil) throw this.downCause;
    this.inflight++;
    let c: Redis | undefined;
    try {
      c = await this.connected();
      c.stream?.ref();
      return await fn(c);
    } catch (e) {
      const err = this.explain(e);
      if (err.code === CODES.STORE_UNAVAILABLE) {
        if (c === undefined) {
          // could not even connect: do not try again at once
          this.downCause = err;
          this.downUntil = this.now() + DOWN_PAUSE_MS;
        }
        this.drop();
      }
      throw err;
    } finally {
      this.inflight--;
      if (this.inflight === 0) this.client?.stream?.unref();
    }
  }

  private async connected(): Promise<Redis> {
    if (this.client !== undefined && this.client.status === 'ready') return this.client;
    if (this.client !== undefined && this.client.status !== 'ready' && this.connecting === undefined) this.drop();
    this.connecting ??= this.connect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async connect(): Promise<Redis> {
    const { Redis } = await loadIoredis(this.target);
    const t = this.target;
    const options: RedisOptions = {
      host: t.host,
      port: t.port,
      db: t.db,
      lazyConnect: true,
      // one round trip less per process: no INFO ready check, no CLIENT SETINFO, RESP2 (no HELLO)
      enableReadyCheck: false,
      disableClientInfo: true,
      protocol: 2,
      // reconnecting is this class's job, on the next use: no timers left behind
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      autoResubscribe: false,
      autoResendUnfulfilledCommands: false,
      connectTimeout: this.o.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
      // how long disconnect() waits for a socket that is still open (a timer that keeps a process alive)
      disconnectTimeout: 250,
    };
    if (this.o.commandTimeoutMs !== undefined) options.commandTimeout = this.o.commandTimeoutMs;
    if (t.username !== undefined) options.username = t.username;
    if (t.password !== undefined) options.password = t.password;
    if (t.tls) options.tls = isIP(t.host) ? {} : { servername: t.host };
    const c = new Redis(options);
    c.on('error', (e: Error) => {
      this.lastError = e;
    });
    this.lastError = undefined;
    try {
      await c.connect();
    } catch (e) {
      quietly(c);
      throw this.lastError ?? e;
    }
    this.client = c;
    this.connections++;
    this.downCause = undefined;
    return c;
  }

  /** Forget a broken connection; the next use makes a new one. */
  private drop(): void {
    const c = this.client;
    this.client = undefined;
    if (c !== undefined) quietly(c);
  }

  /** Map a Redis or socket failure to the toolkit's error (never with the password). */
  explain(e: unknown): HandoffError {
    if (e instanceof HandoffError) return e;
    const store = this.target.display;
    const err = e as Error & { code?: string; name?: string };
    const text = String(err?.message ?? e);
    if (err?.name === 'ReplyError') {
      const reply = text.split('\n')[0] as string;
      if (TRANSIENT_REPLY.test(text)) return new HandoffError(message('fleet.link.not_available', { store, reply }), { code: CODES.STORE_UNAVAILABLE, cause: e });
      if (/^NOPERM\b/.test(text)) return new HandoffError(message('fleet.link.noperm', { store, reply }), { code: CODES.INTERNAL, cause: e });
      if (/^(WRONGPASS|NOAUTH)\b/.test(text)) return new HandoffError(message('fleet.link.login_refused', { store, reply }), { code: CODES.INTERNAL, cause: e });
      return new HandoffError(message('fleet.link.error_reply', { store, reply: text }), { code: CODES.INTERNAL, cause: e });
    }
    const why = this.lastError && /closed|writeable|timed out|Reached the max retries/i.test(text) ? this.lastError.message : text;
    return new HandoffError(message('fleet.link.unreachable', { store, why }), { code: CODES.STORE_UNAVAILABLE, cause: e });
  }

  /** Close the connection (the library's close(); the CLI needs nothing). */
  async close(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    if (c === undefined) return;
    try {
      await c.quit();
    } catch {
      quietly(c);
    }
  }
}

/**
 * ioredis, an optional peer dependency: only fleet stores need it, so an
 * install without it works for everything else, and a fleet store says how
 * to add it.
 */
async function loadIoredis(target: RedisTarget): Promise<{ Redis: typeof import('ioredis').Redis }> {
  try {
    // In the `token` bundle (CommonJS) require() skips starting the ESM loader; the ESM build has no require.
    return typeof require === 'function' ? (require('ioredis') as typeof import('ioredis')) : await import('ioredis');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const missing = (err?.code === 'MODULE_NOT_FOUND' || err?.code === 'ERR_MODULE_NOT_FOUND') && /['"]ioredis['"]/.test(String(err.message));
    if (!missing) throw e;
    throw new HandoffError(message('fleet.ioredis_missing', { store: target.display }), { code: CODES.INTERNAL, cause: e });
  }
}

/**
 * Close a client without waiting and without leaving a timer behind: ioredis'
 * disconnect() on a socket that is already closed would keep a process alive
 * for its disconnect timeout.
 */
function quietly(c: Redis): void {
  c.removeAllListeners('error');
  c.on('error', () => undefined);
  if (c.status !== 'end') c.disconnect();
}

/** The store could not be reached (as opposed to answering "no"). */
export function isUnreachable(e: unknown): e is HandoffError {
  return e instanceof HandoffError && e.code === CODES.STORE_UNAVAILABLE;
}
