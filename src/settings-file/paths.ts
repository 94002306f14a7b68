import envPaths from 'env-paths';
import { join } from 'node:path';

export const HOME_ENV = 'OAUTH_HANDOFF_HOME';
export const APP_NAME = 'oauth-handoff';
export const CREDENTIAL_SUFFIX = '.ohs';

/**
 * Where the store lives: --store DIR, else $OAUTH_HANDOFF_HOME, else the
 * platform config dir (on Linux $XDG_CONFIG_HOME/oauth-handoff, normally
 * ~/.config/oauth-handoff).
 */
export function resolveHome(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  return explicit || env[HOME_ENV] || envPaths(APP_NAME, { suffix: '' }).config;
}

export interface StoreLayout {
  home: string;
  /** this machine's X25519 identity, 0600 */
  keyFile: string;
  /** one sealed file per credential, 0700 */
  credentialsDir: string;
}

export function storeLayout(home: string): StoreLayout {
  return { home, keyFile: join(home, 'key.txt'), credentialsDir: join(home, 'credentials') };
}
