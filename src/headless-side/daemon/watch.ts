/**
 * Watching the store for credentials that are imported, refreshed by another
 * process, replaced or removed. The store says what to watch
 * (`CredentialStore.watchTarget`); a store without a watch target, or a
 * watcher that fails (no inotify watches left, no directory yet), leaves the
 * daemon to its periodic scan, which catches everything a little later.
 */
import { watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import type { CredentialStore } from '../../settings-file/index.js';

const DEBOUNCE_MS = 100;

export class StoreWatcher {
  private readonly store: CredentialStore;
  private readonly onChange: (names: string[]) => void;
  private readonly dirty = new Set<string>();
  private watcher?: FSWatcher;
  private timer?: NodeJS.Timeout;
  private closed = false;

  /** `onChange` gets the names of changed credentials, a few at a time (debounced). */
  constructor(store: CredentialStore, onChange: (names: string[]) => void) {
    this.store = store;
    this.onChange = onChange;
  }

  /** true while a watcher runs; false when only scanning finds changes */
  get active(): boolean {
    return this.watcher !== undefined;
  }

  /** Start (or restart after an error) when the store can be watched. */
  start(): void {
    if (this.closed || this.watcher) return;
    const target = this.store.watchTarget?.();
    if (!target) return;
    try {
      this.watcher = watch(target.directory, { persistent: false }, (_event, filename) => {
        if (typeof filename !== 'string') return;
        const name = target.nameOf(filename);
        if (name === undefined) return;
        this.dirty.add(name);
        this.timer ??= setTimeout(() => this.flush(), DEBOUNCE_MS);
      });
      this.watcher.on('error', () => {
        this.watcher?.close();
        this.watcher = undefined;
      });
    } catch {
      // no such directory yet, or no inotify watches left: scanning covers it
      this.watcher = undefined;
    }
  }

  private flush(): void {
    this.timer = undefined;
    if (this.closed) return;
    const names = [...this.dirty];
    this.dirty.clear();
    this.onChange(names);
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.watcher?.close();
    this.watcher = undefined;
  }
}
