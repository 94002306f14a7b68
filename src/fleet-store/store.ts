/**
 * The fleet store: credentials shared by many hosts through one Redis, each
 * sealed (the settings-file format) to every member host's X25519 key, so
 * Redis, its admins and its backups never see a token. Each host opens them
 * with its own machine key (`<home>/key.txt`).
 *
 * Refresh coordination, per credential (docs/fleet.md):
 * - a lease (SET NX PX with a random owner; extended while held; released
 *   and extended only by its owner, atomically) is the write lock;
 * - every write is a compare-and-swap on a version number, so a host whose
 *   lease expired mid-refresh can never overwrite a newer state;
 * - the write that marks a refresh as started checks, in the same script,
 *   that its writer still holds the lease, and makes the lease and an
 *   in-flight mark last until the request and the write of its answer are
 *   over: a holder starved of CPU mid-request is not taken for dead (and its
 *   refresh token replayed by the next host) before that deadline;
 * - readers of a fresh token never touch the lease (one HMGET);
 * - a host waiting for the lease blocks on a wake-up list (BLPOP) that each
 *   release pushes to, bounded by the lease's remaining TTL (a dead holder)
 *   and by the lock timeout; no polling.
 * When Redis is unreachable, reads fall back to this host's cached copy
 * (sealed to this machine only), so a valid token keeps being served.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { fingerprint, open, readHeader, seal, x25519Identity, x25519Recipient } from '../crypto/index.js';
import type { Identity } from '../crypto/index.js';
import { CODES, HandoffError } from '../errors.js';
import { message } from '../i18n/index.js';
import type { Message } from '../i18n/index.js';

/** An error said inside another sentence: its catalog message when it has one (rendered in the user's language), else its English text. */
function said(e: HandoffError): Message | string {
  return e.key === undefined ? e.message : { key: e.key, ...(e.params ? { params: e.params } : {}), text: e.message };
}
import { shortGrantId, stillValid } from '../credential/index.js';
import { assertValidName, decodeSettings, encodeSettings, ensureStoreDirs, loadMachineKey, storeLayout } from '../settings-file/index.js';
import type { CredentialLocation, CredentialStore, HeldLock, LockOptions, MachineKey, Settings, StoreLayout, WriteOptions } from '../settings-file/index.js';
import { FleetCache } from './cache.js';
import type { CacheMeta } from './cache.js';
import { Leases } from './lease.js';
import type { LeaseState } from './lease.js';
import { COMMAND_TIMEOUT_MS, RedisLink, isUnreachable } from './link.js';
import { MemberList } from './members.js';
import type { FleetMember, MemberChange, Members } from './types.js';
import { CAS_GRANT_ELSEWHERE, CAS_GRANT_OLDER, CAS_MEMBERS_CHANGED, CAS_NOT_HOLDER, CAS_OK, REMOVE_CREDENTIAL, WRITE_CREDENTIAL, fleetKeys } from './scripts.js';
import type { FleetKeys } from './scripts.js';
import { parseRedisStoreUrl } from './url.js';
import type { RedisTarget } from './url.js';

/** How many times a write under the lease is re-run after another host changed the credential first. */
const CONFLICT_RETRIES = 3;
/** How often a write of new tokens is tried again while Redis is unreachable (within the lease TTL). */
const PENDING_RETRY_MS = 250;

export interface RedisStoreOptions {
  /** redis://… or rediss://… (see parseRedisStoreUrl) */
  url: string;
  /** the local store: this machine's key and the cached copies */
  home: string;
  /** this machine's key; loaded from `<home>/key.txt` when absent */
  key?: MachineKey;
  env?: NodeJS.ProcessEnv;
  /** how this host is named in the store's metadata (default: the host name) */
  hostLabel?: string;
}

