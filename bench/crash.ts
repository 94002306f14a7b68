/**
 * bench/crash: the large crash run (test/credential/crash.test.ts runs 50 in CI). Real SIGKILLs
 * of the built CLI at random moments while it refreshes against the sandbox in its strict mode;
 * prints the counts. Exit 1 when there is a finding (a torn file, a replay outside the window,
 * an unexplained failure).
 *
 *   npm run build && node dist/bench/crash.js [kills=500] [seed=20261207] [max-delay-ms]
 *
 * Without max-delay-ms, kills spread over 1.2 × the time a refreshing `token` takes here.
 */
import { runCrashRounds } from '../test/credential/crash-rounds.js';

const kills = Math.max(1, Math.min(100_000, Number(process.argv[2] ?? 500)));
const seed = Number(process.argv[3] ?? 20261207);
const maxDelayMs = process.argv[4] === undefined ? undefined : Number(process.argv[4]);
const t0 = Date.now();
const c = await runCrashRounds({ kills, seed, maxDelayMs, onRound: (done) => process.stderr.write(`\r${done} / ${kills}`) });
process.stderr.write('\n');
console.log(`seed ${seed}, ${c.kills} SIGKILLs (delays 0-${c.maxDelayMs} ms) in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
console.log(`killed while running          ${c.killedInFlight}`);
console.log(`refresh requests              ${c.refreshes}`);
console.log(`torn files                    ${c.torn}`);
console.log(`answers lost in the window    ${c.window}   (killed between the server's answer and the store write)`);
console.log(`replays outside the window    ${c.replaysOutsideWindow}`);
console.log(`other failures                ${c.otherFailures}`);
for (const f of c.findings) console.log(`  ${f}`);
process.exitCode = c.findings.length === 0 ? 0 : 1;
