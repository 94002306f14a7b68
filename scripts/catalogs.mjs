// Writes dist/i18n/en.json and dist/i18n/ja.json, the message catalogs as the CLI reads them at run
// time (src/i18n/catalog-files.ts), from the sections assembled in src/i18n/{en,ja}/index.ts as tsc
// compiled them: the .ts sections stay the one source. One file per language, shared by the
// unbundled code (dist/src), the token bundles (dist/*.cjs) and, as assets, the single executable.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'dist/i18n');
mkdirSync(out, { recursive: true });
for (const lang of ['en', 'ja']) {
  const catalog = (await import(join(root, `dist/src/i18n/${lang}/index.js`)))[lang];
  if (!catalog || Object.keys(catalog).length === 0) throw new Error(`src/i18n/${lang}: no catalog`);
  const file = join(out, `${lang}.json`);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(catalog)}\n`);
  renameSync(`${file}.tmp`, file);
}
