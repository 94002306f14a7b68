import type { Message } from '../i18n/index.js';
import type { HeldLock, LockOptions } from './lock.js';
import type { Settings } from './schema.js';

/**
 * Where credentials live. One interface, several backends: the file store
 * (one sealed file per credential on this machine), the env store (CI: one
 * credential from environment variables), the single-file store (one sealed
 * file anywhere, the library's `{ file }`) and the fleet store (Redis, src/fleet-store).
 *
 * Reads never lock. Every write must happen inside `withWriteLock` for the
 * same name, after re-reading (the double-checked refresh rule).
 */
export interface CredentialStore {
  /** for `status`: where credentials live and how they are protected */
  readonly description: string;
  /** the same, as catalog messages (one clause each) for people: the CLI says it in their language */
  readonly label: readonly Message[];
  list(): Promise<string[]>;
  /** decrypts and validates; NOT_FOUND when there is no such credential */
  read(name: string): Promise<Settings>;
  /**
   * seals and replaces atomically; call inside withWriteLock(settings.name).
   * A store that can tell (the fleet store) refuses a copy of the stored grant
   * with a lower generation, and a grant stored under another name already,
   * unless `o` allows it.
   */
  write(settings: Settings, o?: WriteOptions): Promise<void>;
  /** true when something was removed; call inside withWriteLock(name) */
  remove(name: string): Promise<boolean>;
  withWriteLock<T>(name: string, fn: (lock: HeldLock) => Promise<T>, opts?: LockOptions): Promise<T>;
  /**
   * A cheap token that changes whenever the credential is rewritten (for
   * in-memory caches); undefined when it does not exist.
   */
  version(name: string): Promise<string | undefined>;
  /**
   * Optional: the same value as `version`, synchronously, for the library's
   * hot path (a synchronous stat costs ~3 µs, one through the thread pool ~50 µs).
   */
  versionSync?(name: string): string | undefined;
  /**
   * Optional, for `status` (shared stores): where one credential lives and
   * which host refreshed it last. Never secret.
   */
  locate?(name: string): Promise<CredentialLocation>;
  /** Release what the store holds open (a fleet store's connections); nothing to do for files. */
  close(): Promise<void>;
  /**
   * Optional, for the daemon: a directory whose entries change when a
   * credential is added, rewritten or removed, and how to tell a credential's
   * name from an entry's file name. Stores without one are polled.
   */
  watchTarget?(): WatchTarget | undefined;
}

/** What to watch for changes to a store's credentials (see `CredentialStore.watchTarget`). */
export interface WatchTarget {
  directory: string;
  /** the credential a changed file belongs to; undefined for anything else (temp files, locks) */
  nameOf(fileName: string): string | undefined;
}

/** What a write may do that a store refuses otherwise (`import --allow-older`, `--allow-duplicate`). */
export interface WriteOptions {
  /** replace a newer copy of the same grant with this older one */
  allowOlder?: boolean;
  /** store the grant under this name although another name holds it too */
  allowDuplicate?: boolean;
  /**
   * This write marks a refresh as started: its request is sent right after it
   * and is given up on after `requestMs`. A store whose lock can be taken from
   * a holder that looks dead (the fleet store's lease) makes sure, atomically
   * with the write, that this process still holds the lock and that no other
   * process starts a refresh of this credential before the request and the
   * write of its answer are over (`requestMs` and a margin of the store's), or
   * refuses with STORE_CONFLICT: nothing written, and the request must not be
   * sent. A store whose lock is never taken from a live holder ignores it.
   */
  refreshStarts?: { requestMs: number };
}

/** Where one credential lives in a shared store, and who last changed it. */
export interface CredentialLocation {
  stored_in: string;
  /** host (and key fingerprint) that stored the last refresh, and when */
  last_refreshed_by?: string;
  /** host that last wrote it (a refresh, an import, a re-seal) */
  last_written_by?: string;
}
