/**
 * Data from files and servers never acts on the terminal: the output layer
 * escapes what a terminal would act on, on every channel.
 */
import test from 'ava';
import { PassThrough } from 'node:stream';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { seal, x25519Recipient } from '../../src/crypto/index.js';
import { createMachineKey, storeLayout } from '../../src/settings-file/index.js';
import { createOutput, escapeControls } from '../../src/terminal/index.js';
import { cleanEnv, runCli, tempDir } from '../helpers/cli.js';
import { settingsFrom, storeWith } from '../helpers/fixtures.js';

/** OSC 52 (write the clipboard) and ED 2 (clear the screen), as a hostile file carries them. */
const HOSTILE = 'generic\u001b]52;c;aGVsbG8=\u0007\u001b[2J';
/** what must never reach a terminal from data */
const ACTIVE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/;

function capture(): { out: ReturnType<typeof createOutput>; text: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let text = '';
  stdout.on('data', (d: Buffer) => (text += d.toString()));
  stderr.on('data', (d: Buffer) => (text += d.toString()));
  return { out: createOutput({ stdout, stderr, env: { NO_COLOR: '1' } }), text: () => text };
}

test('every channel of the output escapes controls; newlines stay', (t) => {
  const { out, text } = capture();
  out.info(`provider ${HOSTILE}`);
  out.warn(`\r\u009b2J${HOSTILE}`);
  out.raw(`${HOSTILE}\n`);
  out.data(`${HOSTILE}\n`);
  out.json({ provider: HOSTILE, c1: '\u009b2J', bidi: 'a\u202eb' });
  const all = text();
  t.notRegex(all, ACTIVE);
  t.true(all.includes('generic\\x1b]52;c;aGVsbG8=\\x07\\x1b[2J'));
  t.true(all.includes('"c1": "\\u009b2J"'));
  t.is(JSON.parse(all.slice(all.indexOf('{'))).bidi, 'a\u202eb', 'JSON output keeps its value');
  t.is(escapeControls('two\nlines\ttab'), 'two\nlines\ttab');
});

test('import refuses a file whose provider carries terminal escapes (exit 4) and writes none of them', async (t) => {
  const dir = await tempDir(t);
  const home = join(dir, 'store');
  const key = await createMachineKey(storeLayout(home));
  const s = settingsFrom({ endpoints: { token: 'http://127.0.0.1:9/token' }, client: { id: 'c' } }, { access_token: 'at', token_type: 'Bearer', expires_in: 3600 }, { name: 'svc' });
  const file = join(dir, 'hostile.ohs');
  await writeFile(file, await seal(new TextEncoder().encode(JSON.stringify({ ...s, provider: HOSTILE })), [x25519Recipient(key.publicKey)]));
  const r = await runCli(['import', file], { env: cleanEnv(dir, { OAUTH_HANDOFF_HOME: home }) });
  t.is(r.code, 4, r.stderr);
  t.regex(r.stderr, /settings\.provider must be a provider id/);
  t.notRegex(r.stdout + r.stderr, ACTIVE);
});

test('status shows a stored message with escapes as text, in the table and in --json', async (t) => {
  const dir = await tempDir(t);
  const home = join(dir, 'store');
  const s = settingsFrom({ endpoints: { token: 'http://127.0.0.1:9/token' }, client: { id: 'c' } }, { access_token: 'at', token_type: 'Bearer', expires_in: 3600 }, { name: 'svc' });
  s.health = { state: 'reauthorization_required', message: `the server said: ${HOSTILE}` };
  await storeWith(home, s);
  const env = cleanEnv(dir, { OAUTH_HANDOFF_HOME: home });
  for (const args of [['status'], ['status', 'svc'], ['status', 'svc', '--json']]) {
    const r = await runCli(args, { env });
    t.notRegex(r.stdout + r.stderr, ACTIVE, args.join(' '));
    // as text: \x1b in the table, \u001b in JSON (the same value for a program)
    t.regex(r.stdout + r.stderr, /\\(x1b|u001b)\]52;c;/, args.join(' '));
  }
});

test('the daemon log, text and JSON, writes no terminal controls from a message', async (t) => {
  const { createDaemonLog } = await import('../../src/headless-side/daemon/log.js');
  for (const format of ['text', 'json'] as const) {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (d: Buffer) => (text += d.toString()));
    createDaemonLog({ format, stream })('error', 'failing', `the server said: ${HOSTILE}\u009b2J\nforged line`, { name: 'svc' });
    t.notRegex(text, ACTIVE, format);
    t.is(text.split('\n').length, 2, `${format}: one event, one line`);
  }
});
