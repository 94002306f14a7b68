import { createRequire } from 'node:module';
import type { Catalog } from './catalog.js';
import type { Lang } from './locale.js';

/**
 * The catalogs at run time: one built file per language, dist/i18n/en.json and dist/i18n/ja.json,
 * written by scripts/catalogs.mjs from the sections (src/i18n/en, src/i18n/ja: the one source) and
 * read on first use, one language at a time, so that a command which renders no message reads none.
 * This is the loader of the unbundled code (dist/src); the esbuild bundles (dist/*.cjs and the
 * single executable's assets) get their own, which requires the same files next to the bundle
 * (scripts/bundle-plugins.mjs). Both go through require(), so a process that holds both kinds of
 * code parses each file once.
 */
export function readCatalog(lang: Lang): Catalog {
  return createRequire(import.meta.url)(`../../i18n/${lang}.json`) as Catalog;
}
