import type { Settings } from './schema.js';
import type { CredentialStore } from './store.js';

/** Sees every settings value a store hands out or takes in, before any caller does. */
export type StoreObserver = (settings: Settings, event: 'read' | 'write') => void;

/**
 * A store that tells `observe` about each credential it reads or writes, e.g.
 * to mask tokens in a CI log before anything can print them.
 */
export function observeStore(store: CredentialStore, observe: StoreObserver): CredentialStore {
  const observed: CredentialStore = {
    get description() {
      return store.description;
    },
    get label() {
      return store.label;
    },
    list: () => store.list(),
    read: async (name) => {
      const s = await store.read(name);
      observe(s, 'read');
      return s;
    },
    write: async (settings, o) => {
      observe(settings, 'write');
      await store.write(settings, o);
    },
    remove: (name) => store.remove(name),
    withWriteLock: (name, fn, opts) => store.withWriteLock(name, fn, opts),
    version: (name) => store.version(name),
    close: () => store.close(),
  };
  if (store.versionSync) {
    const sync = store.versionSync.bind(store);
    observed.versionSync = (name) => sync(name);
  }
  if (store.locate) {
    const locate = store.locate.bind(store);
    observed.locate = (name) => locate(name);
  }
  return observed;
}
