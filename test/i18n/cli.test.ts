import test from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv, runCli } from '../helpers/cli.js';

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

async function home(t: { teardown(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'oh-i18n-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('under LANG=ja_JP.UTF-8 an error and its next step are Japanese; under LANG=C English', async (t) => {
  const h = await home(t);
  const ja = await runCli(['status', '--store', join(h, 'store')], { env: cleanEnv(h, { LANG: 'ja_JP.UTF-8' }) });
  t.regex(ja.stderr, /エラー: /);
  t.regex(ja.stderr, /`oauth-handoff keygen` でこのマシンの鍵を作成してください/);
  const c = await runCli(['status', '--store', join(h, 'store')], { env: cleanEnv(h, { LANG: 'C' }) });
  t.regex(c.stderr, /error: /);
  t.notRegex(c.stderr, JAPANESE);
  t.is(ja.code, c.code, 'the exit code does not depend on the language');
});

test('--lang and OAUTH_HANDOFF_LANG override the locale; a bad --lang is a usage error', async (t) => {
  const h = await home(t);
  const forcedEn = await runCli(['providers', 'redmine', '--lang', 'en'], { env: cleanEnv(h, { LANG: 'ja_JP.UTF-8' }) });
  t.regex(forcedEn.stdout, /to register:/);
  t.notRegex(forcedEn.stdout, JAPANESE);
  const forcedJa = await runCli(['providers', 'redmine'], { env: cleanEnv(h, { LANG: 'C', OAUTH_HANDOFF_LANG: 'ja' }) });
  t.regex(forcedJa.stdout, /登録の手順:/);
  const bad = await runCli(['providers', '--lang', 'fr'], { env: cleanEnv(h) });
  t.is(bad.code, 2);
  t.regex(bad.stderr, /--lang takes "en" or "ja", not "fr"/);
});

test('providers shows the registration steps with the systems\' own Japanese screen labels', async (t) => {
  const h = await home(t);
  const r = await runCli(['providers', 'redmine'], { env: cleanEnv(h, { LANG: 'ja_JP.UTF-8' }) });
  t.is(r.code, 0);
  t.regex(r.stdout, /「管理」→「アプリケーション」→「新しいアプリケーション」/);
  t.regex(r.stdout, /「アプリケーションID」と「シークレット」/);
  const q = await runCli(['providers', 'questetra'], { env: cleanEnv(h, { LANG: 'ja_JP.UTF-8' }) });
  t.regex(q.stdout, /「システム設定」→「API クライアント」/);
});

test('--json output is the same English whatever the language', async (t) => {
  const h = await home(t);
  const en = await runCli(['providers', '--json'], { env: cleanEnv(h, { LANG: 'C' }) });
  const ja = await runCli(['providers', '--json'], { env: cleanEnv(h, { LANG: 'ja_JP.UTF-8' }) });
  t.is(en.code, 0);
  t.is(ja.stdout, en.stdout);
  t.notRegex(ja.stdout, JAPANESE);
});
