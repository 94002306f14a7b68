/**
 * The catalogs are files of their own (dist/i18n/LANG.json, src/i18n/catalog-files.ts), read on
 * the first message in that language: not copied into the token bundles, and not read by a command
 * that says nothing. Which files a process reads is seen with NODE_DEBUG=module (Node.js's own
 * trace of require(), which reads them).
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { catalog } from '../../src/i18n/index.js';
import { cleanEnv, ROOT, runCli, tempDir } from '../helpers/cli.js';
import { settingsFrom, storeWith } from '../helpers/fixtures.js';

const catalogsRead = (stderr: string): string[] => [...new Set([...stderr.matchAll(/^MODULE \d+: load "[^"]*\/dist\/i18n\/([a-z]+)\.json"/gm)].map((m) => m[1] as string))].sort();
const humanLines = (stderr: string): string => stderr.split('\n').filter((l) => l !== '' && !l.startsWith('MODULE ')).join('\n');

test('no bundle carries a catalog: each language is one file beside them', async (t) => {
  const bundles = (await readdir(join(ROOT, 'dist'))).filter((f) => f.endsWith('.cjs'));
  t.true(bundles.includes('fast-token.cjs'));
  // long messages of both languages, as their JSON strings would appear in a bundle
  const samples = ['cli.bug', 'token.space', 'store.not_found'].flatMap((k) => [catalog('en'), catalog('ja')].map((c) => c[k as 'cli.bug']));
  for (const b of bundles) {
    const text = await readFile(join(ROOT, 'dist', b), 'utf8');
    for (const s of samples) t.false(text.includes(s), `${b} holds "${s}"`);
    t.regex(text, /require\("\.\/i18n\/en\.json"\)/, `${b} reads the catalog file`);
  }
  t.deepEqual((await readdir(join(ROOT, 'dist/i18n'))).sort(), ['en.json', 'ja.json']);
});

test('loading the library and every module of the CLI reads no catalog', (t) => {
  const script = `
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
const files = [];
const walk = (d) => { for (const f of readdirSync(d)) { const p = join(d, f); if (statSync(p).isDirectory()) { if (!/i18n[\\\\/](en|ja)$/.test(p)) walk(p); } else if (p.endsWith('.js')) files.push(p); } };
walk(process.argv[1]);
const cache = createRequire(import.meta.url).cache;
for (const f of files) {
  await import(f);
  if (Object.keys(cache).some((k) => /[\\\\/]i18n[\\\\/][a-z]+\\.json$/.test(k))) { console.log(f); process.exit(1); }
}
console.log(files.length);
`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script, join(ROOT, 'dist/src')], { encoding: 'utf8', timeout: 60_000 });
  t.is(r.status, 0, `importing ${r.stdout.trim()} read a catalog ${r.stderr}`);
  t.true(Number(r.stdout) > 100, r.stdout);
});

test('token reads a catalog only to speak, and only the language it speaks (English too for an error)', async (t) => {
  const base = await tempDir(t, 'oh-catalog-files-');
  const home = join(base, 'store');
  const src = { endpoints: { token: 'http://127.0.0.1:9/token' }, client: { id: 'c', secret: 's' } };
  const fresh = (access_token: string, name: string) => settingsFrom(src, { access_token, token_type: 'Bearer', expires_in: 36000, refresh_token: 'r'.repeat(40) }, { name });
  // a space in the token: served, with a warning
  await storeWith(home, fresh('a'.repeat(40), 'quiet'), fresh('abc def', 'spaced'));
  const run = (name: string, LANG: string) => runCli(['token', name], { env: cleanEnv(base, { OAUTH_HANDOFF_HOME: home, LANG, NODE_DEBUG: 'module' }) });

  for (const LANG of ['C', 'ja_JP.UTF-8']) {
    const quiet = await run('quiet', LANG);
    t.is(quiet.code, 0, quiet.stderr);
    t.is(quiet.stdout, `${'a'.repeat(40)}\n`);
    t.deepEqual(catalogsRead(quiet.stderr), [], `${LANG}: a token and nothing to say`);
  }

  const jaWarning = await run('spaced', 'ja_JP.UTF-8');
  t.is(jaWarning.code, 0);
  t.is(jaWarning.stdout, 'abc def\n');
  t.regex(humanLines(jaWarning.stderr), /^oauth-handoff: 警告: "spaced" のアクセストークンに空白/);
  t.deepEqual(catalogsRead(jaWarning.stderr), ['ja']);
  const cWarning = await run('spaced', 'C');
  t.regex(humanLines(cWarning.stderr), /^oauth-handoff: warning: the access token of "spaced" contains a space/);
  t.deepEqual(catalogsRead(cWarning.stderr), ['en']);

  // an error: its message is English for programs (HandoffError.message), and the user reads Japanese
  const jaError = await run('nope', 'ja_JP.UTF-8');
  t.is(jaError.code, 1);
  t.regex(humanLines(jaError.stderr), /エラー: .*認証情報「nope」はありません/);
  t.deepEqual(catalogsRead(jaError.stderr), ['en', 'ja']);
  const cError = await run('nope', 'C');
  t.is(cError.code, jaError.code);
  t.deepEqual(catalogsRead(cError.stderr), ['en']);
});
