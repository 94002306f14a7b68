/**
 * `oauth-handoff authorize`: on the machine with a browser, sign in and
 * approve, then write the encrypted settings file for the headless machine.
 * Every input is resolved and checked before the browser opens, because the
 * code must be exchanged at once and an approval should never be wasted.
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { checkSelection, chooseRedirect, resolveRecipients, resolveTarget, settingsFromTokens, shown } from '../authorization/index.js';
import type { AuthorizationTarget, ProviderSelection, RecipientDescription, ResolvedRecipients } from '../authorization/index.js';
import { armor } from '../crypto/index.js';
import { CODES, HandoffError } from '../errors.js';
import { createHttpClient } from '../oauth/index.js';
import type { ClientAuthMethod, HttpClient } from '../oauth/index.js';
import { assertValidName, PASSPHRASE_ENV, writeFileAtomic } from '../settings-file/index.js';
import type { Settings } from '../settings-file/index.js';
import { english, message } from '../i18n/index.js';
import type { Translator } from '../i18n/index.js';
import { createOutput } from '../terminal/index.js';
import type { Output } from '../terminal/index.js';
import { USER_AGENT } from '../version.js';
import { runAuthorization } from './flow.js';
import type { FlowEvent } from './flow.js';
import { sealSettings } from './handoff-file.js';
import { parseLoopbackRedirectUri } from './loopback.js';
import type { RefusalReason } from './loopback.js';
import {
  canOpenBrowser,
  copyToClipboard,
  promptPasted,
  readFirstLine,
  showUrl,
  startCountdown,
  systemBrowser,
} from './terminal-io.js';
import { clockTime, showHandoffScreen } from '../terminal/index.js';
import type { ScreenLine } from '../terminal/index.js';
import type { BrowserOpener, Countdown } from './terminal-io.js';

/** How long to wait for the approval, by default. */
export const DEFAULT_TIMEOUT_SECONDS = 300;

/**
 * The shared provider/client options (../authorization; `authorize` has no
 * device grant, and calls --scope `scope`) and the laptop's own.
 */
export interface AuthorizeOptions extends Omit<ProviderSelection, 'scopes' | 'deviceAuthorizationEndpoint'> {
  /** override the preset's (or the metadata's) client authentication */
  clientAuth?: ClientAuthMethod;
  /** scopes; each entry may hold several, space-separated; default: the preset's */
  scope?: string[];
  /** the credential's name; default: the provider id */
  name?: string;
  /** loopback (default) or oob */
  redirect?: 'loopback' | 'oob';
  /** extra authorization request parameters, KEY=VALUE */
  param?: string[];
  /** false = --no-browser: print the URL and a QR code only */
  browser?: boolean;
  /** false = --no-qr: never draw a QR code */
  qr?: boolean;
  /** seconds to wait for the approval; default 300 */
  timeout?: number;
  /** recipients' public keys (`ohpub1…`) */
  to?: string[];
  /** also seal to a passphrase (asked twice, or --passphrase-file / env) */
  passphrase?: boolean;
  passphraseFile?: string;
  /** write the sealed file here (0600, atomic) */
  output?: string;
  /** print the armored block on stdout (the default without --output) */
  armor?: boolean;
  /** put the armored block on the terminal's clipboard (OSC 52) */
  copy?: boolean;
  /** replace an existing --output file */
  force?: boolean;
  json?: boolean;
  // ─── injected (tests, demo) ───
  out?: Output;
  env?: NodeJS.ProcessEnv;
  now?: () => number;
  http?: HttpClient;
  openBrowser?: BrowserOpener;
  /** where a piped code is read from (default process.stdin) */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  signal?: AbortSignal;
}

/** Everything `authorize` decided before the browser step (the shared target, and more); what `demo` and tests reuse. */
export interface AuthorizePlan extends AuthorizationTarget {
  name: string;
  mode: 'loopback' | 'oob';
  redirectUri: string;
  extraParams?: Record<string, string>;
  timeoutMs: number;
  http: HttpClient;
}

export interface AuthorizeOutcome {
  settings: Settings;
  sealed: Uint8Array;
  recipients: RecipientDescription[];
}

function usage(message: string): HandoffError {
  return new HandoffError(message, { code: CODES.USAGE });
}

