/**
 * `oauth-handoff login`: authorize on the headless machine itself, for
 * servers where no settings file can be copied in. `--paste` shows the
 * authorization URL and takes the code (or the redirect URL) back on stdin;
 * `--device` uses the device authorization grant (RFC 8628) where the server
 * offers it; without a mode, device when offered, else paste. The credential
 * is stored sealed to this machine's key, like `import`.
 */
import { checkSelection, settingsFromTokens as grantSettings } from '../authorization/index.js';
import { openStoreForWriting } from '../credential/index.js';
import { CODES, HandoffError } from '../errors.js';
import { message } from '../i18n/index.js';
import { createHttpClient } from '../oauth/index.js';
import type { HttpClient, TokenSet } from '../oauth/index.js';
import { assertValidName } from '../settings-file/index.js';
import type { Settings } from '../settings-file/index.js';
import { USER_AGENT } from '../version.js';
import type { CommonOptions } from './common.js';
import { outputOf } from './common.js';
import { deviceLogin } from './login-device.js';
import { defaultReadPasted, pasteLogin } from './login-paste.js';
import type { ReadPasted } from './login-paste.js';
import { chooseRedirect, resolveLoginTarget } from './login-target.js';
import type { LoginTarget, ProviderSelection } from './login-target.js';
import { describeCredential, printStatus } from './status.js';

/** Default for --timeout, in seconds. */
export const DEFAULT_LOGIN_TIMEOUT_SECONDS = 600;

export type LoginMode = 'paste' | 'device';

export interface LoginOptions extends CommonOptions, ProviderSelection {
  /** undefined: device when the server offers it, else paste */
  mode?: LoginMode;
  /** the credential's name; default the provider id */
  name?: string;
  /** replace a credential of the same name */
  force?: boolean;
  /** seconds to wait for the pasted code or the device approval */
  timeoutSeconds?: number;
  /** draw QR codes (default true) */
  qr?: boolean;
  lockTimeoutMs?: number;
  /** an HTTP client (tests pass one; made on demand otherwise) */
  http?: HttpClient;
  /** where the pasted line comes from (default: a terminal prompt, or the first line of stdin) */
  readPasted?: ReadPasted;
  /** ask again at a terminal after unreadable input (default: when reading from a terminal) */
  interactive?: boolean;
  /** the wait between device-grant polls (default: a timer) */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The settings for a fresh grant, in the form `login` has always exported:
 * the shared `settingsFromTokens` of ../authorization with the target, the
 * token response and `now` as separate arguments.
 */
export function settingsFromTokens(
  target: LoginTarget,
  tokens: TokenSet,
  o: { name: string; now: number; via: string; redirectUri?: string },
): Settings {
  return grantSettings({ ...target, name: o.name, tokens, obtainedAt: o.now, via: o.via, redirectUri: o.redirectUri });
}

/** `oauth-handoff login [--paste | --device]` */
export async function loginCommand(o: LoginOptions): Promise<number> {
  const out = outputOf(o);
  const now = o.now ?? Date.now;
  const timeoutSeconds = o.timeoutSeconds ?? DEFAULT_LOGIN_TIMEOUT_SECONDS;
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
    throw new HandoffError(message('login.bad_timeout'), { code: CODES.USAGE });
  }
  const timeoutMs = timeoutSeconds * 1000;
  let http = o.http;
  const getHttp = async () => (http ??= await createHttpClient({ userAgent: USER_AGENT }));

  const name = assertValidName(o.name?.trim() || checkSelection(o).preset.id);

  // fail before anyone approves anything (or a client is registered): the name is taken, or the store cannot be written
  const { store, keyCreated } = await openStoreForWriting(o);
  if (keyCreated) out.info(out.t('login.key_made', { path: store.layout.keyFile }));
  if (!o.force && (await store.version(name)) !== undefined) {
    throw new HandoffError(message('import.exists', { name }), { code: CODES.EXISTS, credential: name });
  }
  const target = await resolveLoginTarget(o, { http: getHttp, out, env: o.env });

  let mode = o.mode;
  if (mode === 'device' && !target.endpoints.device_authorization) {
    throw new HandoffError(
      `${target.preset.title} offers no device authorization endpoint (RFC 8628): use --paste, or give --device-authorization-endpoint`,
      { code: CODES.USAGE },
    );
  }
  if (mode === undefined) {
    mode = target.endpoints.device_authorization ? 'device' : 'paste';
    out.info(out.t(mode === 'device' ? 'login.mode_device' : 'login.mode_paste'));
  }
  const where = target.site ?? target.endpoints.issuer ?? new URL(target.endpoints.token).origin;
  const summary = { mode, name, provider: target.preset.title, where, client: target.client.id };
  out.info(target.scopes.length ? out.t('login.summary_scopes', { ...summary, scopes: target.scopes.join(' ') }) : out.t('login.summary', summary));

  const qr = o.qr ?? true;
  let tokens: TokenSet;
  let redirectUri: string | undefined;
  if (mode === 'device') {
    tokens = await deviceLogin(target, {
      http: await getHttp(),
      out,
      now,
      sleep: o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
      qr,
      timeoutMs,
    });
  } else {
    if (!target.endpoints.authorization) {
      throw new HandoffError(message('login.no_authorization_endpoint', { provider: target.preset.title }), { code: CODES.USAGE });
    }
    const redirect = chooseRedirect(o, target.preset);
    const input = o.readPasted ? { read: o.readPasted, interactive: o.interactive ?? false } : defaultReadPasted();
    const r = await pasteLogin(target, redirect, {
      http: await getHttp(),
      out,
      now,
      read: input.read,
      interactive: o.interactive ?? input.interactive,
      qr,
      timeoutMs,
      name,
    });
    tokens = r.tokens;
    redirectUri = r.redirectUri;
  }

  const settings = grantSettings({ ...target, name, tokens, obtainedAt: now(), via: `login --${mode}`, redirectUri });
  await store.withWriteLock(
    name,
    async () => {
      if (!o.force && (await store.version(name)) !== undefined) {
        throw new HandoffError(message('login.stored_meanwhile', { name }), {
          code: CODES.EXISTS,
          credential: name,
        });
      }
      await store.write(settings);
    },
    o.lockTimeoutMs === undefined ? {} : { timeoutMs: o.lockTimeoutMs },
  );
  if (!tokens.refresh_token) out.warn(out.t('login.no_refresh'));
  const maxTokens = target.preset.maxRefreshTokensPerUser;
  if (maxTokens !== undefined) {
    out.warn(out.t('login.token_cap', { provider: target.preset.title, count: maxTokens }));
  }
  const status = describeCredential(settings, store.description, now());
  if (o.json) out.json(status);
  else {
    out.info(out.t('login.stored', { name, store: store.label.map((m) => out.i18n.render(m.key, m.params)).join(out.t('store.label.separator')) }));
    printStatus(out, [status], now(), 'stderr', store.label);
  }
  return 0;
}
