/**
 * The Japanese README's journeys run under LANG=ja_JP.UTF-8 exactly as a
 * reader types them (the runnable-docs harness: a fresh HOME, sandboxes, a
 * browser stand-in), and what the CLI says on the screen has no English
 * sentence left. Under LANG=C the same commands speak English.
 */
import test from 'ava';
import { ROOT } from '../helpers/cli.js';
import { blocksOf } from '../docs/blocks.js';
import { failureReport, runDocument } from '../docs/harness.js';
import { englishSentences } from './english.js';

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

test('the English-sentence finder finds sentences and leaves commands, URLs and identifiers alone', (t) => {
  t.deepEqual(englishSentences('oauth-handoff: imported "demo" into the file store'), ['oauth-handoff: imported "demo" into the file store']);
  t.deepEqual(englishSentences('oauth-handoff: "demo" を取り込みました（`oauth-handoff token demo` で使えます）'), []);
  t.deepEqual(englishSentences('  https://example.com/oauth/authorize?client_id=a&redirect_uri=b --client-id ID client_secret_post'), []);
});

test('the Japanese README, run under LANG=ja_JP.UTF-8, shows no English sentence', async (t) => {
  const blocks = (await blocksOf(ROOT, 'docs/ja/README.md')).filter((b) => b.runnable);
  t.true(blocks.length > 3);
  const r = await runDocument(blocks, { timeoutMs: 120_000, env: { LANG: 'ja_JP.UTF-8' } });
  t.true(r.ok, failureReport(r));
  t.regex(r.stderr, JAPANESE);
  t.deepEqual(englishSentences(r.stderr), []);
  // the relay recipe's laptop (person=relay) speaks Japanese too
  t.regex(r.laptop, JAPANESE);
  t.deepEqual(englishSentences(r.laptop), []);
});

test('the same commands under LANG=C speak English', async (t) => {
  const blocks = (await blocksOf(ROOT, 'README.md')).filter((b) => b.runnable).slice(0, 2);
  const r = await runDocument(blocks, { timeoutMs: 120_000, env: { LANG: 'C' } });
  t.true(r.ok, failureReport(r));
  t.notRegex(r.stderr + r.stdout, JAPANESE);
});