/** What a lease holder knows while it runs: the versions it read, for the compare-and-swap. */
interface LeaseContext extends LeaseState {
  /** Redis was unreachable: reads come from the cache, writes fail */
  offline?: HandoffError;
  /** the version last read or written under this lease (0: did not exist) */
  version?: number;
  prev?: Settings;
  members?: Members;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const str = (b: Buffer | string | null | undefined): string | undefined => (b === null || b === undefined ? undefined : b.toString());

export class RedisStore implements CredentialStore {
  readonly target: RedisTarget;
  /** the local store: this machine's key, the cached copies (and the daemon's files) */
  readonly layout: StoreLayout;
  readonly identity: Identity;
  readonly hostLabel: string;
  private readonly key: MachineKey;
  private readonly fp: string;
  private readonly keys: FleetKeys;
  private readonly link: RedisLink;
  private readonly cache: FleetCache;
  private readonly leases: Leases<LeaseContext>;
  private readonly memberList: MemberList;
  private readonly conflicts = new WeakSet<object>();
  /** set while Redis is found unreachable (for `status`) */
  private unreachable: HandoffError | undefined;

  private constructor(target: RedisTarget, layout: StoreLayout, key: MachineKey, hostLabel: string) {
    this.target = target;
    this.layout = layout;
    this.key = key;
    this.fp = fingerprint(key.publicKey);
    this.identity = key.identity ?? x25519Identity(key.secretKey);
    this.hostLabel = hostLabel;
    this.keys = fleetKeys(target.prefix);
    this.link = new RedisLink(target, { commandTimeoutMs: COMMAND_TIMEOUT_MS });
    this.cache = new FleetCache(layout, target, key, this.identity);
    const noted = <T>(p: Promise<T>): Promise<T> => this.noted(p);
    this.leases = new Leases<LeaseContext>({ target, keys: this.keys, link: this.link, hostLabel, noted });
    this.memberList = new MemberList({ target, keys: this.keys, link: this.link, self: { publicKey: key.publicKey, fp: this.fp, hostLabel }, noted });
  }

  /** Opens the fleet store for this host (no connection yet: that happens on first use). */
  static async open(o: RedisStoreOptions): Promise<RedisStore> {
    const target = parseRedisStoreUrl(o.url, o.env);
    const layout = storeLayout(o.home);
    const key = o.key ?? (await loadMachineKey(layout));
    if (o.key) await ensureStoreDirs(layout);
    return new RedisStore(target, layout, key, o.hostLabel ?? hostname());
  }

  get publicKey(): string {
    return this.key.publicKey;
  }

  get label(): readonly Message[] {
    const label = [message('store.label.fleet', { target: this.target.display, prefix: this.target.prefix, fingerprint: this.fp })];
    if (this.unreachable) label.push(message('store.label.fleet_unreachable', { error: this.unreachable.message }));
    return label;
  }

  get description(): string {
    return this.label.map((m) => m.text).join('; ');
  }

  private credKey(name: string): string {
    return this.keys.cred(name);
  }

  private ctxFor(name: string): LeaseContext | undefined {
    return this.leases.current(name);
  }

  private noted<T>(p: Promise<T>): Promise<T> {
    return p.then(
      (v) => {
        this.unreachable = undefined;
        return v;
      },
      (e: unknown) => {
        if (isUnreachable(e)) this.unreachable = e;
        throw e;
      },
    );
  }

  // ------------------------------------------------------------------ reading

  async list(): Promise<string[]> {
    try {
      return (await this.noted(this.link.run((c) => c.smembers(this.keys.credentials)))).sort();
    } catch (e) {
      if (isUnreachable(e)) return this.cache.list();
      throw e;
    }
  }

