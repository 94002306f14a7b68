// esbuild plugins shared by scripts/bundle.mjs (the npm package's token path) and
// scripts/build-sea.mjs (the single executable).
const root = new URL('..', import.meta.url).pathname;

/** Dynamic imports that become separate bundles, loaded by require() at run time. */
export const split = {
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
 * The message catalogs (src/i18n/en, src/i18n/ja: every sentence of the CLI in both languages,
 * ≈ 130 KB) as objects built on first use. Building them costs ≈ 2.5 ms of a cold `token`, which
 * prints a token and reads a catalog only to report an error or a warning. The catalog modules are
 * required, so esbuild evaluates them only when the proxy is first read.
 */
export const lazyCatalogs = {
  name: 'lazy-catalogs',
  setup(b) {
    b.onResolve({ filter: /^\.\/(en|ja)\/index\.js$/ }, (a) =>
      /[\\/]src[\\/]i18n[\\/][^\\/]+\.ts$/.test(a.importer) && a.kind === 'import-statement'
        ? { path: a.path.slice(2, 4), namespace: 'lazy-catalog', pluginData: { dir: a.resolveDir } }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-catalog' }, (a) => ({
      resolveDir: a.pluginData.dir,
      loader: 'js',
      contents: `let catalog;
const load = () => (catalog ??= require('./${a.path}/index.ts').${a.path});
export const ${a.path} = new Proxy({}, {
  get: (_, k) => load()[k],
  has: (_, k) => k in load(),
  ownKeys: () => Reflect.ownKeys(load()),
  getOwnPropertyDescriptor: (_, k) => Object.getOwnPropertyDescriptor(load(), k),
});
`,
    }));
  },
};
