/**
 * `authorize` under LANG=ja_JP.UTF-8 against the sandbox: a provider error
 * (a wrong client secret, a discovery that finds nothing) is told in Japanese
 * with its next step, the exit code and the `--json` error object are exactly
 * what LANG=C gives, and the page the browser lands on speaks the CLI's
 * language (`<html lang>`).
 */
import test from 'ava';
import type { ExecutionContext } from 'ava';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startSandbox } from '../../src/sandbox/index.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { runCli } from '../helpers/cli.js';
import { headlessMachine, laptop, printedAuthorizationUrl, startCli } from '../browser-side/helpers.js';

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

async function sandbox(t: ExecutionContext): Promise<Sandbox> {
  const s = await startSandbox({ profile: 'redmine', autoApprove: true });
  t.teardown(() => s.close());
  return s;
}

/** authorize with the given secret under LANG; the page the browser lands on and the finished run. */
async function authorizeOnce(t: ExecutionContext, s: Sandbox, lang: string, secret: string) {
  const server = await headlessMachine(t);
  const lap = await laptop(t, { LANG: lang });
  const secretFile = join(lap.base, 'secret.txt');
  await writeFile(secretFile, `${secret}\n`);
  const file = join(lap.base, 'x.ohs');
  const cli = startCli(
    t,
    ['authorize', '--provider', 'redmine', '--site', s.url, '--client-id', s.client.id, '--client-secret-file', secretFile, '--no-browser', '--to', server.publicKey, '-o', file, '--name', 'rm'],
    lap.env,
  );
  const landed = await fetch((await printedAuthorizationUrl(cli)).href);
  const page = await landed.text();
  const res = await cli.done;
  return { status: landed.status, page, res, file };
}

test('a wrong client secret under ja: Japanese error, cause and next step, the same exit code as LANG=C, and a Japanese failure page', async (t) => {
  const s = await sandbox(t);
  const ja = await authorizeOnce(t, s, 'ja_JP.UTF-8', 'wrong-secret');
  const c = await authorizeOnce(t, s, 'C', 'wrong-secret');

  t.is(c.res.code, 5, c.res.stderr);
  t.is(ja.res.code, c.res.code, 'the exit code does not depend on the language');
  // the terminal: the server's error code stays, the sentence around it and the likely cause are Japanese
  t.regex(ja.res.stderr, /エラー: トークンエンドポイント http:\/\/127\.0\.0\.1:\d+\/oauth\/token が invalid_client（HTTP 401）を返しました: クライアント認証に失敗しました/);
  t.regex(ja.res.stderr, /考えられる原因: クライアント ID かシークレットが誤っているか/);
  t.regex(ja.res.stderr, /プロバイダーに登録したクライアント ID とシークレット、スコープ、リダイレクト URI を確認してください/, 'the next step');
  t.notRegex(ja.res.stderr, /likely cause|was rejected|answered invalid_client/);
  t.false(ja.res.stderr.includes('wrong-secret'));
  // LANG=C is the English of before
  t.regex(c.res.stderr, /answered invalid_client \(HTTP 401\): client authentication failed.*likely cause: the client id or secret is wrong/);
  t.notRegex(c.res.stderr, JAPANESE);

  // the tab: Japanese under ja, English under C; never the secret
  t.is(ja.status, 400);
  t.regex(ja.page, /<html lang="ja">/);
  t.regex(ja.page, /認可に失敗しました/);
  t.regex(ja.page, /クライアント認証に失敗しました/);
  t.regex(ja.page, /何も保存していません/);
  t.notRegex(ja.page, /Authorization failed|Nothing was stored/);
  t.regex(c.page, /<html lang="en">/);
  t.regex(c.page, /Authorization failed/);
  t.notRegex(c.page, JAPANESE);
  t.false(ja.page.includes('wrong-secret'));
  t.false(existsSync(ja.file));
});

test('the success page is Japanese when the CLI runs under ja', async (t) => {
  const s = await sandbox(t);
  const ja = await authorizeOnce(t, s, 'ja_JP.UTF-8', s.client.secret!);
  t.is(ja.res.code, 0, ja.res.stderr);
  t.is(ja.status, 200);
  t.regex(ja.page, /<html lang="ja">/);
  t.regex(ja.page, /data-result="ok"/);
  t.regex(ja.page, /oauth-handoff がトークンを受け取りました/);
  t.notRegex(ja.page, /You can close this tab/);
  t.true(existsSync(ja.file));
});

test('a discovery that finds no metadata: Japanese under ja, the same exit code and --json as LANG=C', async (t) => {
  // a server that answers 404 to everything: neither RFC 8414 nor OpenID discovery finds a document
  const http = createServer((_req, res) => {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not here');
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => http.close(() => resolve())));
  const issuer = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const server = await headlessMachine(t);
  const args = ['authorize', '--provider', 'generic', '--issuer', issuer, '--client-id', 'x', '--redirect-uri', 'http://127.0.0.1:0/callback', '--no-browser', '--to', server.publicKey, '-o', 'never.ohs'];
  const lapJa = await laptop(t, { LANG: 'ja_JP.UTF-8' });
  const lapC = await laptop(t, { LANG: 'C' });
  const ja = await runCli([...args, '--json'], { env: lapJa.env });
  const c = await runCli([...args, '--json'], { env: lapC.env });
  t.is(c.code, 5, c.stderr);
  t.is(ja.code, c.code);
  t.is(ja.stdout, c.stdout.replaceAll(lapC.base, lapJa.base), '--json does not depend on the language');
  const err = (JSON.parse(ja.stdout) as { error: { code: string; message: string } }).error;
  t.is(err.code, 'PROVIDER_ERROR');
  t.regex(err.message, /^no usable authorization server metadata for /);
  t.notRegex(ja.stdout, JAPANESE);
  t.regex(ja.stderr, /の使える認可サーバーメタデータがありません: メタデータ文書 http:\/\/127\.0\.0\.1:\d+\/\.well-known\/oauth-authorization-server が OAuth エラーなしで HTTP 404（エラー）を返しました/);
  t.notRegex(ja.stderr, /no usable|answered HTTP/);
  t.regex(c.stderr, /no usable authorization server metadata for .*the metadata document .* answered HTTP 404 \(an error\) without an OAuth error/);
  t.notRegex(c.stderr, JAPANESE);
});
