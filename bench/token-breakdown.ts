/**
 * bench/token-breakdown: where a fresh-token `token` call spends its time, step by step, in fresh
 * processes (median of RUNS). "load" is bin/oauth-handoff.cjs loading the fast bundle, with its code
 * cache ("after") and from source as before the cache existed ("before"); the other steps are the
 * library calls of the fast path (bench/token-steps.ts), each including the first-call costs a real
 * process pays. Figures are CPU time (user + system, all threads of the process), which a busy
 * shared machine inflates far less than wall time; bench/token-latency.ts gives the wall time.
 *
 *   npm run build && node dist/bench/token-breakdown.js [runs=31]
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type { Plugin } from 'esbuild';
import { settingsFrom, storeWith } from '../test/helpers/fixtures.js';

const RUNS = Math.max(5, Math.min(500, Number(process.argv[2] ?? 31)));
const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const BIN = join(root, 'bin/oauth-handoff.cjs');

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** The child: time to user code, the bin's loading of the fast bundle, then each step. */
const DRIVER = (steps: string, useCache: boolean): string => `
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const t0 = cpu();
const { loadFastToken } = require(${JSON.stringify(BIN)});
const t1 = cpu();
loadFastToken({ useCache: ${useCache} });
const t2 = cpu();
const vm = require('node:vm'), fs = require('node:fs'), { wrap, createRequire } = require('node:module');
const file = ${JSON.stringify(steps)};
let cachedData; try { cachedData = fs.readFileSync(file + '.cache'); } catch {}
const script = new vm.Script(wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData });
const mod = { exports: {} };
script.runInThisContext().call(mod.exports, mod.exports, createRequire(file), mod, file, ${JSON.stringify(root)});
mod.exports.steps('bench').then((m) => {
  if (!cachedData) fs.writeFileSync(file + '.cache', script.createCachedData());
  process.stderr.write(JSON.stringify({ 'node start-up (to user code)': t0, 'bin': t1 - t0, 'load fast bundle': t2 - t1, ...m }) + '\\n');
});
`;

const dir = await mkdtemp(join(tmpdir(), 'oh-breakdown-'));
try {
  const home = join(dir, 'store');
  const src = { endpoints: { token: 'http://127.0.0.1:9/token' }, client: { id: 'bench', secret: 's' } };
  await storeWith(home, settingsFrom(src, { access_token: 'a'.repeat(40), token_type: 'Bearer', expires_in: 36000, refresh_token: 'r'.repeat(40) }, { name: 'bench' }));
  // inside the package, so that its require() finds node_modules
  const steps = join(root, 'dist/bench/token-steps.bundle.cjs');
  // the catalogs stay out, as in dist/fast-token.cjs (scripts/bundle.mjs); the steps of a fresh-token call render no message
  const { catalogFiles } = (await import(pathToFileURL(join(root, 'scripts/bundle-plugins.mjs')).href)) as { catalogFiles: Plugin };
  await build({
    plugins: [catalogFiles],
    entryPoints: [join(root, 'bench/token-steps.ts')],
    outfile: steps,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: Object.keys((JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies).filter((d) => d !== 'env-paths'),
    supported: { 'dynamic-import': false },
    logLevel: 'warning',
  });
  const env = { PATH: process.env.PATH, HOME: dir, OAUTH_HANDOFF_HOME: home };
  const drivers = { before: join(dir, 'before.cjs'), after: join(dir, 'after.cjs') };
  await writeFile(drivers.before, DRIVER(steps, false));
  await writeFile(drivers.after, DRIVER(steps, true));
  const samples: Record<'before' | 'after', Record<string, number[]>> = { before: {}, after: {} };
  const once = (which: 'before' | 'after'): void => {
    const r = spawnSync(process.execPath, [drivers[which]], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    if (r.status !== 0) throw new Error(`driver exited ${r.status}: ${r.stderr}`);
    const m = JSON.parse(r.stderr.trim().split('\n').pop()!) as Record<string, number>;
    for (const [k, v] of Object.entries(m)) (samples[which][k] ??= []).push(v);
  };
  once('after'); // writes the steps bundle's own code cache
  samples.after = {};
  for (let i = 0; i < RUNS; i++) {
    once('before');
    once('after');
  }
  const keys = Object.keys(samples.after);
  console.log(`fresh-token token call, step by step: CPU ms (user + system), median of ${RUNS} fresh processes each`);
  console.log(`${'step'.padEnd(34)} ${'before'.padStart(8)} ${'after'.padStart(8)}`);
  let tb = 0;
  let ta = 0;
  for (const k of keys) {
    const b = median(samples.before[k]!);
    const a = median(samples.after[k]!);
    if (k !== 'node start-up (to user code)') {
      tb += b;
      ta += a;
    }
    console.log(`${k.padEnd(34)} ${b.toFixed(2).padStart(8)} ${a.toFixed(2).padStart(8)}`);
  }
  console.log(`${'sum after start-up'.padEnd(34)} ${tb.toFixed(2).padStart(8)} ${ta.toFixed(2).padStart(8)}`);
} finally {
  await rm(dir, { recursive: true, force: true });
  await rm(join(root, 'dist/bench/token-steps.bundle.cjs'), { force: true });
  await rm(join(root, 'dist/bench/token-steps.bundle.cjs.cache'), { force: true });
}
