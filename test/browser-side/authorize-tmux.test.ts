/**
 * `authorize --no-browser` on a plain 80x24 terminal (tmux): the URL, what to
 * do and the prompt are on screen together, the first line speaks of any
 * device when the code is pasted back, and no QR code is drawn that would
 * not fit. Then the pasted code completes it.
 */
import test from 'ava';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startSandbox } from '../../src/sandbox/index.js';
import { BIN, cleanEnv, tempDir } from '../helpers/cli.js';
import { tmux } from '../helpers/tmux.js';
import { decideByHttp } from '../headless-side/helpers.js';

const unwrap = (screen: string): string => screen.split('\n').reduce((acc, row) => acc + row + (row.length === 80 ? '' : '\n'), '');

test('authorize --no-browser --redirect oob at 80x24: URL, instructions, limit and prompt on one screen; --no-qr is accepted', async (t) => {
  const sb = await startSandbox({ profile: 'redmine' });
  t.teardown(() => sb.close());
  const base = await tempDir(t);
  const pass = join(base, 'pass.txt');
  await writeFile(pass, 'correct horse battery staple\n');
  const file = join(base, 'out.ohs');
  const env = cleanEnv(base, { OAUTH_HANDOFF_CLIENT_SECRET: sb.client.secret as string });
  const args = ['authorize', '--provider', 'redmine', '--site', sb.url, '--client-id', sb.client.id, '--no-browser', '--redirect', 'oob', '--no-qr', '--passphrase-file', pass, '-o', file];
  const pane = await tmux(t, base, env, `${process.execPath} ${BIN} ${args.join(' ')}; echo "[authorize exited $?]"; sleep 600`, { x: 80, y: 24 });
  await pane.waitFor(/authorization code \(or the whole address\): $/m);
  const visible = await pane.visible();
  t.log(`\n${visible}`);
  const joined = unwrap(visible);
  const url = /^(http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize\?\S+code_challenge_method=S256)$/m.exec(joined)?.[1];
  t.truthy(url, 'the whole URL is on screen with the prompt');
  t.regex(joined, /^oauth-handoff: open this URL in a browser on any device, sign in and approve:$/m);
  t.notRegex(joined, /on this machine|scan the QR code/);
  t.regex(joined, /waiting up to 5 min \(until \d\d:\d\d\)/);
  t.notRegex(visible, /[█▀▄]/);
  const landed = await decideByHttp(url as string);
  await pane.type(landed);
  await pane.keys('Enter');
  const end = await pane.waitFor(/\[authorize exited \d+\]/);
  t.regex(end, /\[authorize exited 0\]/, end);
  t.true(existsSync(file));
});
