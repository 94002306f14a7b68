// Bundle the `token` start-up path into CommonJS files (see src/fast-token.ts):
//   dist/fast-token.cjs         what every `token` call loads: argv, store, crypto, the fresh-token read
//   dist/fast-oauth.cjs         the protocol (and, through it, axios): loaded only when a refresh is due
//   dist/fast-redis-store.cjs   the fleet store (and ioredis): loaded only for a redis:// store
// Runtime dependencies stay external and load only when used; env-paths is
// ESM-only and tiny, so it is bundled in. Each bundle has its own copy of
// src/errors.ts; HandoffError's instanceof works across copies (a global symbol).
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
// optional peer dependencies (ioredis) stay outside too: an install may not have them
const external = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies ?? {})].filter((d) => d !== 'env-paths');

/** Dynamic imports that become separate bundles, loaded by require() at run time. */
const split = {
  name: 'split-lazy-parts',
  setup(b) {
    b.onResolve({ filter: /(^|\/)oauth\/index\.js$/ }, (a) => (a.kind === 'dynamic-import' ? { path: './fast-oauth.cjs', external: true } : undefined));
    b.onResolve({ filter: /^\.\/store\.js$/ }, (a) => (a.kind === 'dynamic-import' && /[\\/]fleet-store[\\/]open\.ts$/.test(a.importer) ? { path: './fast-redis-store.cjs', external: true } : undefined));
  },
};

/**
 * `node:fs/promises` as a module whose functions load it on first call. Requiring it loads the
 * readline and file-watcher machinery (≈ 1 ms of a cold `token`), and the fresh-token read never
 * calls it: the store reads synchronously, and only a refresh writes.
 */
const lazyFsPromises = {
  name: 'lazy-fs-promises',
  setup(b) {
    b.onResolve({ filter: /^(node:)?fs\/promises$/ }, () => ({ path: 'fs/promises', namespace: 'lazy-fs-promises' }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-fs-promises' }, async () => {
      const { promises } = await import('node:fs');
      const names = Object.keys(promises).filter((k) => /^[a-z]\w*$/i.test(k));
      const lines = names.map((k) =>
        typeof promises[k] === 'function'
          ? `export const ${k} = (...args) => fs.promises.${k}(...args);`
          : `export const ${k} = fs.${k === 'constants' ? 'constants' : `promises.${k}`};`,
      );
      return { contents: `import * as fs from 'node:fs';\n${lines.join('\n')}\nexport default fs.promises;\n`, loader: 'js', resolveDir: root };
    });
  },
};

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
  plugins: [split, lazyFsPromises],
};

await Promise.all([
  build({ ...common, entryPoints: [`${root}src/fast-token.ts`], outfile: `${root}dist/fast-token.cjs` }),
  build({ ...common, entryPoints: [`${root}src/oauth/index.ts`], outfile: `${root}dist/fast-oauth.cjs` }),
  build({ ...common, entryPoints: [`${root}src/fleet-store/store.ts`], outfile: `${root}dist/fast-redis-store.cjs` }),
]);
