import { freshSettings, openStore } from '../credential/index.js';
import type { RefreshDeps, RefreshOutcome } from '../credential/index.js';
import { DEFAULT_LOCK_TIMEOUT_MS, DEFAULT_MIN_VALID_SECONDS } from '../defaults.js';
import { tokenJson } from '../settings-file/index.js';
import type { CredentialStore } from '../settings-file/index.js';
import type { Output } from '../terminal/index.js';
import type { CommonOptions } from './common.js';
import { outputOf } from './common.js';

export { DEFAULT_MIN_VALID_SECONDS };

/** How long a wait for another process's lock stays silent. */
export const LOCK_NOTICE_AFTER_MS = 1000;

export interface TokenOptions extends CommonOptions, RefreshDeps {
  name: string;
  /** refresh first when the token expires within this many seconds */
  minValid?: number;
  lockTimeoutMs?: number;
}

/**
 * The token a command hands on (token prints it, exec passes it): refreshed
 * first when due; when a refresh fails for a passing reason and the current
 * token still works, that one, with a warning.
 */
export async function usableToken(store: CredentialStore, o: TokenOptions, out: Output, doing: 'token.serving_valid' | 'exec.serving_valid'): Promise<RefreshOutcome> {
  // waiting on another process's lock: say so after a moment instead of staying silent up to --lock-timeout
  let notice: NodeJS.Timeout | undefined;
  const onWait = () => {
    notice ??= setTimeout(() => out.info(out.t('wait.lock', { name: o.name, duration: out.i18n.duration(o.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS) })), LOCK_NOTICE_AFTER_MS);
    notice.unref();
  };
  let r: RefreshOutcome;
  try {
    r = await freshSettings(store, o.name, {
      minValidSeconds: o.minValid,
      lockTimeoutMs: o.lockTimeoutMs,
      now: o.now,
      http: o.http,
      serveValidOnFailure: true,
      onWait,
    });
  } finally {
    clearTimeout(notice);
  }
  if (r.warning) out.warn(out.t(doing, { name: o.name, reason: r.warning.key === undefined ? r.warning.message : out.i18n.render(r.warning.key, r.warning.params) }));
  // VSCHAR allows a space (token responses and files with anything else are refused), but a header cannot carry it safely
  if (r.settings.token.access_token.includes(' ')) out.warn(out.t('token.space', { name: o.name }));
  return r;
}

/**
 * `oauth-handoff token NAME`: prints only the access token, so
 * `$(oauth-handoff token x)` works. Refreshes first when due; when a refresh
 * fails for a passing reason and the old token still works, prints it and warns.
 */
export async function tokenCommand(o: TokenOptions): Promise<number> {
  const out = outputOf(o);
  const r = await usableToken(await openStore(o), o, out, 'token.serving_valid');
  if (o.json) out.json(tokenJson(r.settings.token));
  else out.data(r.settings.token.access_token + '\n');
  return 0;
}
