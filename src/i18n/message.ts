import type { MessageKey, ParamsArg } from './catalog.js';
import { catalog } from './catalogs.js';
import { fill } from './format.js';
import type { Params } from './format.js';

/**
 * A message as data: its catalog key, its parameters, and its English text.
 * Library errors carry one (`new HandoffError(message('store.not_found', { name }), …)`):
 * `error.message` stays English for programs, and the CLI renders the key in
 * the user's language.
 */
export interface Message {
  readonly key: MessageKey;
  readonly params?: Params;
  readonly text: string;
}

export function message<K extends MessageKey>(key: K, ...params: ParamsArg<K>): Message {
  const p = params[0] as Params | undefined;
  const en = catalog('en');
  return p === undefined ? { key, text: en[key] } : { key, params: p, text: fill(en[key], p) };
}
