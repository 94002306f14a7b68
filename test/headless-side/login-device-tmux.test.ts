/**
 * `login --device` (RFC 8628) on a plain 80x24 terminal (tmux): the user code,
 * where to enter it and the countdown are on one screen, the countdown is one
 * row redrawn in place, and approving on "another device" (plain HTTP to the
 * sandbox's verification page) ends the wait with the credential stored.
 */
import test from 'ava';
import { startSandbox } from '../../src/sandbox/index.js';
import { BIN } from '../helpers/cli.js';
import { tmux } from '../helpers/tmux.js';
import { machine, storedNames, tokenOf, unwrapScreen } from './helpers.js';

const COUNTDOWN = /^oauth-handoff: waiting for the approval: (\d+):(\d\d) left \(Ctrl\+C to cancel\)$/m;

test('login --device at 80x24: the code, where to enter it and a countdown redrawn in place, on one screen; approving elsewhere logs in', async (t) => {
  const sb = await startSandbox({ profile: 'generic', deviceGrant: true });
  t.teardown(() => sb.close());
  const m = await machine(t, { OAUTH_HANDOFF_CLIENT_SECRET: sb.client.secret });
  const args = ['login', '--device', '--issuer', sb.url, '--client-id', sb.client.id, '--name', 'tv'];
  const pane = await tmux(t, m.base, m.env, `${process.execPath} ${BIN} ${args.join(' ')}; echo "[login exited $?]"; sleep 600`, { x: 80, y: 24 });
  await pane.waitFor(COUNTDOWN);
  const first = await pane.visible();
  t.log(`\n${first}`);
  const rows = first.replace(/\n+$/, '').split('\n');
  t.true(rows.length <= 24);
  t.regex(rows[rows.length - 1] as string, COUNTDOWN, 'the countdown is the last row');
  const joined = unwrapScreen(first);
  const code = /^ {4}([B-DF-HJ-NP-TV-XZ]{4}-[B-DF-HJ-NP-TV-XZ]{4})$/m.exec(joined)?.[1];
  t.truthy(code, `the user code is on screen:\n${first}`);
  t.true(first.replace(/\s*\n\s*/g, ' ').includes(`open ${sb.url}/device and enter this code:`), 'where to enter it (the line is wrapped at a word)');
  t.regex(joined, /waiting for the approval, up to \d+ min \(until \d\d:\d\d\)/, 'the limit is said when the wait starts');

  // a second or two later the same row shows less time left, and no second countdown row appeared
  const left = (s: string) => {
    const r = COUNTDOWN.exec(s);
    return r ? Number(r[1]) * 60 + Number(r[2]) : NaN;
  };
  const until = Date.now() + 10_000;
  let later = first;
  while (Date.now() < until && !(left(later) < left(first))) {
    await new Promise((r) => setTimeout(r, 250));
    later = await pane.visible();
  }
  t.log(`\n${later}`);
  t.true(left(later) < left(first), 'the countdown goes down');
  t.is((later.match(/waiting for the approval: /g) ?? []).length, 1, 'one countdown row, redrawn in place');

  // the person approves on their phone
  const form = (params: Record<string, string>) => fetch(`${sb.url}/device`, { method: 'POST', body: new URLSearchParams(params), redirect: 'manual' });
  t.is((await form({ user_code: code as string })).status, 200);
  t.is((await form({ user_code: code as string, decision: 'approve' })).status, 200);
  const end = await pane.waitFor(/\[login exited \d+\]/, 30_000);
  t.regex(end, /\[login exited 0\]/, end);
  t.notRegex(end, /waiting for the approval: \d+:\d\d left/, 'the countdown row is cleared at the end');
  t.deepEqual(await storedNames(m.home), ['tv']);
  t.true(sb.isAccessTokenValid((await tokenOf(m, 'tv')).stdout.trim()));
});
