/**
 * Colour on stderr only at a terminal (a real one: a tmux pane), never in a pipe, never with
 * NO_COLOR. Whether stderr is a terminal is first asked of the descriptor (a pipe or a file is not a
 * character device) so that a script's `$(oauth-handoff token x)` that warns does not pay for the
 * terminal machinery.
 */
import test from 'ava';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { BIN, cleanEnv, runCli, tempDir } from '../helpers/cli.js';
import { settingsFrom, storeWith } from '../helpers/fixtures.js';
import { tmux } from '../helpers/tmux.js';

const ESC = '\u001b';

/** a store whose credential "spaced" has a space in its token: token prints it and warns */
async function warningStore(t: Parameters<typeof tempDir>[0]): Promise<{ base: string; env: NodeJS.ProcessEnv }> {
  const base = await tempDir(t, 'oh-colour-');
  const home = join(base, 'store');
  const src = { endpoints: { token: 'http://127.0.0.1:9/token' }, client: { id: 'c', secret: 's' } };
  await storeWith(home, settingsFrom(src, { access_token: 'abc def', token_type: 'Bearer', expires_in: 36000 }, { name: 'spaced' }));
  const { NO_COLOR: _, ...env } = cleanEnv(base, { OAUTH_HANDOFF_HOME: home });
  return { base, env };
}

test('a warning is yellow at a terminal, plain in a pipe and with NO_COLOR', async (t) => {
  const { base, env } = await warningStore(t);

  const pane = await tmux(t, base, env, `${process.execPath} ${BIN} token spaced; echo "[exited $?]"; sleep 600`);
  await pane.waitFor(/\[exited 0\]/);
  t.regex(await pane.escaped(), new RegExp(`oauth-handoff: ${ESC}\\[33mwarning:${ESC}\\[(0|39)m the access token of "spaced" contains a space`));

  const piped = await runCli(['token', 'spaced'], { env });
  t.is(piped.code, 0);
  t.regex(piped.stderr, /^oauth-handoff: warning: the access token of "spaced"/);
  t.false(piped.stderr.includes(ESC), JSON.stringify(piped.stderr));

  await mkdir(join(base, 'no-color'));
  const noColor = await tmux(t, join(base, 'no-color'), { ...env, NO_COLOR: '1' }, `${process.execPath} ${BIN} token spaced; echo "[exited $?]"; sleep 600`);
  await noColor.waitFor(/\[exited 0\]/);
  const screen = await noColor.escaped();
  t.regex(screen, /oauth-handoff: warning: the access token/);
  t.false(screen.includes(`${ESC}[33m`), screen);
});