  async read(name: string): Promise<Settings> {
    assertValidName(name);
    const ctx = this.ctxFor(name);
    if (ctx?.offline) return this.readCached(name, ctx.offline);
    for (let attempt = 1; ; attempt++) {
      let r: (Buffer | null)[];
      try {
        r = await this.noted(this.link.run((c) => c.hmgetBuffer(this.credKey(name), 'sealed', 'version', 'store_id', 'recipients')));
      } catch (e) {
        if (isUnreachable(e)) return this.readCached(name, e);
        throw e;
      }
      const [sealed, versionBytes, storeIdBytes, recipientsBytes] = r;
      if (!sealed) return this.missing(name, ctx);
      const version = Number(str(versionBytes) ?? 0);
      const storeId = str(storeIdBytes) ?? '';
      const meta = this.cache.meta(name);
      if (meta !== undefined && meta.store_id === storeId && meta.version > version) {
        // another process here may have cached a newer write after our read: look once more
        if (attempt < 2) continue;
        throw new HandoffError(message('fleet.back_in_time', { store: this.target.display, name, version, seen: meta.version, at: meta.cached_at }), {
          code: CODES.INTERNAL,
          credential: name,
        });
      }
      if (meta?.pending && meta.store_id === storeId && meta.version === version) {
        // this host refreshed while Redis was unreachable: its copy is the newest state
        const newer = await this.writeBack(name, ctx);
        if (newer !== undefined) return newer;
        continue;
      }
      const settings = await this.openSealed(name, sealed, (str(recipientsBytes) ?? '').split(','));
      if (ctx) {
        ctx.version = version;
        ctx.prev = settings;
      }
      if (meta === undefined || meta.store_id !== storeId || meta.version !== version || meta.pending) {
        await this.cache.put(name, settings, this.cacheMeta(storeId, version));
      }
      return settings;
    }
  }

  /**
   * Write this host's pending copy back (under the lease), unless the store
   * changed meanwhile. Returns what is stored now, or undefined to read again.
   */
  private async writeBack(name: string, ctx: LeaseContext | undefined): Promise<Settings | undefined> {
    const cached = await this.cache.read(name);
    if (cached === undefined || !cached.meta.pending) return undefined;
    const apply = async (c: LeaseContext): Promise<Settings | undefined> => {
      const v = await this.currentVersion(name);
      if (v !== cached.meta.version) {
        // another host wrote since: its state wins; this host's copy is dropped
        await this.cache.drop(name);
        return undefined;
      }
      c.version = v;
      await this.write(cached.settings);
      return cached.settings;
    };
    if (ctx !== undefined) return ctx.offline ? cached.settings : apply(ctx);
    return this.withWriteLock(name, async () => {
      const c = this.requireLease(name, 'write-back');
      return c.offline ? cached.settings : apply(c);
    });
  }

  private cacheMeta(storeId: string, version: number): CacheMeta {
    return { store: this.target.display, prefix: this.target.prefix, store_id: storeId, version, cached_at: iso(Date.now()) };
  }

  /**
   * Open a sealed value. `recipients` is what the writer recorded beside it
   * (the fingerprints it sealed to): when it names this host but the value
   * does not open (a header that does not parse, a stanza for this key that
   * is gone or does not unwrap, a failed MAC), the value is damaged or was
   * tampered with; when it does not name this host, this host is not a member.
   */
  private async openSealed(name: string, sealed: Uint8Array, recipients: string[]): Promise<Settings> {
    const damaged = (e: unknown): HandoffError =>
      new HandoffError(message('fleet.damaged', { name, store: this.target.display, detail: (e as Error).message, fingerprint: this.fp }), {
        code: CODES.DECRYPT_FAILED,
        cause: e,
        credential: name,
      });
    const meantForMe = recipients.includes(this.fp);
    let sealedTo: string[];
    try {
      sealedTo = readHeader(sealed).recipients.flatMap((r) => (r.type === 'X25519' && 'fingerprint' in r ? [r.fingerprint] : []));
    } catch (e) {
      throw damaged(e);
    }
    if (!sealedTo.includes(this.fp)) {
      if (meantForMe) throw damaged(new Error(`no stanza for this host's key in a value written for it; sealed to ${sealedTo.join(', ') || 'no X25519 key'}`));
      // no longer (or never) a member: the copy here must not outlive that
      await this.cache.drop(name);
      throw new HandoffError(
        sealedTo.length > 0
          ? message('fleet_store.not_member_sealed', { name, store: this.target.display, fingerprint: this.fp, sealed_to: sealedTo.join(', ') })
          : message('fleet_store.not_member_sealed_none', { name, store: this.target.display, fingerprint: this.fp }),
        { code: CODES.DECRYPT_FAILED, credential: name },
      );
    }
    let plaintext: Uint8Array;
    try {
      plaintext = await open(sealed, [this.identity]);
    } catch (e) {
      if (e instanceof HandoffError && (e.code === CODES.DECRYPT_FAILED || e.code === CODES.BAD_FILE)) throw damaged(e);
      throw e;
    }
    const settings = decodeSettings(plaintext);
    if (settings.name !== name) {
      throw new HandoffError(message('store.not_this_one', { where: this.credKey(name), have: settings.name, asked: name }), { code: CODES.BAD_FILE, credential: name });
    }
    return settings;
  }

