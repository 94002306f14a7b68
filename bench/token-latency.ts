/**
 * bench/token-latency: a cold `oauth-handoff token NAME` (fresh token, no refresh) against a bare
 * `node -e ''`, and `gh auth token` (token from GH_TOKEN, offline) when gh is installed, and the
 * single executable (dist/sea/oauth-handoff) when it has been built, with a bare `-e ''` of the
 * Node.js binary it is made of (another version than the one running the bench). Runs alternate
 * A/B/A/B in one session; stdout is a pipe, as in `$(oauth-handoff token x)`. Two environments: a
 * clean one (`env -i PATH HOME`) and the same with NODE_EXTRA_CA_CERTS set to the system CA
 * bundle, which adds its loading to every Node.js start.
 *
 * Prints medians of wall time and of CPU time (user + system of the child, read with bash's
 * `times`), and each one's ratio to `node -e ''`. The machine may be shared: wall time then varies
 * run to run, CPU time much less; read the medians, and compare within one run only.
 * Goal (issue 16): token ≤ 1.25× node -e '' in the clean environment.
 *
 *   npm run build && node dist/bench/token-latency.js [runs=31]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { settingsFrom, storeWith } from '../test/helpers/fixtures.js';

const RUNS = Math.max(5, Math.min(500, Number(process.argv[2] ?? 31)));
const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const BIN = join(root, 'bin/oauth-handoff.cjs');
const SEA = join(root, 'dist/sea/oauth-handoff');
/** the Node.js binary the single executable is made of (scripts/build-sea.mjs keeps it here), for its own `-e ''` */
const SEA_NODE = (() => {
  const dir = join(root, 'node_modules/.cache/oauth-handoff-sea');
  const found = existsSync(dir) ? readdirSync(dir).map((d) => join(dir, d, 'package/bin/node')).find((p) => existsSync(p)) : undefined;
  return found;
})();
const CA_BUNDLE = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt'].find((p) => existsSync(p));

function which(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(dir, cmd);
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

interface Subject {
  label: string;
  argv: string[];
  expect: string;
}

/** wall milliseconds of one run; stdout is a pipe */
function wall(s: Subject, env: NodeJS.ProcessEnv): number {
  const t0 = performance.now();
  const r = spawnSync(s.argv[0]!, s.argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0 || !r.stdout.startsWith(s.expect)) throw new Error(`${s.label} exited ${r.status}: ${r.stderr}`);
  return ms;
}

/** CPU milliseconds (user + system) of one run, from bash's `times` for its children */
function cpu(s: Subject, env: NodeJS.ProcessEnv): number {
  const r = spawnSync('bash', ['-c', '"$@" >/tmp/.oh-bench-$$ 2>&1 </dev/null; rm -f /tmp/.oh-bench-$$; times', '_', ...s.argv], {
    env,
    encoding: 'utf8',
  });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  const m = /(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/.exec(line);
  if (r.status !== 0 || !m) throw new Error(`${s.label}: no CPU time (${r.stderr})`);
  return (Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4])) * 1000;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function measure(subjects: Subject[], env: NodeJS.ProcessEnv, title: string): void {
  const w: number[][] = subjects.map(() => []);
  const c: number[][] = subjects.map(() => []);
  subjects.forEach((s) => wall(s, env)); // warm the page cache
  for (let i = 0; i < RUNS; i++) {
    subjects.forEach((s, k) => w[k]!.push(wall(s, env)));
    subjects.forEach((s, k) => c[k]!.push(cpu(s, env)));
  }
  const bw = median(w[0]!);
  const bc = median(c[0]!);
  console.log(`\n${title} — median of ${RUNS} alternating runs`);
  console.log(`${''.padEnd(28)} ${'wall ms'.padStart(8)} ${'ratio'.padStart(6)}   ${'CPU ms'.padStart(7)} ${'ratio'.padStart(6)}`);
  subjects.forEach((s, k) => {
    const mw = median(w[k]!);
    const mc = median(c[k]!);
    console.log(`${s.label.padEnd(28)} ${mw.toFixed(1).padStart(8)} ${(mw / bw).toFixed(2).padStart(5)}×   ${mc.toFixed(1).padStart(7)} ${(mc / bc).toFixed(2).padStart(5)}×`);
  });
}

const dir = await mkdtemp(join(tmpdir(), 'oh-bench-'));
try {
  const home = join(dir, 'store');
  const src = { endpoints: { token: 'http://127.0.0.1:9/token' }, client: { id: 'bench', secret: 's' } };
  const access = 'a'.repeat(40);
  await storeWith(home, settingsFrom(src, { access_token: access, token_type: 'Bearer', expires_in: 36000, refresh_token: 'r'.repeat(40) }, { name: 'bench' }));
  const subjects: Subject[] = [
    { label: "node -e ''", argv: [process.execPath, '-e', ''], expect: '' },
    { label: 'oauth-handoff token', argv: [process.execPath, BIN, 'token', 'bench'], expect: access },
  ];
  if (existsSync(SEA)) subjects.push({ label: 'single executable token', argv: [SEA, 'token', 'bench'], expect: access });
  // the executable's own Node.js, bare: what of its figure is that Node.js's start-up
  if (existsSync(SEA) && SEA_NODE) subjects.push({ label: "its Node.js: -e ''", argv: [SEA_NODE, '-e', ''], expect: '' });
  const gh = which('gh');
  if (gh) subjects.push({ label: 'gh auth token', argv: [gh, 'auth', 'token'], expect: 'gho_' });
  const clean = { PATH: process.env.PATH, HOME: dir, OAUTH_HANDOFF_HOME: home, GH_TOKEN: `gho_${'b'.repeat(36)}`, GH_CONFIG_DIR: join(dir, 'gh') };
  console.log(`node ${process.version}; ${gh ? 'gh installed' : 'gh not installed (apt-get install gh to compare)'}; ${existsSync(SEA) ? 'single executable built' : 'no single executable (npm run build:sea)'}`);
  measure(subjects, clean, 'clean environment (env -i PATH HOME)');
  if (CA_BUNDLE) measure(subjects, { ...clean, NODE_EXTRA_CA_CERTS: CA_BUNDLE }, `with NODE_EXTRA_CA_CERTS=${CA_BUNDLE}`);
  console.log('\ngoal: oauth-handoff token ≤ 1.25× node -e \'\' in the clean environment');
} finally {
  await rm(dir, { recursive: true, force: true });
}
