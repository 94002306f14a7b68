import type { StoreOptions } from '../credential/index.js';
import { CODES, HandoffError } from '../errors.js';
import { english, message } from '../i18n/index.js';
import type { Translator } from '../i18n/index.js';
import { SETTINGS_ENV } from '../settings-file/index.js';
import type { Settings } from '../settings-file/index.js';
import { hintFor } from '../terminal/index.js';
import type { Output } from '../terminal/index.js';
import type { CommonOptions } from './common.js';
import { outputOf } from './common.js';
import type { StatusOptions } from './status.js';
import { statusCommand } from './status.js';
import type { TokenOptions } from './token.js';
import { tokenCommand } from './token.js';

/** CI mode options shared by `token`, `exec` (and `--from-env` for `status`). */
export interface CiOptions {
  /** --from-env: the credential from $OAUTH_HANDOFF_SETTINGS, opened with $OAUTH_HANDOFF_KEY or $OAUTH_HANDOFF_PASSPHRASE */
  fromEnv?: boolean;
  /** --write-back FILE: after a change, write the updated armored settings there */
  writeBack?: string;
  /** --github-actions: emit ::add-mask:: for tokens before anything prints them (default: $GITHUB_ACTIONS === 'true') */
  githubActions?: boolean;
  /** --output NAME: also append NAME=<access token> to $GITHUB_OUTPUT */
  output?: string;
}

/** GitHub's step output names: letters, digits, `-` and `_`, starting with a letter or `_`. */
const OUTPUT_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export interface CiSession {
  /** what openStore needs: the env store, write-back, and the observer that masks and watches for rotation */
  storeOptions: StoreOptions;
  /** after the token is known: --output */
  finish(): Promise<void>;
  /** true when nothing CI-specific is on */
  readonly plain: boolean;
}

/**
 * Everything CI mode adds around a command, as store options plus one
 * finishing step. The observer sees each credential as the store hands it
 * out, so `::add-mask::` always comes before the token can be printed.
 */
export function ciSession(o: CiOptions & { env?: NodeJS.ProcessEnv }, out: Output): CiSession {
  const env = o.env ?? process.env;
  const github = o.githubActions ?? env.GITHUB_ACTIONS === 'true';
  if (o.writeBack !== undefined && !o.fromEnv) {
    throw new HandoffError(message('ci.write_back_needs_env'), { code: CODES.USAGE });
  }
  if (o.output !== undefined) {
    if (!OUTPUT_NAME.test(o.output)) throw new HandoffError(message('ci.bad_output_name', { name: o.output }), { code: CODES.USAGE });
    if (!env.GITHUB_OUTPUT) throw new HandoffError(message('ci.output_needs_github'), { code: CODES.USAGE });
  }
  const plain = !o.fromEnv && !github && o.output === undefined;
  const masked = new Set<string>();
  const mask = (value: string | undefined): void => {
    if (!github || value === undefined || value === '' || masked.has(value)) return;
    masked.add(value);
    // stderr: the runner reads workflow commands from both streams, and stdout may be `$(…)`
    out.raw(`::add-mask::${value}\n`);
  };
  let originalRefreshToken: string | undefined;
  let seen = false;
  let warned = false;
  let last: Settings | undefined;
  const observe = (s: Settings, event: 'read' | 'write'): void => {
    mask(s.token.access_token);
    mask(s.token.refresh_token);
    if (!seen) {
      seen = true;
      originalRefreshToken = s.token.refresh_token;
    }
    last = s;
    if (
      event === 'write' &&
      o.fromEnv &&
      o.writeBack === undefined &&
      !warned &&
      s.token.refresh_token !== undefined &&
      s.token.refresh_token !== originalRefreshToken
    ) {
      warned = true;
      out.warn(out.t('ci.rotated_lost', { name: s.name, variable: SETTINGS_ENV }));
    }
  };
  const storeOptions: StoreOptions = {};
  if (o.fromEnv) storeOptions.fromEnv = true;
  if (o.writeBack !== undefined) storeOptions.writeBack = o.writeBack;
  if (!plain) storeOptions.observe = observe;
  return {
    plain,
    storeOptions,
    async finish() {
      if (o.output === undefined || last === undefined) return;
      const token = last.token.access_token;
      if (/[\r\n]/.test(token)) throw new HandoffError(message('ci.token_line_break'), { code: CODES.PROVIDER_ERROR });
      const { appendFile } = await import('node:fs/promises');
      await appendFile(env.GITHUB_OUTPUT as string, `${o.output}=${token}\n`, { mode: 0o600 });
    },
  };
}

/** The "what to do next" line when the credential came from CI secrets, not a store. */
export function ciHintFor(e: HandoffError, tr: Translator = english): string | undefined {
  switch (e.code) {
    case CODES.REAUTH_REQUIRED:
      return tr.t('ci.hint.reauth', { variable: SETTINGS_ENV });
    case CODES.DECRYPT_FAILED:
    case CODES.BAD_KEY:
    case CODES.BAD_FILE:
      return tr.t('ci.hint.decrypt', { variable: SETTINGS_ENV });
    case CODES.NOT_FOUND:
      return tr.t('ci.hint.not_found', { variable: SETTINGS_ENV });
    default:
      return hintFor(e, tr);
  }
}

/** Runs a command in env mode; its HandoffErrors are reported with CI hints (others go to the CLI's report). */
export async function reportingForCi(o: CommonOptions & Pick<CiOptions, 'fromEnv'>, out: Output, fn: () => Promise<number>): Promise<number> {
  if (!o.fromEnv) return fn();
  try {
    return await fn();
  } catch (e) {
    if (!(e instanceof HandoffError)) throw e;
    out.info(out.t('cli.error', { message: e.key === undefined ? e.message : out.i18n.render(e.key, e.params) }));
    const hint = ciHintFor(e, out.i18n);
    if (hint) out.info(hint);
    if ((o.env ?? process.env).OAUTH_HANDOFF_DEBUG) out.raw(`${e.stack ?? ''}\n`);
    return e.exitCode;
  }
}

/** `{ ...o, ...extra }`, typed as `o`: store options travel to openStore inside a command's options. */
function withStore<T extends CommonOptions>(o: T, extra: StoreOptions): T {
  return { ...o, ...extra };
}

/** `oauth-handoff token NAME [--from-env] [--write-back FILE] [--github-actions] [--output NAME]` */
export async function ciTokenCommand(o: TokenOptions & CiOptions): Promise<number> {
  const out = outputOf(o);
  return reportingForCi(o, out, async () => {
    const ci = ciSession(o, out);
    if (ci.plain) return tokenCommand({ ...o, out });
    const code = await tokenCommand(withStore({ ...o, out }, ci.storeOptions));
    if (code === 0) await ci.finish();
    return code;
  });
}

/** `oauth-handoff status [NAME] --from-env` */
export async function ciStatusCommand(o: StatusOptions & Pick<CiOptions, 'fromEnv'>): Promise<number> {
  if (!o.fromEnv) return statusCommand(o);
  const out = outputOf(o);
  return reportingForCi(o, out, () => statusCommand(withStore({ ...o, out }, { fromEnv: true })));
}
