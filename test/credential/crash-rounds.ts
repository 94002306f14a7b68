/**
 * The crash suite: real SIGKILLs of the built CLI at random moments while it
 * refreshes, against the sandbox in its strict mode (a replayed refresh token
 * revokes the whole grant). Shared by test/credential/crash.test.ts (a bounded
 * count in CI) and bench/crash.ts (the large run, which prints its counts).
 *
 * One round: a fresh grant whose access token has expired; two `token`
 * processes at once (one refreshes, the other joins it through the lock);
 * one of them, chosen at random, is killed with SIGKILL after a random delay.
 * Then the store must open (no torn file), and one more `token` must either
 * print a valid token or — only when the kill fell in the one window no client
 * can close (the server answered, the answer was not yet stored) — say that
 * an interrupted refresh needs re-authorization. A replayed refresh token
 * outside that window is a finding.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../../src/sandbox/index.js';
import { FileStore } from '../../src/settings-file/index.js';
import { cleanEnv, collect, runCli, spawnCli } from '../helpers/cli.js';
import { settingsFrom, storeWith } from '../helpers/fixtures.js';

export interface CrashCounts {
  /** rounds run, each with one SIGKILL */
  kills: number;
  /** kills that landed before the process ended on its own (the others came too late) */
  killedInFlight: number;
  /** kills came 0 to this many ms after the start (calibrated: 1.2 × a refreshing `token` run here) */
  maxDelayMs: number;
  /** the store did not open after a kill: must be 0 */
  torn: number;
  /** a refresh answer was lost (killed between the server's answer and the store write): the unavoidable window */
  window: number;
  /** refresh tokens presented twice outside that window: must be 0 */
  replaysOutsideWindow: number;
  /** the next `token` failed for another reason than the window: must be 0 */
  otherFailures: number;
  /** refresh requests the sandbox answered in all */
  refreshes: number;
  findings: string[];
}

/** A small deterministic PRNG (mulberry32): a seed replays a run's delays. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

export async function runCrashRounds(o: { kills: number; seed?: number; maxDelayMs?: number; onRound?: (done: number, c: CrashCounts) => void }): Promise<CrashCounts> {
  const rnd = random(o.seed ?? 20261207);
  const counts: CrashCounts = { kills: 0, killedInFlight: 0, maxDelayMs: 0, torn: 0, window: 0, replaysOutsideWindow: 0, otherFailures: 0, refreshes: 0, findings: [] };
  const sandbox = await startSandbox({ profile: 'generic', replayRevokesGrant: true });
  const base = await mkdtemp(join(tmpdir(), 'oh-crash-'));
  try {
    // kills spread over a whole refreshing `token` run on this machine: start, lock, request, store
    let maxDelay = o.maxDelayMs;
    if (maxDelay === undefined) {
      const took: number[] = [];
      for (let i = 0; i < 3; i++) {
        const home = join(base, `calibrate${i}`);
        await storeWith(home, settingsFrom(sandbox, await sandbox.mintGrant(), { name: 'svc', now: Date.now() - 7200_000 }));
        const t0 = Date.now();
        await runCli(['token', 'svc'], { env: cleanEnv(base, { OAUTH_HANDOFF_HOME: home }), timeoutMs: 120_000 });
        took.push(Date.now() - t0);
        await rm(home, { recursive: true, force: true });
      }
      maxDelay = Math.round(1.2 * (took.sort((a, b) => a - b)[1] as number));
    }
    counts.maxDelayMs = maxDelay;
    for (let round = 0; round < o.kills; round++) {
      const home = join(base, `r${round}`);
      const env = cleanEnv(base, { OAUTH_HANDOFF_HOME: home });
      const grant = await sandbox.mintGrant();
      await storeWith(home, settingsFrom(sandbox, grant, { name: 'svc', now: Date.now() - 7200_000 }));
      const logStart = sandbox.log().length;

      const children = [spawnCli(['token', 'svc'], { env }), spawnCli(['token', 'svc'], { env })];
      const results = children.map((c) => collect(c, { timeoutMs: 120_000 }));
      const victim = children[rnd() < 0.5 ? 0 : 1];
      const delay = Math.floor(rnd() * maxDelay);
      await new Promise((r) => setTimeout(r, delay));
      const inFlight = victim !== undefined && victim.exitCode === null && victim.signalCode === null;
      victim?.kill('SIGKILL');
      counts.kills += 1;
      if (inFlight) counts.killedInFlight += 1;
      await Promise.all(results);

      // the store opens: every write was whole (the old file or the new one)
      let stored;
      try {
        stored = await (await FileStore.open(home)).read('svc');
      } catch (e) {
        counts.torn += 1;
        counts.findings.push(`round ${round}: the store does not open after the kill (${(e as Error).message})`);
        continue;
      }
      const log = sandbox.log().slice(logStart).filter((e) => e.grantType === 'refresh_token');
      const answered = log.filter((e) => e.status === 200).length;
      const lost = answered - (stored.health.refresh_count ?? 0);
      const inWindow = lost > 0;
      if (inWindow) counts.window += 1;

      const next = await runCli(['token', 'svc'], { env, timeoutMs: 120_000 });
      const all = sandbox.log().slice(logStart).filter((e) => e.grantType === 'refresh_token');
      counts.refreshes += all.length;
      const replays = all.filter((e) => e.replay === true).length;
      if (!inWindow && replays > 0) {
        counts.replaysOutsideWindow += replays;
        counts.findings.push(`round ${round}: ${replays} replayed refresh token(s) although no answer was lost (delay ${delay} ms)`);
      }
      const ok = next.code === 0 && sandbox.isAccessTokenValid(next.stdout.trim());
      const explained = inWindow && next.code === 3 && /interrupted/.test(next.stderr);
      if (!ok && !explained) {
        counts.otherFailures += 1;
        counts.findings.push(`round ${round}: the next token exited ${next.code} (delay ${delay} ms, window ${inWindow}): ${next.stderr.trim().slice(0, 300)}`);
      }
      await rm(home, { recursive: true, force: true });
      o.onRound?.(round + 1, counts);
    }
  } finally {
    await sandbox.close();
    await rm(base, { recursive: true, force: true });
  }
  return counts;
}