  /** Redis is unreachable: this host's copy, when it has one. */
  private async readCached(name: string, cause: HandoffError): Promise<Settings> {
    const cached = await this.cache.read(name);
    if (cached === undefined) {
      throw new HandoffError(message('fleet_store.no_cached_copy_after', { cause: said(cause), name }), { code: CODES.STORE_UNAVAILABLE, cause, credential: name });
    }
    return cached.settings;
  }

  /** Not in Redis: removed by another host, or Redis lost its data. Say which. */
  private async missing(name: string, ctx: LeaseContext | undefined): Promise<never> {
    if (ctx) {
      ctx.version = 0;
      ctx.prev = undefined;
    }
    const meta = this.cache.meta(name);
    if (meta !== undefined) {
      const storeId = await this.noted(this.link.run((c) => c.hget(this.keys.store, 'id')));
      if (storeId !== meta.store_id) {
        const lost = storeId === null ? 'fleet.lost_empty' : 'fleet.lost_reset';
        throw new HandoffError(message(lost, { store: this.target.display, name, version: meta.version, at: meta.cached_at }), { code: CODES.NOT_FOUND, credential: name });
      }
      await this.cache.drop(name); // removed on purpose by another host
    }
    throw new HandoffError(message('fleet_store.not_found', { name, store: this.target.display }), { code: CODES.NOT_FOUND, credential: name });
  }

  async version(name: string): Promise<string | undefined> {
    assertValidName(name);
    const ctx = this.ctxFor(name);
    if (!ctx?.offline) {
      try {
        const v = await this.noted(this.link.run((c) => c.hget(this.credKey(name), 'version')));
        if (ctx) ctx.version = v === null ? 0 : Number(v);
        return v ?? undefined;
      } catch (e) {
        if (!isUnreachable(e)) throw e;
      }
    }
    const meta = this.cache.meta(name);
    if (meta !== undefined) return String(meta.version);
    throw this.unreachable ?? new HandoffError(message('fleet_store.unreachable', { store: this.target.display }), { code: CODES.STORE_UNAVAILABLE });
  }

  /** Where one credential lives and which host refreshed it last (`status`). Never secret. */
  async locate(name: string): Promise<CredentialLocation> {
    let f: (string | null)[];
    try {
      f = await this.noted(
        this.link.run((c) =>
          c.hmget(this.credKey(name), 'version', 'recipients', 'written_at', 'written_by', 'written_key', 'refreshed_at', 'refreshed_by', 'refreshed_key'),
        ),
      );
    } catch (e) {
      if (!isUnreachable(e)) throw e;
      const meta = this.cache.meta(name);
      return { stored_in: `fleet store ${this.target.display} (unreachable: this host's cached copy of version ${meta?.version ?? '?'})` };
    }
    const [version, recipients, writtenAt, writtenBy, writtenKey, refreshedAt, refreshedBy, refreshedKey] = f;
    const n = recipients ? recipients.split(',').filter(Boolean).length : 0;
    const loc: CredentialLocation = {
      stored_in: `fleet store ${this.target.display} as ${this.credKey(name)} (version ${version ?? '?'}, sealed to ${n} member key${n === 1 ? '' : 's'})`,
    };
    const who = (by: string | null | undefined, key: string | null | undefined, at: string | null | undefined): string | undefined =>
      by ? `${by}${key ? ` (key ${key}${key === this.fp ? ', this host' : ''})` : ''}${at ? ` at ${iso(Number(at))}` : ''}` : undefined;
    const refreshed = who(refreshedBy, refreshedKey, refreshedAt);
    if (refreshed) loc.last_refreshed_by = refreshed;
    const written = who(writtenBy, writtenKey, writtenAt);
    if (written) loc.last_written_by = written;
    return loc;
  }

  // ------------------------------------------------------------------ writing

