// esbuild plugins shared by scripts/bundle.mjs (the npm package's token path) and
// scripts/build-sea.mjs (the single executable).
const root = new URL('..', import.meta.url).pathname;

/** Dynamic imports that become separate bundles, loaded by require() at run time. */
export const split = {
  name: 'split-lazy-parts',
  setup(b) {
    b.onResolve({ filter: /^\.\/fast-token-full\.js$/ }, (a) => (a.kind === 'dynamic-import' ? { path: './fast-token-full.cjs', external: true } : undefined));
    b.onResolve({ filter: /(^|\/)oauth\/index\.js$/ }, (a) => (a.kind === 'dynamic-import' ? { path: './fast-oauth.cjs', external: true } : undefined));
    b.onResolve({ filter: /^\.\/store\.js$/ }, (a) => (a.kind === 'dynamic-import' && /[\\/]fleet-store[\\/]open\.ts$/.test(a.importer) ? { path: './fast-redis-store.cjs', external: true } : undefined));
  },
};

/**
 * `node:fs/promises` as a module whose functions load it on first call. Requiring it loads the
 * readline and file-watcher machinery (≈ 1 ms of a cold `token`), and the fresh-token read never
 * calls it: the store reads synchronously, and only a refresh writes.
 */
export const lazyFsPromises = {
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

/**
 * The message catalogs stay out of the bundles: src/i18n/catalog-files.ts, which reads them in the
 * unbundled code, becomes a module that requires dist/i18n/LANG.json (scripts/catalogs.mjs) next to
 * the bundle, on the first message in that language. Every bundle shares the same files (and, in
 * one process, the same parsed objects: require caches them); the single executable serves them as
 * assets of the same names (scripts/sea/main.cjs).
 */
const { LANGUAGES } = await import(`${root}dist/src/i18n/locale.js`);
export const catalogFiles = {
  name: 'catalog-files',
  setup(b) {
    b.onResolve({ filter: /^\.\/catalog-files\.js$/ }, (a) =>
      /[\\/]src[\\/]i18n[\\/][^\\/]+\.ts$/.test(a.importer) ? { path: 'catalog-files', namespace: 'catalog-files' } : undefined,
    );
    b.onResolve({ filter: /^\.\/i18n\/[a-z]+\.json$/, namespace: 'catalog-files' }, (a) => ({ path: a.path, external: true }));
    b.onLoad({ filter: /.*/, namespace: 'catalog-files' }, () => ({
      loader: 'js',
      contents: `const files = {
${LANGUAGES.map((l) => `  ${l}: () => require('./i18n/${l}.json'),`).join('\n')}
};
export const readCatalog = (lang) => files[lang]();
`,
    }));
  },
};

/**
 * env-paths takes the default export of node:path, node:os and node:process. Bundled as imports,
 * each is copied property by property into an ES module namespace at start-up (node:process has
 * well over a hundred): ≈ 0.1 ms of a cold `token` for three objects it uses as they are. As
 * require() calls they are used as they are.
 */
export const builtinDefaults = {
  name: 'builtin-defaults',
  setup(b) {
    b.onResolve({ filter: /^node:(os|path|process)$/ }, (a) =>
      a.kind === 'import-statement' && /[\\/]node_modules[\\/]env-paths[\\/]/.test(a.importer) ? { path: a.path, namespace: 'builtin-default' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'builtin-default' }, (a) => ({ contents: `export default require(${JSON.stringify(a.path)});\n`, loader: 'js' }));
  },
};