function parseParams(list: readonly string[] | undefined): Record<string, string> | undefined {
  if (!list || list.length === 0) return undefined;
  const params: Record<string, string> = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw usage(`the authorization parameter "${shown(item, 60)}" is not KEY=VALUE`);
    params[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return params;
}

/** What can be checked without any I/O: the preset, the name, the time limit, the parameters and the redirect. Throws USAGE. */
function checkAuthorizeOptions(o: AuthorizeOptions) {
  const selection: ProviderSelection = { ...o, scopes: o.scope };
  const { preset } = checkSelection(selection);
  const name = assertValidName(o.name ?? preset.id);
  const timeoutSeconds = o.timeout ?? DEFAULT_TIMEOUT_SECONDS;
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw usage('the time limit (--timeout) must be a positive number of seconds');
  const extraParams = parseParams(o.param);
  // the redirect: the same rule as `login` (../authorization/redirect.ts)
  const choice = chooseRedirect(o, preset, { side: 'browser' });
  const mode: 'loopback' | 'oob' = choice.kind === 'oob' ? 'oob' : 'loopback';
  const loopback = mode === 'loopback' ? parseLoopbackRedirectUri(choice.uri) : undefined;
  return { selection, preset, name, timeoutSeconds, extraParams, mode, redirectUri: choice.uri, loopback };
}

/** Resolve and check every input (no browser yet). Warnings go to `out`. */
export async function planAuthorization(o: AuthorizeOptions, out: Output): Promise<AuthorizePlan> {
  // the checks without I/O come first: nothing is asked or fetched for options that cannot work
  const { selection, preset, name, timeoutSeconds, extraParams, mode, redirectUri, loopback } = checkAuthorizeOptions(o);
  if (loopback) {
    const hosts = preset.redirect.loopbackHosts.map((h) => (h.includes(':') ? `[${h}]` : h));
    if (hosts.length > 0 && !hosts.includes(loopback.host)) {
      out.warn(out.t('authorize.loopback_host', { provider: preset.title, hosts: hosts.join(', '), host: loopback.host }));
    }
    if ((loopback.port === undefined || loopback.port === 0) && preset.redirect.exactMatch && !preset.redirect.anyPort) {
      out.warn(out.t('authorize.no_port', { provider: preset.title }));
    }
  }

  const http = o.http ?? (await createHttpClient({ userAgent: USER_AGENT }));
  const target = await resolveTarget(selection, { http: async () => http, out, ...(o.env ? { env: o.env } : {}) });
  const { endpoints, metadata: meta, scopes } = target;
  if (!endpoints.authorization) {
    throw usage(`no authorization endpoint for the ${preset.title} provider: give --authorization-endpoint, or an issuer whose metadata names one`);
  }

  const known = preset.scopes.known.length ? preset.scopes.known : meta?.scopes_supported ?? [];
  const unknown = known.length ? scopes.filter((s) => !known.includes(s)) : [];
  if (unknown.length) out.warn(out.t(unknown.length === 1 ? 'authorize.unknown_scope' : 'authorize.unknown_scopes', { scopes: unknown.map((s) => `"${shown(s, 40)}"`).join(', '), provider: preset.title, known: known.join(', ') }));

  const plan: AuthorizePlan = { ...target, name, mode, redirectUri, timeoutMs: timeoutSeconds * 1000, http };
  if (extraParams) plan.extraParams = extraParams;
  return plan;
}

function refusalText(reason: RefusalReason, out: Output): string | undefined {
  switch (reason) {
    case 'state-mismatch':
      return out.t('authorize.refused.state_mismatch');
    case 'state-missing':
      return out.t('authorize.refused.state_missing');
    case 'no-code':
      return out.t('authorize.refused.no_code');
    case 'late':
      return out.t('authorize.refused.late');
    default:
      return undefined;
  }
}

/** The next step on the headless machine, in words. */
function nextSteps(o: AuthorizeOptions, recipients: RecipientDescription[], tr: Translator): string[] {
  const pass = recipients.every((r) => r.type === 'passphrase');
  const variable = PASSPHRASE_ENV;
  const lines: string[] = [];
  if (o.output) {
    const name = basename(o.output);
    lines.push(pass ? tr.t('authorize.next.file_passphrase', { file: o.output, name, variable }) : tr.t('authorize.next.file', { file: o.output, name }));
  }
  if (o.armor || !o.output || o.copy) {
    if (o.copy) lines.push(pass ? tr.t('authorize.next.paste_clipboard_passphrase', { variable }) : tr.t('authorize.next.paste_clipboard'));
    else lines.push(pass ? tr.t('authorize.next.paste_printed_passphrase', { variable }) : tr.t('authorize.next.paste_printed'));
  }
  return lines;
}

/** `oauth-handoff authorize`: approve in a browser, write the sealed settings file. */
export async function authorizeCommand(o: AuthorizeOptions): Promise<number> {
  const out = o.out ?? createOutput(o.env ? { env: o.env } : {});
  const env = o.env ?? process.env;

  if (o.output !== undefined && !o.force) {
    const exists = await stat(o.output).then(
      () => true,
      () => false,
    );
    if (exists) throw new HandoffError(`the output file ${o.output} already exists`, { code: CODES.EXISTS });
  }
  // options that cannot work fail before anyone is asked for a passphrase
  checkAuthorizeOptions(o);
  const recipients = await resolveRecipients(o, out, { question: out.t('browser.seal.passphrase_question'), none: message('browser.seal.no_recipient') });
  const plan = await planAuthorization(o, out);
  const outcome = await authorizeWithPlan(plan, recipients, o, out);

  let writeError: unknown;
  if (o.output !== undefined) {
    try {
      await writeFileAtomic(o.output, outcome.sealed, { mode: 0o600, exclusive: !o.force });
    } catch (e) {
      // the grant exists now: do not lose it; print the block instead
      writeError = e;
    }
  }
  const armored = armor(outcome.sealed);
  const printArmor = o.armor || o.output === undefined || writeError !== undefined;
  if (o.json) {
    // documented fields are always there: null when absent
    out.json({
      name: outcome.settings.name,
      provider: outcome.settings.provider,
      site: outcome.settings.site ?? null,
      file: o.output !== undefined && writeError === undefined ? o.output : null,
      armor: printArmor ? armored : null,
      recipients: outcome.recipients,
      access_token_expires_at: outcome.settings.token.expires_at ?? null,
      has_refresh_token: outcome.settings.token.refresh_token !== undefined,
      refresh_token_expires_at: outcome.settings.token.refresh_token_expires_at ?? null,
      scope: outcome.settings.token.scope ?? null,
      next: nextSteps(o, outcome.recipients, english),
    });
  } else if (printArmor) {
    out.data(armored);
  }
  if (writeError !== undefined) {
    const why = (writeError as Error).message;
    throw new HandoffError(`cannot write ${o.output} (${why}); the sealed settings were printed as an armored block on stdout instead`, {
      code: CODES.INTERNAL,
      cause: writeError,
    });
  }
  if (o.copy) {
    if (copyToClipboard(armored, env)) out.info(out.t('authorize.copied'));
    else out.warn(out.t('authorize.no_terminal'));
  }
  if (!o.json) {
    const t = outcome.settings.token;
    out.info(out.t('authorize.done', { name: outcome.settings.name, provider: plan.preset.title }));
    out.info(t.expires_at ? out.t('authorize.expires_at', { at: t.expires_at }) : out.t('authorize.no_expiry'));
    if (t.refresh_token) out.info(t.refresh_token_expires_at ? out.t('authorize.refresh_issued_expires', { at: t.refresh_token_expires_at }) : out.t('authorize.refresh_issued'));
    else out.warn(out.t('authorize.no_refresh'));
    if (o.output !== undefined) out.info(out.t('authorize.wrote', { file: o.output, recipients: describeRecipients(outcome.recipients, out) }));
    for (const line of nextSteps(o, outcome.recipients, out.i18n)) out.info(line);
  }
  return 0;
}

function describeRecipients(list: RecipientDescription[], out: Output): string {
  return list.map((r) => (r.type === 'X25519' ? out.t('authorize.recipient.key', { fingerprint: r.fingerprint }) : out.t('authorize.recipient.passphrase'))).join(out.t('authorize.recipient.separator'));
}

/** The browser step and the sealing, with a plan and recipients already resolved. */
export async function authorizeWithPlan(
  plan: AuthorizePlan,
  recipients: ResolvedRecipients,
  o: Pick<AuthorizeOptions, 'browser' | 'qr' | 'openBrowser' | 'stdin' | 'signal' | 'env' | 'now'>,
  out: Output,
): Promise<AuthorizeOutcome> {
  const env = o.env ?? process.env;
  const now = o.now ?? Date.now;
  const stdin = o.stdin ?? process.stdin;
  const interactive = (stdin as { isTTY?: boolean }).isTTY === true;
  const useBrowser = o.browser !== false && (o.openBrowser !== undefined || canOpenBrowser(env));
  const opener = o.openBrowser ?? systemBrowser;
  // the phone path: shown a QR code, the person may approve elsewhere and paste the address back
  const pasteBeside = plan.mode === 'loopback' && !useBrowser && interactive;

  let countdown: Countdown | undefined;
  const onEvent = (e: FlowEvent) => {
    const text = e.kind === 'bad-paste' ? out.t('authorize.bad_paste', { message: e.message }) : refusalText(e.reason, out);
    if (!text) return;
    const print = () => out.warn(text);
    if (countdown) countdown.note(print);
    else print();
  };

  const cancel = new AbortController();
  const onSigint = () => cancel.abort();
  if (!o.signal) process.once('SIGINT', onSigint);
  const signal = o.signal ?? cancel.signal;

  const readPasted =
    plan.mode === 'oob'
      ? interactive
        ? (s: AbortSignal) => promptPasted(out.t('authorize.prompt.code'), { timeoutMs: plan.timeoutMs, signal: s, i18n: out.i18n, now })
        : (s: AbortSignal) => readFirstLine(stdin, { timeoutMs: plan.timeoutMs, signal: s, timedOut: message('browser.input.timeout', { seconds: Math.round(plan.timeoutMs / 1000) }) })
      : pasteBeside
        ? (s: AbortSignal) => promptPasted(out.t('authorize.prompt.address'), { timeoutMs: plan.timeoutMs, signal: s, i18n: out.i18n, now })
        : undefined;

  try {
    const result = await runAuthorization({
      preset: plan.preset,
      endpoints: plan.endpoints,
      client: plan.client,
      scopes: plan.scopes,
      mode: plan.mode,
      redirectUri: plan.redirectUri,
      pkce: plan.pkce,
      ...(plan.resource ? { resource: plan.resource } : {}),
      ...(plan.extraParams ? { extraParams: plan.extraParams } : {}),
      timeoutMs: plan.timeoutMs,
      http: plan.http,
      ...(readPasted ? { readPasted, retryBadPaste: interactive } : {}),
      onEvent,
      signal,
      now,
      i18n: out.i18n,
      present: async (url, info) => {
        const then: ScreenLine[] = [];
        if (plan.mode === 'oob') {
          then.push({ kind: 'info', text: out.t(interactive ? 'authorize.paste_code' : 'authorize.paste_code_stdin', { provider: plan.preset.title }) });
        } else if (pasteBeside) {
          then.push({ kind: 'info', text: out.t('authorize.waiting_phone', { uri: info.redirectUri }) });
        } else {
          then.push({ kind: 'info', text: out.t('authorize.waiting', { uri: info.redirectUri }) });
        }
        // the limit is said when the wait starts
        then.push({ kind: 'info', text: out.t('handoff.waiting_limit', { duration: out.i18n.duration(info.deadline - now()), until: clockTime(info.deadline) }) });
        if (useBrowser) {
          await showUrl(out, url, { qr: false, what: out.t('authorize.opening') });
          // not awaited: a browser that loads the page to its end (demo's) would wait for the answer,
          // which the listener gives only after the code exchange
          opener(url).catch((e: unknown) => out.warn(out.t('authorize.no_browser', { error: (e as Error).message })));
          for (const l of then) out.info(l.text);
        } else {
          // another device can take part only when a code or an address is pasted back here
          const elsewhere = plan.mode === 'oob' || pasteBeside;
          await showHandoffScreen(out, {
            intro: (qr) =>
              plan.mode === 'oob'
                ? out.t(qr ? 'handoff.open_url_qr' : 'handoff.open_url')
                : out.t(qr ? 'handoff.open_url_here_qr' : 'handoff.open_url_here'),
            url,
            then,
            qr: elsewhere && o.qr !== false,
            reserve: 1,
          });
        }
        // a prompt counts down by itself; without one (the listener alone, or a code piped in) this line does
        if (!(interactive && (plan.mode === 'oob' || pasteBeside))) countdown = startCountdown(out.stderr, info.deadline, out.t('wait.approval'), { now, i18n: out.i18n });
      },
    });
    countdown?.stop();
    countdown = undefined;
    out.info(out.t('authorize.exchanged', { endpoint: plan.endpoints.token }));
    const settings = settingsFromTokens({ ...plan, redirectUri: result.redirectUri, tokens: result.tokens, obtainedAt: result.obtainedAt, via: 'authorize' });
    const sealed = await sealSettings(settings, recipients.recipients, new Date(now()));
    return { settings, sealed, recipients: recipients.described };
  } finally {
    countdown?.stop();
    process.off('SIGINT', onSigint);
  }
}