  async write(settings: Settings, o: WriteOptions = {}): Promise<void> {
    const name = assertValidName(settings.name);
    const ctx = this.requireLease(name, 'write');
    if (ctx.offline) throw this.offlineError(settings, ctx.offline);
    const plaintext = encodeSettings(settings); // validates
    const expected = ctx.version ?? (await this.currentVersion(name));
    const refreshed = settings.health.last_refresh_at !== undefined && settings.health.last_refresh_at !== ctx.prev?.health.last_refresh_at;
    // seal to the current member list and compare-and-swap; seal again when the list changed meanwhile
    const grant = settings.grant;
    // a refresh about to be sent: the lease and the in-flight mark cover its request and the write of its answer
    const flyingMs = o.refreshStarts ? Math.ceil(o.refreshStarts.requestMs) + this.target.leaseMs : 0;
    const grantArgs = [grant?.id ?? '', String(grant?.generation ?? 0), o.allowOlder ? '1' : '0', o.allowDuplicate ? '1' : '0', this.keys.prefix];
    const leaseArgs = [ctx.owner, String(flyingMs), String(this.target.leaseMs)];
    const send = async (): Promise<[number, number, (string | number)?]> => {
      for (let attempt = 0; attempt < 5; attempt++) {
        const members = ctx.members ?? (await this.memberList.read());
        if (members.keys.size === 0) {
          // the first write to an empty fleet store makes this host its first member
          await this.memberList.add(this.key.publicKey, { label: this.hostLabel });
          ctx.members = undefined;
          continue;
        }
        ctx.members = members;
        const keys = [...members.keys.keys()];
        const sealed = await seal(plaintext, keys.map((k) => x25519Recipient(k)));
        const recipients = keys.map((k) => members.keys.get(k)?.fingerprint ?? fingerprint(k)).join(',');
        const args = [String(expected), String(members.version), Buffer.from(sealed), String(Date.now()), this.hostLabel, this.fp, refreshed ? '1' : '0', recipients, name];
        const r = (await this.link.run((c) =>
          c.eval(
            WRITE_CREDENTIAL,
            7,
            this.credKey(name),
            this.keys.store,
            this.keys.credentials,
            this.keys.grants,
            this.keys.lease(name),
            this.keys.inflight(name),
            this.keys.wake(name),
            ...args,
            randomBytes(8).toString('hex'),
            ...grantArgs,
            ...leaseArgs,
          ),
        )) as [number, number, (string | number)?];
        if (r[0] !== CAS_MEMBERS_CHANGED) return r;
        ctx.members = undefined;
      }
      throw new HandoffError(message('fleet_store.members_changing', { store: this.target.display, name }), { code: CODES.STORE_CONFLICT, credential: name });
    };
    const r = await this.pendingOnFailure(name, settings, expected, send, ctx);
    if (r[0] === CAS_GRANT_OLDER && grant !== undefined) {
      // nothing was written: a newer copy of this grant is stored (its refresh token has replaced this one's)
      const params = { name, grant: shortGrantId(grant.id), stored: Number(r[2]), incoming: grant.generation };
      throw new HandoffError(message('grant.older', params), { code: CODES.EXISTS, credential: name });
    }
    if (r[0] === CAS_GRANT_ELSEWHERE && grant !== undefined) {
      throw new HandoffError(message('grant.elsewhere', { grant: shortGrantId(grant.id), other: String(r[2]) }), { code: CODES.EXISTS, credential: name });
    }
    if (r[0] === CAS_NOT_HOLDER) {
      // nothing written: this host's lease ran out (it stalled) or another host's refresh is in flight; run again on a new lease
      const e = new HandoffError(message('fleet_store.not_holder', { name, store: this.target.display }), { code: CODES.STORE_CONFLICT, credential: name });
      this.conflicts.add(e);
      throw e;
    }
    if (r[0] !== CAS_OK) throw this.conflict(name, expected, r[1]);
    ctx.version = r[1];
    ctx.prev = settings;
    await this.cache.put(name, settings, this.cacheMeta(String(r[2] ?? ''), r[1]));
  }

