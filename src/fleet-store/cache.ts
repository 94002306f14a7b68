/**
 * This host's copy of each fleet credential it has read, so that `token`
 * keeps working while Redis is unreachable (for as long as the access token
 * is valid). The same sealed settings format (armored), sealed to this
 * machine's key only, in one 0600 JSON file per credential under
 * `<home>/fleet/<store>/` together with the Redis version it copies: one
 * atomic rename replaces both, so the record never describes another copy.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { armor, dearmor, open, seal, x25519Recipient } from '../crypto/index.js';
import type { Identity } from '../crypto/index.js';
import { decodeSettings, encodeSettings, writeFileAtomic } from '../settings-file/index.js';
import type { MachineKey, Settings, StoreLayout } from '../settings-file/index.js';
import type { RedisTarget } from './url.js';

export const FLEET_CACHE_DIR = 'fleet';
export const CACHE_SUFFIX = '.json';
const MAX_CACHE_BYTES = 2 << 20;

/** What the cache knows about the copy (not secret). */
export interface CacheMeta {
  /** the store URL without password */
  store: string;
  prefix: string;
  /** the Redis store's id (changes when Redis lost its data and was written again) */
  store_id: string;
  version: number;
  cached_at: string;
  /**
   * The copy is newer than the store: a change (a refresh) made on top of
   * `version` that could not be written because Redis was unreachable; it is
   * written back on the next read that reaches Redis.
   */
  pending?: boolean;
}

interface CacheFile extends CacheMeta {
  /** the settings, sealed to this machine's key, armored */
  sealed: string;
}

export class FleetCache {
  readonly dir: string;
  private readonly key: MachineKey;
  private readonly identity: Identity;

  constructor(layout: StoreLayout, target: RedisTarget, key: MachineKey, identity: Identity) {
    const id = createHash('sha256').update(`${target.host}:${target.port}/${target.db}\n${target.prefix}`).digest('hex').slice(0, 16);
    this.dir = join(layout.home, FLEET_CACHE_DIR, id);
    this.key = key;
    this.identity = identity;
  }

  private path(name: string): string {
    return join(this.dir, name + CACHE_SUFFIX);
  }

  private file(name: string): CacheFile | undefined {
    try {
      const text = readFileSync(this.path(name), 'utf8');
      if (text.length > MAX_CACHE_BYTES) return undefined;
      const f = JSON.parse(text) as CacheFile;
      return typeof f.version === 'number' && typeof f.store_id === 'string' && typeof f.sealed === 'string' ? f : undefined;
    } catch {
      return undefined;
    }
  }

  /** What the copy is a copy of. Synchronous on purpose: a small file read on the `token` path. */
  meta(name: string): CacheMeta | undefined {
    const f = this.file(name);
    if (f === undefined) return undefined;
    const { sealed: _, ...meta } = f;
    return meta;
  }

  async read(name: string): Promise<{ settings: Settings; meta: CacheMeta } | undefined> {
    const f = this.file(name);
    if (f === undefined) return undefined;
    const { sealed, ...meta } = f;
    const settings = decodeSettings(await open(dearmor(sealed), [this.identity]));
    return settings.name === name ? { settings, meta } : undefined;
  }

  /** Best effort: a cache that cannot be written only matters while Redis is down. */
  async put(name: string, settings: Settings, meta: CacheMeta): Promise<void> {
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      const sealed = armor(await seal(encodeSettings(settings), [x25519Recipient(this.key.publicKey)]));
      const f: CacheFile = { ...meta, sealed };
      await writeFileAtomic(this.path(name), new TextEncoder().encode(JSON.stringify(f) + '\n'), { mode: 0o600 });
    } catch {
      // ignored on purpose
    }
  }

  async drop(name: string): Promise<void> {
    await unlink(this.path(name)).catch(() => undefined);
  }

  list(): string[] {
    try {
      return readdirSync(this.dir)
        .filter((f) => f.endsWith(CACHE_SUFFIX) && !f.startsWith('.'))
        .map((f) => f.slice(0, -CACHE_SUFFIX.length))
        .sort();
    } catch {
      return [];
    }
  }
}
