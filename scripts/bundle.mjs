// Bundle the `token` start-up path into CommonJS files (see src/fast-token.ts):
//   dist/fast-token.cjs         what every `token` call loads: argv, the key and credential files, crypto,
//                               the refresh rule: enough to print a fresh token
//   dist/fast-token-full.cjs    `token` in full (refresh, locks, warnings, errors, the fleet store):
//                               loaded only when the fresh read does not serve the call
//   dist/fast-oauth.cjs         the protocol (and, through it, axios): loaded only when a refresh is due
//   dist/fast-redis-store.cjs   the fleet store (and ioredis): loaded only for a redis:// store
// Runtime dependencies stay external and load only when used; env-paths is
// ESM-only and tiny, so it is bundled in. Each bundle has its own copy of
// src/errors.ts; HandoffError's instanceof works across copies (a global symbol).
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { builtinDefaults, catalogFiles, lazyFsPromises, split } from './bundle-plugins.mjs';

const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
// optional peer dependencies (ioredis) stay outside too: an install may not have them
const external = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies ?? {})].filter((d) => d !== 'env-paths');

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external,
  // import() of what stays outside becomes require(): no ESM loader on the token path
  supported: { 'dynamic-import': false },
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [split, lazyFsPromises, catalogFiles, builtinDefaults],
};

await Promise.all([
  build({ ...common, entryPoints: [`${root}src/fast-token.ts`], outfile: `${root}dist/fast-token.cjs` }),
  build({ ...common, entryPoints: [`${root}src/fast-token-full.ts`], outfile: `${root}dist/fast-token-full.cjs` }),
  build({ ...common, entryPoints: [`${root}src/oauth/index.ts`], outfile: `${root}dist/fast-oauth.cjs` }),
  build({ ...common, entryPoints: [`${root}src/fleet-store/store.ts`], outfile: `${root}dist/fast-redis-store.cjs` }),
]);
