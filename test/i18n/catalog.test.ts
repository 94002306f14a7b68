import test from 'ava';
import { catalog, createTranslator, detectLanguage, fill, langFromArgv, message, placeholders } from '../../src/i18n/index.js';
import type { MessageKey } from '../../src/i18n/index.js';
// the sections as written (the one source), to compare with the built files the CLI reads
import { en as enSections } from '../../src/i18n/en/index.js';
import { ja as jaSections } from '../../src/i18n/ja/index.js';
import { displayWidth, padEndToWidth, wrapToWidth } from '../../src/terminal/index.js';
import { CODES, HandoffError } from '../../src/errors.js';

const keys = (o: object): string[] => Object.keys(o).sort();
const en = catalog('en');
const ja = catalog('ja');

test('the catalogs the CLI reads (dist/i18n/LANG.json) are the sections, as built', (t) => {
  t.deepEqual(en, enSections);
  t.deepEqual(ja, jaSections);
  t.is(catalog('en'), en, 'read once');
});

test('the Japanese catalog has exactly the English keys', (t) => {
  t.deepEqual(keys(ja), keys(en));
  t.true(keys(en).length > 0);
});

test('every Japanese message has the same named placeholders as the English one', (t) => {
  const differ: string[] = [];
  for (const k of keys(en) as MessageKey[]) {
    if (placeholders(en[k]).join() !== placeholders(ja[k]).join()) differ.push(`${k}: en {${placeholders(en[k])}} ja {${placeholders(ja[k])}}`);
  }
  t.deepEqual(differ, []);
});

test('no Japanese message is left in English (a translation is not a copy)', (t) => {
  // a message may keep a command or option verbatim, but it must say something in Japanese
  const untranslated = (keys(en) as MessageKey[]).filter((k) => !/[\u3040-\u30ff\u4e00-\u9fff]/.test(ja[k]) && /[a-z]{3,} [a-z]{3,}/i.test(en[k]));
  t.deepEqual(untranslated, []);
});

test('the locale is read the way gettext reads it, and --lang / OAUTH_HANDOFF_LANG override it', (t) => {
  t.is(detectLanguage({}), 'en');
  t.is(detectLanguage({ LANG: 'C' }), 'en');
  t.is(detectLanguage({ LANG: 'POSIX' }), 'en');
  t.is(detectLanguage({ LANG: 'ja_JP.UTF-8' }), 'ja');
  t.is(detectLanguage({ LANG: 'ja' }), 'ja');
  t.is(detectLanguage({ LANG: 'java' }), 'en');
  t.is(detectLanguage({ LANG: 'ja_JP.UTF-8', LC_MESSAGES: 'C' }), 'en', 'LC_MESSAGES before LANG');
  t.is(detectLanguage({ LANG: 'C', LC_MESSAGES: 'C', LC_ALL: 'ja_JP.eucJP' }), 'ja', 'LC_ALL first');
  t.is(detectLanguage({ LANG: 'ja_JP.UTF-8', LC_ALL: '' }), 'ja', 'an empty variable does not count');
  t.is(detectLanguage({ LANG: 'ja_JP.UTF-8', OAUTH_HANDOFF_LANG: 'en' }), 'en');
  t.is(detectLanguage({ LANG: 'C', OAUTH_HANDOFF_LANG: 'ja' }), 'ja');
  t.is(detectLanguage({ LANG: 'ja_JP.UTF-8', OAUTH_HANDOFF_LANG: 'klingon' }), 'ja', 'a bad OAUTH_HANDOFF_LANG is ignored');
  t.is(detectLanguage({ OAUTH_HANDOFF_LANG: 'ja' }, 'en'), 'en', '--lang wins');
  t.is(langFromArgv(['status', '--lang', 'ja']), 'ja');
  t.is(langFromArgv(['status', '--lang=en']), 'en');
  t.is(langFromArgv(['exec', 'x', '--', 'cmd', '--lang', 'ja']), undefined, 'not past --');
});

test('placeholders are filled by name, and durations read naturally in both languages', (t) => {
  t.is(fill('{a} and {b}', { a: 1, b: 'two' }), '1 and two');
  t.is(fill('{a} and {missing}', { a: 1 }), '1 and {missing}');
  const enT = createTranslator('en');
  const jaT = createTranslator('ja');
  t.is(enT.duration(125 * 60_000), '2 h 5 min');
  t.is(jaT.duration(125 * 60_000), '2 時間 5 分');
  t.is(jaT.relative(3 * 60_000), '3 分後');
  t.is(enT.relative(-3 * 60_000), '3 min ago');
});

test('a library error carries its key and parameters, and its message stays English', (t) => {
  const e = new HandoffError(message('cli.lang.invalid', { value: 'fr' }), { code: CODES.USAGE });
  t.is(e.message, '--lang takes "en" or "ja", not "fr"');
  t.is(e.key, 'cli.lang.invalid');
  t.deepEqual(e.params, { value: 'fr' });
  t.regex(createTranslator('ja').render(e.key!, e.params), /"fr"/);
});

test('layout measures display width: Japanese characters take two columns', (t) => {
  t.is(displayWidth('abc'), 3);
  t.is(displayWidth('認可コード'), 10);
  t.is(displayWidth('\u001b[33mwarn\u001b[0m'), 4);
  t.is(padEndToWidth('状態', 6), '状態  ');
  for (const line of wrapToWidth('ブラウザで次の URL を開き、承認したら表示されたコードを貼り付けてください。'.repeat(3), 40)) t.true(displayWidth(line) <= 40, line);
});

test('no message key is defined in two sections (a later section would silently win)', async (t) => {
  const { readdir, readFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const { ROOT } = await import('../helpers/cli.js');
  for (const lang of ['en', 'ja']) {
    const dir = join(ROOT, 'src/i18n', lang);
    const seen = new Map<string, string>();
    const dupes: string[] = [];
    for (const f of (await readdir(dir)).filter((x) => x.endsWith('.ts') && x !== 'index.ts')) {
      for (const m of (await readFile(join(dir, f), 'utf8')).matchAll(/^\s*'([a-z][\w.-]*)':/gm)) {
        const k = m[1] as string;
        if (seen.has(k)) dupes.push(`${lang}: ${k} in ${seen.get(k)} and ${f}`);
        else seen.set(k, f);
      }
    }
    t.deepEqual(dupes, []);
  }
});

test('every exit code has its meaning in both catalogs (--help and the man page print them)', async (t) => {
  const { EXIT_MEANINGS } = await import('../../src/errors.js');
  for (const n of Object.keys(EXIT_MEANINGS)) {
    t.true(`exit.${n}` in en, `en exit.${n}`);
    t.true(`exit.${n}` in ja, `ja exit.${n}`);
  }
});
