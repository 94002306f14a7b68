'use strict';
// Run by scripts/build-sea.mjs with the executable's own Node.js binary:
//   node make-cache.cjs DIR
// loads the assets in DIR as scripts/sea/main.cjs does, runs a fresh-token `token` call
// (OAUTH_HANDOFF_HOME must hold the credential "cache") and `status`, loads the other assets, and
// writes the V8 code cache of each (what those calls compiled) to DIR/NAME.cache.
const fs = require('node:fs');
const { join } = require('node:path');
const { ASSETS, createLoader } = require('./main.cjs');

const dir = process.argv[2];
const { load, loaded } = createLoader((name, encoding) => {
  if (name.endsWith('.cache')) throw new Error('no cache yet');
  return fs.readFileSync(join(dir, name), encoding);
});

(async () => {
  if ((await load('fast-token.cjs').fastToken(['token', 'cache'])) !== 0) throw new Error('token failed');
  // `status`: yargs leaves --version and --help with process.exit, before a cache could be written
  if ((await load('cli.cjs').runCli(['status'])) !== 0) throw new Error('status failed');
  for (const name of Object.values(ASSETS)) load(name);
  for (const [name, { script }] of loaded) fs.writeFileSync(join(dir, `${name}.cache`), script.createCachedData());
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
