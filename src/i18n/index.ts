/**
 * The CLI's languages (issue 14): locale detection, the keyed catalogs, and
 * the translator. Programs read stable English (`--json`, log keys, codes,
 * exit codes, `HandoffError.message`); people read the catalog in their language.
 */
export { LANGUAGES, detectLanguage, isLang, langFromArgv, langOfAcceptLanguage, langOfLocale } from './locale.js';
export type { Lang } from './locale.js';
export type { Catalog, MessageKey, ParamsArg, PlaceholdersOf } from './catalog.js';
export { createTranslator, english } from './translator.js';
export type { Translator } from './translator.js';
export { message } from './message.js';
export type { Message } from './message.js';
export { fill, placeholders } from './format.js';
export type { NestedMessage, Params, ParamValue } from './format.js';
export { catalog } from './catalogs.js';
