/**
 * The fleet store's write lock: a lease per credential in Redis (a second
 * lock beside the file store's, with the same contract, `withWriteLock`).
 *
 * - taken with SET NX PX and a random owner, kept at least one TTL ahead
 *   every third of its TTL while held, released and extended only by its
 *   owner (Lua, atomically);
 * - not taken while another owner's refresh request is in flight (the
 *   in-flight mark its first write left, see store.ts): a holder starved of
 *   CPU mid-request is not taken for dead before the deadline it reserved;
 * - a host that finds it taken blocks on the credential's wake-up list
 *   (BLPOP), which every release pushes to, bounded by the remaining TTL of
 *   the lease or of the in-flight mark (a holder that died) and by the lock
 *   timeout: no polling;
 * - re-entrant within one async context (AsyncLocalStorage): a write under
 *   the lease that reads and writes again does not wait for itself.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { CODES, HandoffError } from '../errors.js';
import { message } from '../i18n/index.js';
import { DEFAULT_LOCK_TIMEOUT_MS } from '../settings-file/index.js';
import type { HeldLock, LockOptions } from '../settings-file/index.js';
import { RedisLink } from './link.js';
import { ACQUIRE_LEASE, EXTEND_LEASE, RELEASE_LEASE } from './scripts.js';
import type { FleetKeys } from './scripts.js';
import type { RedisTarget } from './url.js';

/** One holding of a lease. `held` turns false when the lease was lost (it ran out, or another host took it). */
export interface LeaseState {
  readonly name: string;
  /** the random value in the lease key ('' when Redis was unreachable and nothing is held) */
  readonly owner: string;
  held: boolean;
}

/** What the holder sees: `held` read at the moment it is asked, never a snapshot. */
export function heldLock(state: LeaseState): HeldLock {
  return {
    get held() {
      return state.held;
    },
    expires: true,
  };
}

export interface LeaseRunOptions<C extends LeaseState> extends LockOptions {
  /** the holder's context for a lease just taken */
  context(state: LeaseState): C;
  /** Redis unreachable while taking the lease: a context to run in anyway (nothing held), or undefined to fail */
  offline(e: HandoffError): C | undefined;
  /** run `fn` again on a new lease after this failure (another host changed the credential first) */
  retry(e: unknown, attempt: number): boolean;
}

export class Leases<C extends LeaseState> {
  private readonly target: RedisTarget;
  private readonly keys: FleetKeys;
  private readonly link: RedisLink;
  private readonly hostLabel: string;
  /** notes whether Redis answered (for `status`) */
  private readonly noted: <T>(p: Promise<T>) => Promise<T>;
  /** connections for blocking waits, one per credential (a blocked connection serves nothing else) */
  private readonly waitLinks = new Map<string, RedisLink>();
  private readonly held = new AsyncLocalStorage<C>();

  constructor(o: { target: RedisTarget; keys: FleetKeys; link: RedisLink; hostLabel: string; noted: <T>(p: Promise<T>) => Promise<T> }) {
    this.target = o.target;
    this.keys = o.keys;
    this.link = o.link;
    this.hostLabel = o.hostLabel;
    this.noted = o.noted;
  }

  /** The context of the lease on `name` this async context holds, if any. */
  current(name: string): C | undefined {
    const c = this.held.getStore();
    return c !== undefined && c.name === name ? c : undefined;
  }

  /** Run `fn` holding the lease on `name` (re-entrant). LOCK_TIMEOUT when it stays taken past the timeout. */
  async run<T>(name: string, fn: (ctx: C, lock: HeldLock) => Promise<T>, o: LeaseRunOptions<C>): Promise<T> {
    const inside = this.current(name);
    if (inside) return fn(inside, heldLock(inside)); // already holding it
    const deadline = Date.now() + (o.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS);
    for (let attempt = 1; ; attempt++) {
      let state: LeaseState;
      try {
        state = await this.acquire(name, deadline, attempt === 1 ? o.onWait : undefined);
      } catch (e) {
        const offline = e instanceof HandoffError ? o.offline(e) : undefined;
        if (offline === undefined) throw e;
        return this.held.run(offline, () => fn(offline, heldLock(offline)));
      }
      const ctx = o.context(state);
      const stop = this.heartbeat(ctx);
      try {
        return await this.held.run(ctx, () => fn(ctx, heldLock(ctx)));
      } catch (e) {
        if (!o.retry(e, attempt)) throw e;
        // run again on a new lease
      } finally {
        stop();
        await this.release(ctx);
      }
    }
  }

  private async acquire(name: string, deadline: number, onWait: (() => void) | undefined): Promise<LeaseState> {
    const owner = `${this.hostLabel}/${process.pid}/${randomBytes(6).toString('hex')}`;
    const leaseKey = this.keys.lease(name);
    const ms = this.target.leaseMs;
    for (;;) {
      const [pttl, holder] = (await this.noted(this.link.run((c) => c.eval(ACQUIRE_LEASE, 2, leaseKey, this.keys.inflight(name), owner, String(ms))))) as [number, string];
      if (pttl === -1) return { name, owner, held: true };
      onWait?.();
      onWait = undefined;
      const left = deadline - Date.now();
      if (left <= 0) {
        const [host, pid] = holder ? holder.split('/') : [];
        const store = this.target.display;
        const text =
          host !== undefined && pid !== undefined
            ? message('fleet_store.lease_timeout_held', { name, store, host, pid })
            : message('fleet_store.lease_timeout', { name, store });
        throw new HandoffError(text, {
          code: CODES.LOCK_TIMEOUT,
          credential: name,
        });
      }
      // woken by the holder's release, or when its lease runs out (a dead holder), or at the deadline
      const waitMs = Math.max(10, Math.min(left, (pttl > 0 ? pttl : ms) + 20));
      let waitLink = this.waitLinks.get(name);
      if (waitLink === undefined) this.waitLinks.set(name, (waitLink = new RedisLink(this.target)));
      await waitLink.run((c) => c.blpop(this.keys.wake(name), waitMs / 1000));
    }
  }

  private heartbeat(state: LeaseState): () => void {
    const ms = this.target.leaseMs;
    const leaseKey = this.keys.lease(state.name);
    let lastOk = Date.now();
    const timer = setInterval(
      () => {
        if (!state.held) return;
        this.link.run((c) => c.eval(EXTEND_LEASE, 1, leaseKey, state.owner, String(ms))).then(
          (r) => {
            if (r === 1) lastOk = Date.now();
            else state.held = false;
          },
          () => {
            if (Date.now() - lastOk >= ms) state.held = false;
          },
        );
      },
      Math.max(100, Math.floor(ms / 3)),
    );
    timer.unref();
    return () => clearInterval(timer);
  }

  private async release(state: LeaseState): Promise<void> {
    try {
      await this.link.run((c) => c.eval(RELEASE_LEASE, 3, this.keys.lease(state.name), this.keys.wake(state.name), this.keys.inflight(state.name), state.owner, String(this.target.leaseMs)));
    } catch {
      // it expires by itself within the lease TTL
    }
    state.held = false;
  }

  /** Close the connections used for waiting. */
  async close(): Promise<void> {
    const links = [...this.waitLinks.values()];
    this.waitLinks.clear();
    await Promise.all(links.map((l) => l.close()));
  }
}
