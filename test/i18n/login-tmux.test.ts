/**
 * `login --paste` under LANG=ja_JP.UTF-8 on a plain 80x24 terminal (tmux,
 * read with capture-pane): the instructions and the prompt are Japanese, and
 * the whole URL is on screen at the prompt.
 */
import test from 'ava';
import { loginOnSmallScreen } from '../headless-side/helpers.js';

test('login --paste at 80x24 under LANG=ja_JP.UTF-8: Japanese instructions and prompt, the whole URL on screen', async (t) => {
  const screen = await loginOnSmallScreen(t, { mode: 'loopback', prompt: /ブラウザが移動した先のアドレス: $/m, env: { LANG: 'ja_JP.UTF-8' } });
  const { joined } = screen;
  t.regex(joined, /任意の端末のブラウザでこの URL を開き/);
  t.notRegex(joined, /the address the browser landed on|open this URL/, 'no English instruction or prompt');

  await screen.finish();
});
