import type { Catalog } from './catalog.js';
import { readCatalog } from './catalog-files.js';
import type { Lang } from './locale.js';

const loaded: Partial<Record<Lang, Catalog>> = {};

/** The catalog of one language, read when first asked for (src/i18n/catalog-files.ts). */
export function catalog(lang: Lang): Catalog {
  return (loaded[lang] ??= readCatalog(lang));
}