  /**
   * A write that cannot reach Redis. When it carries new tokens (a refresh
   * the server has answered, possibly rotating the refresh token), they must
   * be neither lost nor used twice: this host keeps them as a pending copy
   * and tries again for as long as its lease would last (a Redis restart or
   * failover is over by then); failing that, its next read that reaches
   * Redis writes them back.
   */
  private async pendingOnFailure<T>(name: string, settings: Settings, expected: number, attempt: () => Promise<T>, ctx: LeaseContext): Promise<T> {
    try {
      return await this.noted(attempt());
    } catch (e) {
      if (!isUnreachable(e)) throw e;
      const prev = ctx.prev;
      if (prev === undefined || settings.token.access_token === prev.token.access_token) throw e;
      const storeId = this.cache.meta(name)?.store_id ?? '';
      await this.cache.put(name, settings, { ...this.cacheMeta(storeId, expected), pending: true });
      const until = Date.now() + this.target.leaseMs;
      while (Date.now() < until) {
        await new Promise((r) => setTimeout(r, PENDING_RETRY_MS));
        try {
          return await this.noted(attempt());
        } catch (again) {
          if (!isUnreachable(again)) throw again;
        }
      }
      throw new HandoffError(
        message('fleet_store.kept_here', { cause: said(e), name }),
        { code: CODES.STORE_UNAVAILABLE, cause: e, credential: name },
      );
    }
  }

  async remove(name: string): Promise<boolean> {
    assertValidName(name);
    const ctx = this.requireLease(name, 'remove');
    if (ctx.offline) throw new HandoffError(message('fleet_store.cannot_remove_now', { cause: said(ctx.offline), name }), { code: CODES.STORE_UNAVAILABLE, cause: ctx.offline, credential: name });
    const expected = ctx.version ?? (await this.currentVersion(name));
    const r = (await this.noted(
      this.link.run((c) => c.eval(REMOVE_CREDENTIAL, 4, this.credKey(name), this.keys.store, this.keys.credentials, this.keys.grants, String(expected), name)),
    )) as [number, number];
    if (r[0] !== CAS_OK) throw this.conflict(name, expected, r[1]);
    ctx.version = 0;
    ctx.prev = undefined;
    await this.cache.drop(name);
    return r[1] > 0;
  }

  private requireLease(name: string, what: string): LeaseContext {
    const ctx = this.ctxFor(name);
    if (ctx === undefined) {
      throw new HandoffError(`${what} of "${name}" in the fleet store outside withWriteLock("${name}")`, { code: CODES.INTERNAL, credential: name });
    }
    return ctx;
  }

  private async currentVersion(name: string): Promise<number> {
    const v = await this.noted(this.link.run((c) => c.hget(this.credKey(name), 'version')));
    return v === null ? 0 : Number(v);
  }

  private conflict(name: string, expected: number, found: number): HandoffError {
    const e = new HandoffError(
      message('fleet_store.conflict', { name, store: this.target.display, expected, found }),
      { code: CODES.STORE_CONFLICT, credential: name },
    );
    this.conflicts.add(e);
    return e;
  }

  private offlineError(s: Settings, cause: HandoffError): HandoffError {
    // whether the copy is still usable is the credential rules' call (src/credential), not the store's
    const p = { cause: said(cause), name: s.name };
    const text =
      s.token.expires_at === undefined
        ? message('fleet_store.offline.no_expiry', p)
        : stillValid(s, Date.now())
          ? message('fleet_store.offline.valid_until', { ...p, expires_at: s.token.expires_at })
          : message('fleet_store.offline.expired', { ...p, expires_at: s.token.expires_at });
    return new HandoffError(text, { code: CODES.STORE_UNAVAILABLE, cause, credential: s.name });
  }

  // ------------------------------------------------------------------ the lease

  withWriteLock<T>(name: string, fn: (lock: HeldLock) => Promise<T>, opts: LockOptions = {}): Promise<T> {
    assertValidName(name);
    return this.leases.run(name, (_ctx, lock) => fn(lock), {
      ...opts,
      context: (state) => state,
      // Redis is down: let the caller look at the cached copy; any write fails with a clear message
      offline: (e) => (isUnreachable(e) && this.cache.meta(name) !== undefined ? { name, owner: '', held: false, offline: e } : undefined),
      // someone else changed it first: run again on what is there now
      retry: (e, attempt) => e instanceof Error && this.conflicts.has(e) && attempt < CONFLICT_RETRIES,
    });
  }

