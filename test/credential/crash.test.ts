import test from 'ava';
import { runCrashRounds } from './crash-rounds.js';

// bench/crash.ts runs the large count (500) and prints it
const KILLS = 50;

test(`${KILLS} SIGKILLs at random moments during refreshes: no torn file, no replayed refresh token outside the unavoidable window`, async (t) => {
  t.timeout(20 * 60_000);
  const c = await runCrashRounds({ kills: KILLS });
  t.log(`${c.kills} kills (${c.killedInFlight} in flight), ${c.refreshes} refresh requests, ${c.window} in the window between the server's answer and the store write`);
  t.deepEqual(c.findings, []);
  t.is(c.torn, 0);
  t.is(c.replaysOutsideWindow, 0);
  t.is(c.otherFailures, 0);
  t.is(c.kills, KILLS);
  t.true(c.killedInFlight > 0, 'some kills landed while a process was running');
});
