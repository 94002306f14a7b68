import test from 'ava';
import type { ExecutionContext } from 'ava';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { armor, KDF_PRESETS, passphraseRecipient, seal, x25519Recipient } from '../../src/crypto/index.js';
import { encodeSettings, FileStore } from '../../src/settings-file/index.js';
import type { Settings } from '../../src/settings-file/index.js';
import { cleanEnv, runCli, tempDir } from '../helpers/cli.js';
import { settingsFrom, storeWith } from '../helpers/fixtures.js';

/**
 * The common errors under LANG=ja_JP.UTF-8: the error and its next step are
 * Japanese, while the exit code and the `--json` error object are exactly
 * what LANG=C gives (programs read stable English).
 */
const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

const fakeSettings = (name: string): Settings =>
  settingsFrom(
    { endpoints: { token: 'http://127.0.0.1:9/token' }, client: { id: 'client-1' } },
    { access_token: 'at-not-a-real-token', refresh_token: 'rt-not-a-real-token', expires_in: 3600, token_type: 'Bearer' },
    { name },
  );

async function setup(t: ExecutionContext) {
  const base = await tempDir(t);
  const home = `${base}/store`;
  await storeWith(home, fakeSettings('svc'));
  const c = cleanEnv(base, { OAUTH_HANDOFF_HOME: home, LANG: 'C' });
  const ja = cleanEnv(base, { OAUTH_HANDOFF_HOME: home, LANG: 'ja_JP.UTF-8' });
  const pub = (await runCli(['keygen', '--show'], { env: c })).stdout.trim();
  return { base, home, c, ja, pub };
}

/** Run `args` under both languages; the code and stdout (the --json object) must match; stderr is returned for each. */
async function both(t: ExecutionContext, args: string[], envs: { c: NodeJS.ProcessEnv; ja: NodeJS.ProcessEnv }, code: number) {
  const en = await runCli(args, { env: envs.c });
  const ja = await runCli(args, { env: envs.ja });
  t.is(en.code, code, en.stderr);
  t.is(ja.code, code, ja.stderr);
  t.is(ja.stdout, en.stdout, '--json output does not depend on the language');
  t.notRegex(en.stderr, JAPANESE, 'LANG=C is English');
  t.notRegex(ja.stdout, JAPANESE);
  return { en: en.stderr, ja: ja.stderr, json: en.stdout };
}

function jsonError(t: ExecutionContext, stdout: string, code: string, exit: number) {
  const err = (JSON.parse(stdout) as { error: { code: string; exit: number; message: string } }).error;
  t.is(err.code, code);
  t.is(err.exit, exit);
  t.notRegex(err.message, JAPANESE);
  return err;
}

test('a wrong passphrase on import: Japanese message and next step, exit 4 and the same --json', async (t) => {
  const s = await setup(t);
  const file = `${s.base}/pp.ohs`;
  await writeFile(file, await seal(encodeSettings(fakeSettings('pp')), [passphraseRecipient('correct horse battery', KDF_PRESETS.interactive)]));
  const envs = { c: { ...s.c, OAUTH_HANDOFF_PASSPHRASE: 'nope' }, ja: { ...s.ja, OAUTH_HANDOFF_PASSPHRASE: 'nope' } };
  const r = await both(t, ['import', file, '--json'], envs, 4);
  t.regex(r.en, /wrong passphrase/);
  t.regex(r.ja, /エラー: パスフレーズが違います/);
  t.regex(r.ja, /パスフレーズが正しいかを確認してください/);
  t.notRegex(r.ja, /wrong passphrase/);
  jsonError(t, r.json, 'DECRYPT_FAILED', 4);
});

test('a tampered file: Japanese message, exit 4', async (t) => {
  const s = await setup(t);
  const file = `${s.base}/t.ohs`;
  const sealed = await seal(encodeSettings(fakeSettings('t')), [x25519Recipient(s.pub)]);
  sealed[sealed.length - 1]! ^= 0x01;
  await writeFile(file, sealed);
  const r = await both(t, ['import', file, '--json'], s, 4);
  t.regex(r.en, /payload authentication failed/);
  t.regex(r.ja, /本体の認証に失敗しました（ファイルが改ざんされたか、壊れています）/);
  jsonError(t, r.json, 'DECRYPT_FAILED', 4);
});

