#!/usr/bin/env node
'use strict';
// The executable. `token` runs in every script call, so it has a start-up path
// of its own: one CommonJS bundle (src/fast-token.ts → dist/fast-token.cjs) that
// loads neither yargs nor axios nor libsodium nor the ESM loader, compiled from
// a V8 code cache when one fits. Its `dispatch` (also the single executable's)
// sends everything else to the yargs CLI (src/cli.ts).
const { join } = require('node:path');

/**
 * The fast bundle, compiled with its V8 code cache (dist/fast-token.cjs.cache) when that cache
 * was made from these exact bytes by this Node.js: the cache starts with a line naming the Node.js
 * version, the architecture and the SHA-256 of the bundle, checked here before V8 sees it (V8's
 * own check compares only the source length); V8 then checks its own version and flags and may
 * still reject it. Without a usable cache the bundle compiles from source as usual, and when the
 * command is done a fresh cache is written next to the bundle if that directory is writable
 * (`npm run build` does it; a root-owned global install keeps the one made at build time).
 */
function loadFastToken({ useCache = true } = {}) {
  const fs = require('node:fs');
  const vm = require('node:vm');
  const { hash } = require('node:crypto');
  const dist = join(__dirname, '../dist');
  const file = join(dist, 'fast-token.cjs');
  const cacheFile = `${file}.cache`;
  const bytes = fs.readFileSync(file);
  const source = bytes.toString('utf8');
  const stamp = `oauth-handoff code cache ${process.version} ${process.arch} ${hash('sha256', bytes)}\n`;
  let cachedData;
  try {
    const cache = useCache ? fs.readFileSync(cacheFile) : Buffer.alloc(0);
    if (cache.length > stamp.length && cache.toString('latin1', 0, stamp.length) === stamp) cachedData = cache.subarray(stamp.length);
  } catch {
    // no cache: compile from source
  }
  // the CommonJS wrapper, as node:module's wrap() writes it (requiring node:module costs a cold `token` ≈ 0.3 ms)
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n});`, { filename: file, cachedData });
  const module = { exports: {}, filename: file, id: file, loaded: false };
  // what the bundle requires: node:* built-ins, packages (found from here as from dist/), and files
  // beside it; remembered, as each bundled module requires its built-ins anew (≈ 25 calls, ≈ 0.2 ms)
  const required = new Map();
  const requireFromDist = (id) => {
    let m = required.get(id);
    if (m === undefined) {
      m = require(id.startsWith('./') ? join(dist, id) : id);
      required.set(id, m);
    }
    return m;
  };
  script.runInThisContext().call(module.exports, module.exports, requireFromDist, module, file, dist);
  const fresh = cachedData === undefined || script.cachedDataRejected === true;
  return {
    exports: module.exports,
    /** whether V8 compiled the bundle from its code cache (test/cli/token-fast-path checks it after a build) */
    usedCache: !fresh,
    /** after a run from source: the cache of what that run compiled, for the next process */
    saveCache() {
      if (!fresh) return;
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      try {
        fs.writeFileSync(tmp, Buffer.concat([Buffer.from(stamp, 'latin1'), script.createCachedData()]), { mode: 0o644 });
        fs.renameSync(tmp, cacheFile);
      } catch {
        // a read-only install: the next run compiles from source again
        try {
          fs.unlinkSync(tmp);
        } catch {
          // never written
        }
      }
    },
  };
}

function main() {
  const fastToken = loadFastToken();
  // the dispatch is the bundle's (src/fast-token.ts), shared with the single executable
  fastToken.exports.dispatch(
    process.argv.slice(2),
    () => import(require('node:url').pathToFileURL(join(__dirname, '../dist/src/cli.js')).href),
    () => fastToken.saveCache(),
  );
}

// bench/token-breakdown.ts requires this file to time the loading alone
if (require.main === module) main();
else module.exports = { loadFastToken };
