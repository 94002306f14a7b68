/**
 * Catalog messages made without loading the catalog: opening a file must load
 * only this folder (test/crypto/hot-path), so errors here cannot call the i18n
 * `message()`. Each call repeats the English template, and the type requires it
 * to be exactly the catalog's (`src/i18n/en/crypto.ts`), so the two cannot drift.
 */
import type { en } from '../i18n/en/index.js';
import type { Message, MessageKey, ParamsArg } from '../i18n/index.js';

const PLACEHOLDER = /\{([a-z][a-z0-9_]*)\}/gi;

export function said<K extends MessageKey>(key: K, text: (typeof en)[K], ...params: ParamsArg<K>): Message {
  const p = params[0] as Readonly<Record<string, string | number>> | undefined;
  if (p === undefined) return { key, text };
  return { key, params: p, text: text.replace(PLACEHOLDER, (whole, name: string) => (Object.hasOwn(p, name) ? String(p[name]) : whole)) };
}
