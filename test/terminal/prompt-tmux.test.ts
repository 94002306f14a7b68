/**
 * Passphrase prompts that forgive, on a plain 80x24 terminal (tmux): a weak
 * passphrase is warned about, two differing entries are asked again with the
 * error on a line of its own, and Ctrl-C at the prompt exits 130 with nothing
 * written. Importing a passphrase-sealed file, a wrong passphrase typed at the
 * prompt is asked again (3 tries); from a file it exits 4 at once.
 */
import test from 'ava';
import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startSandbox } from '../../src/sandbox/index.js';
import { BIN, cleanEnv, runCli, tempDir } from '../helpers/cli.js';
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
  t.regex(end, /interrupted \(Ctrl\+C\); nothing was stored/);
  t.false(existsSync(file));
});

/** A passphrase-sealed export of `svc` (made without a prompt) and a second machine's empty store to import it into. */
async function passphraseExport(t: import('ava').ExecutionContext) {
  const m = await machineWithCredential(t);
  const file = join(m.base, 'svc.ohs');
  const pass = join(m.base, 'pass.txt');
  await writeFile(pass, 'correct horse battery staple\n');
  const r = await runCli(['export', 'svc', '--passphrase-file', pass, '-o', file], { env: m.env });
  t.is(r.code, 0, r.stderr);
  const other = join(m.base, 'other-machine');
  return { ...m, file, env: cleanEnv(m.base, { OAUTH_HANDOFF_HOME: other }), other };
}

test('import: a wrong passphrase at the prompt is asked again (3 tries), the error on its own line, and the right one imports', async (t) => {
  const m = await passphraseExport(t);
  const pane = await tmux(t, m.base, m.env, `${process.execPath} ${BIN} import ${m.file}; echo "[import exited $?]"; sleep 600`, { x: 80, y: 24 });
  await pane.waitFor(/passphrase for the settings file: $/m);
  await pane.type('not the passphrase');
  await pane.keys('Enter');
  const first = await pane.waitFor(/^oauth-handoff: wrong passphrase; try again \(2 tries left\)\npassphrase for the settings file: $/m);
  t.false(first.includes('not the passphrase'), 'nothing typed is echoed');
  await pane.type('still not it');
  await pane.keys('Enter');
  await pane.waitFor(/^oauth-handoff: wrong passphrase; try again \(one try left\)\npassphrase for the settings file: $/m);
  t.log(`\n${await pane.visible()}`);
  await pane.type('correct horse battery staple');
  await pane.keys('Enter');
  const end = await pane.waitFor(/\[import exited \d+\]/);
  t.regex(end, /\[import exited 0\]/, end);
  t.regex(end, /imported "svc"/);
  t.deepEqual(await readdir(join(m.other, 'credentials')).then((f) => f.filter((n) => n.endsWith('.ohs'))), ['svc.ohs']);
});

test('import: three wrong passphrases exit 4 and store nothing; a wrong --passphrase-file exits 4 at once, without asking', async (t) => {
  const m = await passphraseExport(t);
  const pane = await tmux(t, m.base, m.env, `${process.execPath} ${BIN} import ${m.file}; echo "[import exited $?]"; sleep 600`, { x: 80, y: 24 });
  for (const left of ['2 tries left', 'one try left']) {
    await pane.waitFor(/passphrase for the settings file: $/m);
    await pane.type('wrong');
    await pane.keys('Enter');
    await pane.waitFor(new RegExp(`wrong passphrase; try again \\(${left}\\)`));
  }
  await pane.waitFor(/passphrase for the settings file: $/m);
  await pane.type('wrong again');
  await pane.keys('Enter');
  const end = await pane.waitFor(/\[import exited \d+\]/);
  t.regex(end, /\[import exited 4\]/, end);
  t.false(existsSync(join(m.other, 'credentials', 'svc.ohs')));

  const wrongFile = join(m.base, 'wrong.txt');
  await writeFile(wrongFile, 'wrong\n');
  const r = await runCli(['import', m.file, '--passphrase-file', wrongFile], { env: m.env });
  t.is(r.code, 4, r.stderr);
  t.regex(r.stderr, /wrong passphrase/);
  t.notRegex(r.stderr, /try again/);
});
