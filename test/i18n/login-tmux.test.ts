/**
 * `login --paste` under LANG=ja_JP.UTF-8 on a plain 80x24 terminal (tmux,
 * read with capture-pane): the instructions and the prompt are Japanese, and
 * the whole URL is on screen at the prompt.
 */
import test from 'ava';
import { startSandbox } from '../../src/sandbox/index.js';
import { BIN } from '../helpers/cli.js';
import { tmux } from '../helpers/tmux.js';
import { decideByHttp, machine, storedNames } from '../headless-side/helpers.js';

/** The rows of an 80-column screen with the (ASCII) URL rows the terminal wrapped joined back. */
const unwrap = (screen: string): string => screen.split('\n').reduce((acc, row) => acc + row + (/^[\x20-\x7e]{80}$/.test(row) ? '' : '\n'), '');

test('login --paste at 80x24 under LANG=ja_JP.UTF-8: Japanese instructions and prompt, the whole URL on screen', async (t) => {
  const sb = await startSandbox({ profile: 'redmine' });
  t.teardown(() => sb.close());
  const m = await machine(t, { OAUTH_HANDOFF_CLIENT_SECRET: sb.client.secret, LANG: 'ja_JP.UTF-8' });
  const args = ['login', '--paste', '--provider', 'redmine', '--site', sb.url, '--client-id', sb.client.id, '--redirect', 'loopback', '--name', 'small'];
  const pane = await tmux(t, m.base, m.env, `${process.execPath} ${BIN} ${args.join(' ')}; echo "[login exited $?]"; sleep 600`, { x: 80, y: 24 });
  const prompt = /ブラウザが移動した先のアドレス: $/m;
  await pane.waitFor(prompt);
  const visible = await pane.visible();
  t.log(`\n${visible}`);
  const rows = visible.replace(/\n+$/, '').split('\n');
  t.true(rows.length <= 24);
  t.regex(`${rows[rows.length - 1] as string} `, prompt, 'the Japanese prompt is the last row');
  const joined = unwrap(visible);
  const url = /^(http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize\?\S+)$/m.exec(joined)?.[1];
  t.truthy(url, `the whole URL is on screen:\n${visible}`);
  t.regex(url as string, /code_challenge_method=S256$/, 'the URL is whole');
  t.regex(joined, /任意の端末のブラウザでこの URL を開き/);
  t.notRegex(joined, /the address the browser landed on|open this URL/, 'no English instruction or prompt');

  const landed = await decideByHttp(url as string);
  await pane.type(landed);
  await pane.keys('Enter');
  const end = await pane.waitFor(/\[login exited \d+\]/);
  t.regex(end, /\[login exited 0\]/, end);
  t.deepEqual(await storedNames(m.home), ['small']);
});
