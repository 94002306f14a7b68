'use strict';
// The main script of the single executable (scripts/build-sea.mjs). The code lives in assets of the
// executable, split as in the npm package: fast-token.cjs (a plain `token` call), fast-token-full.cjs
// (`token` when more than a fresh read is needed), fast-oauth.cjs (the protocol, with axios: a
// refresh), fast-redis-store.cjs (the fleet store, with ioredis),
// libsodium.cjs (the passphrase KDF, with its WebAssembly) and cli.cjs (the whole CLI). Each is
// compiled when first required, with the V8 code cache made for it at build time by this very
// Node.js binary (asset NAME.cache); V8 checks that cache's version and flags and compiles from
// source when it refuses it. The message catalogs are the assets i18n/LANG.json (dist/i18n, as in
// the npm package), parsed when a bundle first requires one. Which command runs where is decided
// by fast-token.cjs's `dispatch`, as for the npm package's bin.
const vm = require('node:vm');
const { dirname } = require('node:path');

/** the CommonJS wrapper, as node:module's wrap() writes it (requiring node:module costs a cold `token` ≈ 0.3 ms) */
const wrap = (source) => `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;

/** what the bundles require, by the asset that provides it */
const ASSETS = {
  './fast-token-full.cjs': 'fast-token-full.cjs',
  './fast-oauth.cjs': 'fast-oauth.cjs',
  './fast-redis-store.cjs': 'fast-redis-store.cjs',
  'libsodium-wrappers-sumo': 'libsodium.cjs',
};
/** what the bundles require of a message catalog: ./i18n/LANG.json, the asset i18n/LANG.json */
const CATALOG = /^\.\/(i18n\/[a-z]+\.json)$/;

/** A loader of assets read with `readAsset(name)` (bytes) and `readAsset(name, 'utf8')` (text). */
function createLoader(readAsset) {
  const loaded = new Map();
  const catalogs = new Map();
  const catalog = (name) => {
    if (!catalogs.has(name)) catalogs.set(name, JSON.parse(readAsset(name, 'utf8')));
    return catalogs.get(name);
  };
  // built-ins remembered: each bundled module requires its own anew
  const builtins = new Map();
  const requireAsset = (id) => {
    if (Object.hasOwn(ASSETS, id)) return load(ASSETS[id]);
    const c = CATALOG.exec(id);
    if (c) return catalog(c[1]);
    let m = builtins.get(id);
    if (m === undefined) {
      m = require(id);
      builtins.set(id, m);
    }
    return m;
  };
  function load(name) {
    const known = loaded.get(name);
    if (known) return known.module.exports;
    const source = readAsset(name, 'utf8');
    let cachedData;
    try {
      cachedData = readAsset(`${name}.cache`);
    } catch {
      // built without a cache: compile from source
    }
    const script = new vm.Script(wrap(source), { filename: `oauth-handoff/${name}`, cachedData });
    const module = { exports: {} };
    loaded.set(name, { module, script });
    script.runInThisContext().call(module.exports, module.exports, requireAsset, module, process.execPath, dirname(process.execPath));
    return module.exports;
  }
  return { load, loaded };
}

function main() {
  const sea = require('node:sea');
  const { load } = createLoader((name, encoding) => (encoding ? sea.getAsset(name, encoding) : Buffer.from(sea.getAsset(name))));
  load('fast-token.cjs').dispatch(process.argv.slice(2), () => load('cli.cjs'));
}

if (require('node:sea').isSea()) main();
else module.exports = { ASSETS, createLoader };
