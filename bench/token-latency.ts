/**
 * bench/token-latency: a cold `oauth-handoff token NAME` (fresh token, no
 * refresh) against a bare `node -e ''`, medians of RUNS alternating runs in
 * the same session, printed as a ratio. Target: ≤ 1.3×.
 *
 *   npm run build && node dist/bench/token-latency.js [runs]
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BIN } from '../test/helpers/cli.js';
import { settingsFrom, storeWith } from '../test/helpers/fixtures.js';

const RUNS = Math.max(5, Math.min(200, Number(process.argv[2] ?? 25)));

function time(args: string[], env: NodeJS.ProcessEnv): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

const dir = await mkdtemp(join(tmpdir(), 'oh-bench-'));
try {
  const home = join(dir, 'store');
  const src = { endpoints: { token: 'http://127.0.0.1:9/token' }, client: { id: 'bench', secret: 's' } };
  await storeWith(home, settingsFrom(src, { access_token: 'a'.repeat(40), token_type: 'Bearer', expires_in: 3600, refresh_token: 'r'.repeat(40) }, { name: 'bench' }));
  const env = { PATH: process.env.PATH, HOME: dir, OAUTH_HANDOFF_HOME: home };
  const base: number[] = [];
  const tok: number[] = [];
  time(['-e', ''], env);
  time([BIN, 'token', 'bench'], env);
  for (let i = 0; i < RUNS; i++) {
    base.push(time(['-e', ''], env));
    tok.push(time([BIN, 'token', 'bench'], env));
  }
  const b = median(base);
  const k = median(tok);
  console.log(`node -e ''              median ${b.toFixed(1)} ms (${RUNS} runs)`);
  console.log(`oauth-handoff token     median ${k.toFixed(1)} ms (${RUNS} runs)`);
  console.log(`ratio                   ${(k / b).toFixed(2)}x (target <= 1.30x)`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