test('a missing credential: Japanese message and next step, exit 1', async (t) => {
  const s = await setup(t);
  const r = await both(t, ['token', 'nope', '--json'], s, 1);
  t.regex(r.en, /no credential named "nope"/);
  t.regex(r.ja, /に認証情報「nope」はありません/);
  t.regex(r.ja, /`oauth-handoff status` でこのストアの認証情報を一覧できます/);
  jsonError(t, r.json, 'NOT_FOUND', 1);
});

test('a key file readable by others: Japanese message naming the chmod, exit 1', async (t) => {
  const s = await setup(t);
  await chmod(`${s.home}/key.txt`, 0o644);
  const r = await both(t, ['status', '--json'], s, 1);
  t.regex(r.en, /the key file .* is readable by group or others \(mode 0644\); run `chmod 600 /);
  t.regex(r.ja, /鍵ファイル .* はグループまたは他のユーザーが読めます（モード 0644）。`chmod 600 /);
  t.regex(r.ja, /権限を絞ってください/);
  jsonError(t, r.json, 'PERMISSIONS', 1);
});

test('a lock held by another process: Japanese message and next step, exit 6', async (t) => {
  const s = await setup(t);
  const store = await FileStore.open(s.home);
  const r = await store.withWriteLock('svc', () => both(t, ['forget', 'svc', '--lock-timeout', '1', '--json'], s, 6));
  t.regex(r.en, /timed out after 1 s waiting for the lock on credential "svc" \(held by process \d+ on /);
  t.regex(r.ja, /認証情報「svc」のロックを 1 秒待ちましたが、取得できませんでした（.* のプロセス \d+ が保持しています）/);
  t.regex(r.ja, /別の oauth-handoff プロセスがこの認証情報を更新中です/);
  jsonError(t, r.json, 'LOCK_TIMEOUT', 6);
  t.true((await readFile(`${s.home}/credentials/svc.ohs`)).length > 0, 'nothing was forgotten');
});

test('a tampered stored credential: the reason is Japanese too (a nested message), exit 4', async (t) => {
  const s = await setup(t);
  const file = `${s.home}/credentials/svc.ohs`;
  const bytes = await readFile(file);
  bytes[bytes.length - 1]! ^= 0x01;
  await writeFile(file, bytes);
  const r = await both(t, ['token', 'svc', '--json'], s, 4);
  t.regex(r.en, /the stored credential "svc" \(.*\) cannot be opened: payload authentication failed/);
  t.regex(r.ja, /保存されている認証情報「svc」（.*）を開けません: 本体の認証に失敗しました/);
  t.regex(r.ja, /`oauth-handoff forget svc`/);
  jsonError(t, r.json, 'BAD_FILE', 4);
});

test('a truncated armored block on import: Japanese message, exit 4', async (t) => {
  const s = await setup(t);
  const block = armor(await seal(encodeSettings(fakeSettings('cut')), [x25519Recipient(s.pub)]));
  const cut = block.split('\n').slice(0, -2).join('\n');
  const en = await runCli(['import', '-', '--json'], { env: s.c, input: cut });
  const ja = await runCli(['import', '-', '--json'], { env: s.ja, input: cut });
  t.is(en.code, 4, en.stderr);
  t.is(ja.code, 4, ja.stderr);
  t.is(ja.stdout, en.stdout);
  t.regex(en.stderr, /armored settings have no END line/);
  t.regex(ja.stderr, /アーマー形式の設定に END の行がありません/);
  jsonError(t, en.stdout, 'BAD_FILE', 4);
});

test('a passphrase file that does not exist: the thing and the path in a Japanese sentence, exit 1', async (t) => {
  const s = await setup(t);
  const file = `${s.base}/pp.ohs`;
  await writeFile(file, await seal(encodeSettings(fakeSettings('pp')), [passphraseRecipient('correct horse battery', KDF_PRESETS.interactive)]));
  const r = await both(t, ['import', file, '--passphrase-file', `${s.base}/missing.txt`, '--json'], s, 1);
  t.regex(r.en, /the passphrase file .*missing\.txt does not exist/);
  t.regex(r.ja, /パスフレーズのファイル .*missing\.txt がありません/);
  jsonError(t, r.json, 'NOT_FOUND', 1);
});
