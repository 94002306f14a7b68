// Writes dist/fast-token.cjs.cache, the V8 code cache of the `token` start-up bundle
// (bin/oauth-handoff.cjs explains how it is checked and used). It runs one real
// `token` call against a throw-away store: the bin finds no cache, compiles from
// source, and writes the cache of everything that call compiled.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { withCacheStore } from './cache-store.mjs';

const root = new URL('..', import.meta.url).pathname;
const cacheFile = join(root, 'dist/fast-token.cjs.cache');
rmSync(cacheFile, { force: true });

await withCacheStore((env) => {
  const r = spawnSync(process.execPath, [join(root, 'bin/oauth-handoff.cjs'), 'token', 'cache'], { env, encoding: 'utf8' });
  if (r.status !== 0 || r.stdout !== 'code-cache\n') throw new Error(`token exited ${r.status}: ${r.stderr}`);
  if (!existsSync(cacheFile)) throw new Error('the token call wrote no code cache');
});