  // ------------------------------------------------------------------ members

  /** The hosts the credentials are sealed to. */
  members(): Promise<FleetMember[]> {
    return this.memberList.list();
  }

  /** Add a host's public key and seal every credential to it as well (each under its lease). */
  async addMember(publicKey: string, o: { label?: string; lockTimeoutMs?: number } = {}): Promise<MemberChange> {
    const key = publicKey.trim();
    const changed = await this.memberList.add(key, o);
    return { fingerprint: fingerprint(key), changed, ...(await this.resealAll(o.lockTimeoutMs)) };
  }

  /**
   * Remove a host (by public key or fingerprint) and seal every credential
   * again without it: from then on it cannot open them. The last member
   * cannot be removed.
   */
  async removeMember(keyOrFingerprint: string, o: { lockTimeoutMs?: number } = {}): Promise<MemberChange> {
    const removed = await this.memberList.remove(keyOrFingerprint);
    return { ...removed, ...(await this.resealAll(o.lockTimeoutMs)) };
  }

  /** Seal every credential again to the current member list. */
  async resealAll(lockTimeoutMs?: number): Promise<Pick<MemberChange, 'resealed' | 'failed'>> {
    const resealed: string[] = [];
    const failed: MemberChange['failed'] = [];
    for (const name of await this.list()) {
      try {
        await this.withWriteLock(
          name,
          async () => {
            const s = await this.read(name);
            await this.write(s);
          },
          lockTimeoutMs === undefined ? {} : { timeoutMs: lockTimeoutMs },
        );
        resealed.push(name);
      } catch (e) {
        if (e instanceof HandoffError && e.code === CODES.NOT_FOUND) continue; // removed meanwhile
        failed.push({ name, message: (e as Error).message });
      }
    }
    return { resealed, failed };
  }

  /**
   * Write this host's cached copy back to Redis: after Redis lost its data,
   * or went back to an older snapshot. Refuses when Redis holds the same or
   * a newer version, unless `force`.
   */
  async restore(name: string, o: { force?: boolean; lockTimeoutMs?: number } = {}): Promise<{ restored: boolean; version: number; reason?: string }> {
    assertValidName(name);
    const cached = await this.cache.read(name);
    if (cached === undefined) {
      throw new HandoffError(message('fleet_store.no_cache', { name, store: this.target.display }), { code: CODES.NOT_FOUND, credential: name });
    }
    return this.withWriteLock(
      name,
      async () => {
        const ctx = this.requireLease(name, 'restore');
        if (ctx.offline) throw ctx.offline;
        const [v, storeId] = await this.noted(this.link.run((c) => Promise.all([c.hget(this.credKey(name), 'version'), c.hget(this.keys.store, 'id')])));
        const current = v === null ? 0 : Number(v);
        ctx.version = current;
        if (current !== 0 && !o.force) {
          if (storeId === cached.meta.store_id && current >= cached.meta.version) {
            return { restored: false, version: current, reason: `the store holds version ${current}, this host's copy is version ${cached.meta.version}` };
          }
          if (storeId !== cached.meta.store_id) {
            return { restored: false, version: current, reason: `the store holds a copy written since it was reset (version ${current})` };
          }
        }
        try {
          // --force may put back an older copy of the grant, or one another name holds now; otherwise the write refuses
          await this.write(cached.settings, o.force ? { allowOlder: true, allowDuplicate: true } : {});
        } catch (e) {
          if (e instanceof HandoffError && (e.key === 'grant.older' || e.key === 'grant.elsewhere')) return { restored: false, version: current, reason: e.message };
          throw e;
        }
        return { restored: true, version: ctx.version ?? 0 };
      },
      o.lockTimeoutMs === undefined ? {} : { timeoutMs: o.lockTimeoutMs },
    );
  }

  /** Close the connections (long-running library users; a CLI process needs nothing). */
  async close(): Promise<void> {
    await Promise.all([this.link.close(), this.leases.close()]);
  }
}
