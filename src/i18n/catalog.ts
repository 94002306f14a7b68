import type { ParamValue } from './format.js';
import type { en } from './en/index.js';

export type English = typeof en;
/** Every message id. A misspelt id does not compile. */
export type MessageKey = keyof English;
/** A catalog for one language: exactly the English keys. */
export type Catalog = { readonly [K in MessageKey]: string };

type PlaceholderOf<S extends string> = S extends `${string}{${infer P}}${infer Rest}` ? P | PlaceholderOf<Rest> : never;
/** The named placeholders of one message, from its English text. */
export type PlaceholdersOf<K extends MessageKey> = PlaceholderOf<English[K]>;
/** `t(key)` for a message without placeholders, `t(key, { name })` for one with them: a missing or misspelt placeholder does not compile. */
export type ParamsArg<K extends MessageKey> = [PlaceholdersOf<K>] extends [never] ? [] : [params: Readonly<Record<PlaceholdersOf<K>, ParamValue>>];
