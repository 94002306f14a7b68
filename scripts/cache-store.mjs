// A throw-away store holding one fresh credential, "cache" (access token "code-cache"), for the
// build steps that make V8 code caches from a real `token` call: scripts/code-cache.mjs (the npm
// package's bundle) and scripts/build-sea.mjs (the single executable's). `run(env)` gets the
// environment that points at it; the store is removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

export async function withCacheStore(run) {
  const { createMachineKey, FileStore, storeLayout } = await import(join(root, 'dist/src/settings-file/index.js'));
  const home = mkdtempSync(join(tmpdir(), 'oh-code-cache-'));
  try {
    const store = await FileStore.openForWriting(home, await createMachineKey(storeLayout(home)));
    const now = Date.now();
    await store.withWriteLock('cache', () =>
      store.write({
        format: 'oauth-handoff/settings',
        version: 1,
        name: 'cache',
        provider: 'generic',
        endpoints: { token: 'http://127.0.0.1:9/token' },
        client: { id: 'cache', auth_method: 'none' },
        scopes: [],
        token: { access_token: 'code-cache', token_type: 'Bearer', obtained_at: new Date(now).toISOString(), expires_at: new Date(now + 3600_000).toISOString() },
        created: { at: new Date(now).toISOString(), by: 'build', host: 'localhost', tool: 'oauth-handoff build', via: 'build' },
        health: { state: 'ok' },
      }),
    );
    return await run({ PATH: process.env.PATH, HOME: home, OAUTH_HANDOFF_HOME: home });
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
