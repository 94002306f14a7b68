/**
 * Passphrase prompts that forgive, on a plain 80x24 terminal (tmux): a weak
 * passphrase is warned about, two differing entries are asked again with the
 * error on a line of its own, and Ctrl-C at the prompt exits 130 with nothing
 * written.
 */
import test from 'ava';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startSandbox } from '../../src/sandbox/index.js';
import { BIN, cleanEnv, tempDir } from '../helpers/cli.js';
import { settingsFrom, storeWith } from '../helpers/fixtures.js';
import { tmux } from '../helpers/tmux.js';

async function machineWithCredential(t: import('ava').ExecutionContext) {
  const sandbox = await startSandbox({ profile: 'generic' });
  t.teardown(() => sandbox.close());
  const base = await tempDir(t);
  const home = join(base, 'store');
  await storeWith(home, settingsFrom(sandbox, await sandbox.mintGrant(), { name: 'svc' }));
  return { base, env: cleanEnv(base, { OAUTH_HANDOFF_HOME: home }) };
}

test('a new passphrase: weak is warned about, differing entries are asked again, each message on its own line', async (t) => {
  const m = await machineWithCredential(t);
  const file = join(m.base, 'out.ohs');
  const pane = await tmux(t, m.base, m.env, `${process.execPath} ${BIN} export svc --passphrase -o ${file}; echo "[export exited $?]"; sleep 600`, { x: 80, y: 24 });
  await pane.waitFor(/new passphrase for the exported file: $/m);
  await pane.type('abc');
  await pane.keys('Enter');
  await pane.waitFor(/press Enter to keep it, or type a stronger one: $/m);
  t.regex(await pane.visible(), /^oauth-handoff: warning: this passphrase is weak/m, 'the warning starts a line of its own');
  await pane.type('correct horse battery staple');
  await pane.keys('Enter');
  await pane.waitFor(/^again: $/m);
  await pane.type('correct horse battery stapler');
  await pane.keys('Enter');
  const mismatch = await pane.waitFor(/the two entries did not match; try again\n(.*\n)*new passphrase for the exported file: $/m);
  t.regex(mismatch, /^oauth-handoff: the two entries did not match; try again$/m, 'not glued to the prompt line');
  t.log(`\n${await pane.visible()}`);
  await pane.type('correct horse battery staple');
  await pane.keys('Enter');
  await pane.waitFor(/^again: $/m);
  await pane.type('correct horse battery staple');
  await pane.keys('Enter');
  const end = await pane.waitFor(/\[export exited \d+\]/);
  t.regex(end, /\[export exited 0\]/, end);
  t.true(existsSync(file));
  t.false(end.includes('correct horse'), 'nothing typed is echoed');
});

test('Ctrl-C at a passphrase prompt exits 130 and writes nothing', async (t) => {
  const m = await machineWithCredential(t);
  const file = join(m.base, 'out.ohs');
  const pane = await tmux(t, m.base, m.env, `${process.execPath} ${BIN} export svc --passphrase -o ${file}; echo "[export exited $?]"; sleep 600`, { x: 80, y: 24 });
  await pane.waitFor(/new passphrase for the exported file: $/m);
  await pane.keys('C-c');
  const end = await pane.waitFor(/\[export exited \d+\]/);
  t.regex(end, /\[export exited 130\]/, end);
  t.regex(end, /interrupted \(Ctrl-C\); nothing was stored/);
  t.false(existsSync(file));
});
