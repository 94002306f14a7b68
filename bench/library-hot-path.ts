/**
 * bench/library-hot-path: µs per `await cred.accessToken()` for a fresh token
 * (the library's hot path: one stat of the credential file, then memory),
 * after warm-up, next to baselines measured in the same run: a bare
 * fs.statSync of the same file, and fs.promises.stat. Medians of ROUNDS
 * rounds of ITERATIONS calls each. Target: ≤ 20 µs per call.
 *
 *   npm run build && node dist/bench/library-hot-path.js [iterations] [rounds]
 */
import { statSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { armor, generateKeyPair, seal, x25519Recipient } from '../src/crypto/index.js';
import { openCredential } from '../src/index.js';
import { encodeSettings } from '../src/settings-file/index.js';
import { settingsFrom, storeWith } from '../test/helpers/fixtures.js';

const ITERATIONS = Math.max(1000, Math.min(5_000_000, Number(process.argv[2] ?? 100_000)));
const ROUNDS = Math.max(3, Math.min(50, Number(process.argv[3] ?? 7)));

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/** µs per call of each fn: rounds alternate between them (fair under noise), one warm-up round each, then medians */
async function perCall(fns: Record<string, { fn: () => unknown; n: number }>): Promise<Record<string, number>> {
  const round = async (fn: () => unknown, n: number): Promise<number> => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await fn();
    return ((performance.now() - t0) * 1000) / n;
  };
  const xs: Record<string, number[]> = {};
  for (const [k, { fn, n }] of Object.entries(fns)) {
    await round(fn, n);
    xs[k] = [];
  }
  for (let r = 0; r < ROUNDS; r++) for (const [k, { fn, n }] of Object.entries(fns)) xs[k]!.push(await round(fn, n));
  return Object.fromEntries(Object.entries(xs).map(([k, v]) => [k, median(v)]));
}

const dir = await mkdtemp(join(tmpdir(), 'oh-bench-'));
try {
  const home = join(dir, 'store');
  const src = { endpoints: { token: 'http://127.0.0.1:9/token' }, client: { id: 'bench', secret: 's' } };
  const settings = settingsFrom(src, { access_token: 'a'.repeat(40), token_type: 'Bearer', expires_in: 3600, refresh_token: 'r'.repeat(40) }, { name: 'bench' });
  await storeWith(home, settings);
  const file = join(home, 'credentials', 'bench.ohs');

  const fromStore = await openCredential({ name: 'bench' }, { store: home });
  const key = generateKeyPair();
  const fromEnv = await openCredential(
    { env: true },
    { env: { OAUTH_HANDOFF_SETTINGS: armor(await seal(encodeSettings(settings), [x25519Recipient(key.publicKey)])), OAUTH_HANDOFF_KEY: key.secretKey } },
  );
  if ((await fromStore.accessToken()) !== settings.token.access_token) throw new Error('unexpected token');

  const us = await perCall({
    statSync: { fn: () => statSync(file, { bigint: true }), n: ITERATIONS },
    store: { fn: () => fromStore.accessToken(), n: ITERATIONS },
    env: { fn: () => fromEnv.accessToken(), n: ITERATIONS },
    // ~50-70 µs each: fewer calls
    statAsync: { fn: () => stat(file, { bigint: true }), n: Math.max(1000, Math.floor(ITERATIONS / 20)) },
  });
  const statSyncUs = us.statSync as number;
  const storeUs = us.store as number;
  const envUs = us.env as number;
  const statAsyncUs = us.statAsync as number;

  const row = (label: string, us: number) => console.log(`${label.padEnd(44)} ${us.toFixed(2).padStart(7)} µs/call`);
  console.log(`library hot path, fresh token: median of ${ROUNDS} rounds x ${ITERATIONS} calls (Node ${process.version})`);
  row('baseline: fs.statSync(credential file)', statSyncUs);
  row('baseline: await fs.promises.stat(file)', statAsyncUs);
  row('accessToken() { name } (file store)', storeUs);
  row('accessToken() { env: true } (in memory)', envUs);
  console.log(`target <= 20 µs/call: ${storeUs <= 20 ? 'met' : 'NOT met'} (file store ${(storeUs / statSyncUs).toFixed(2)}x a bare statSync)`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
