// Writes dist/fast-token.cjs.cache, the V8 code cache of the `token` start-up bundle
// (bin/oauth-handoff.cjs explains how it is checked and used). It runs one real
// `token` call against a throw-away store: the bin finds no cache, compiles from
// source, and writes the cache of everything that call compiled.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const cacheFile = join(root, 'dist/fast-token.cjs.cache');
rmSync(cacheFile, { force: true });

const { createMachineKey, FileStore, storeLayout } = await import(join(root, 'dist/src/settings-file/index.js'));
const home = mkdtempSync(join(tmpdir(), 'oh-code-cache-'));
try {
  const key = await createMachineKey(storeLayout(home));
  const store = await FileStore.openForWriting(home, key);
  const now = Date.now();
  const settings = {
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
  };
  await store.withWriteLock('cache', () => store.write(settings));
  const r = spawnSync(process.execPath, [join(root, 'bin/oauth-handoff.cjs'), 'token', 'cache'], {
    env: { PATH: process.env.PATH, HOME: home, OAUTH_HANDOFF_HOME: home },
    encoding: 'utf8',
  });
  if (r.status !== 0 || r.stdout !== 'code-cache\n') throw new Error(`token exited ${r.status}: ${r.stderr}`);
  if (!existsSync(cacheFile)) throw new Error('the token call wrote no code cache');
} finally {
  rmSync(home, { recursive: true, force: true });
}
