import test from 'ava';
import { langOfAcceptLanguage } from '../../src/i18n/index.js';
import { startSandbox } from '../../src/sandbox/index.js';

test('Accept-Language picks the page language by q, falling back when it names none of ours', (t) => {
  t.is(langOfAcceptLanguage(undefined), 'en');
  t.is(langOfAcceptLanguage('ja,en-US;q=0.9,en;q=0.8'), 'ja');
  t.is(langOfAcceptLanguage('en-US,en;q=0.9,ja;q=0.8'), 'en');
  t.is(langOfAcceptLanguage('fr-FR,ja;q=0.5'), 'ja');
  t.is(langOfAcceptLanguage('fr-FR', 'ja'), 'ja');
  t.is(langOfAcceptLanguage('ja;q=0'), 'en', 'q=0 means "not this"');
});

test("the sandbox's approval page speaks the browser's language", async (t) => {
  const sandbox = await startSandbox({ profile: 'redmine' });
  t.teardown(() => sandbox.close());
  const url = new URL(sandbox.endpoints.authorization);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: sandbox.client.id,
    redirect_uri: 'http://127.0.0.1:9/callback',
    scope: 'view_issues',
    state: 's',
  }).toString();
  const ja = await (await fetch(url, { headers: { 'accept-language': 'ja-JP,ja;q=0.9' } })).text();
  t.regex(ja, /<html lang="ja">/);
  t.regex(ja, /id="approve"[^>]*>承認</);
  t.regex(ja, /を承認しますか？/);
  const en = await (await fetch(url, { headers: { 'accept-language': 'en-US' } })).text();
  t.regex(en, /id="approve"[^>]*>Approve</);
  t.notRegex(en, /[\u3040-\u30ff\u4e00-\u9fff]/);
});
