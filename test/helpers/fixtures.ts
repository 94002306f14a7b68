import { join } from 'node:path';
import { createMachineKey, FileStore, storeLayout } from '../../src/settings-file/index.js';
import type { Settings } from '../../src/settings-file/index.js';

export interface TokenResponseLike {
  access_token: string;
  token_type: string;
  expires_in?: number;
  refresh_token?: string;
  scope?: string;
}

export interface GrantSource {
  endpoints: { token: string; authorization?: string; revocation?: string; issuer?: string };
  client: { id: string; secret?: string };
}

/** Settings as `authorize` would write them, from a token response. */
export function settingsFrom(
  src: GrantSource,
  t: TokenResponseLike,
  opts: { name?: string; provider?: string; now?: number; authMethod?: Settings['client']['auth_method'] } = {},
): Settings {
  const now = opts.now ?? Date.now();
  const endpoints: Settings['endpoints'] = { token: src.endpoints.token };
  if (src.endpoints.authorization) endpoints.authorization = src.endpoints.authorization;
  if (src.endpoints.revocation) endpoints.revocation = src.endpoints.revocation;
  const token: Settings['token'] = { access_token: t.access_token, token_type: 'Bearer', obtained_at: new Date(now).toISOString() };
  if (t.expires_in !== undefined) token.expires_at = new Date(now + t.expires_in * 1000).toISOString();
  if (t.refresh_token) token.refresh_token = t.refresh_token;
  if (t.scope) token.scope = t.scope;
  const client: Settings['client'] = { id: src.client.id, auth_method: opts.authMethod ?? (src.client.secret ? 'client_secret_basic' : 'none') };
  if (src.client.secret) client.secret = src.client.secret;
  return {
    format: 'oauth-handoff/settings',
    version: 1,
    name: opts.name ?? 'test',
    provider: opts.provider ?? 'generic',
    endpoints,
    client,
    scopes: t.scope ? t.scope.split(' ') : [],
    token,
    created: { at: new Date(now).toISOString(), by: 'test', host: 'localhost', tool: 'oauth-handoff test', via: 'test' },
    health: { state: 'ok' },
  };
}

/** A store with a machine key at `home`, holding `settings`. */
export async function storeWith(home: string, ...settings: Settings[]): Promise<FileStore> {
  const key = await createMachineKey(storeLayout(home));
  const store = await FileStore.openForWriting(home, key);
  for (const s of settings) await store.withWriteLock(s.name, () => store.write(s));
  return store;
}

export const storeDir = (base: string): string => join(base, 'store');
