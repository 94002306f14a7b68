/**
 * `login --paste`: the verifier-code hand-off. This machine makes the PKCE
 * verifier and `state` and keeps them; the person approves on any device and
 * pastes back the code (out-of-band page) or the whole URL the browser landed
 * on (loopback redirect). The code is exchanged at once: without the verifier
 * it is useless to anyone who saw it on the way.
 */
import { authorizationUrl, exchangeAuthorizationCode, newPendingAuthorization, probeAuthorizationUrl } from '../authorization/index.js';
import { CODES, HandoffError, isHandoffError } from '../errors.js';
import { message } from '../i18n/index.js';
import type { Message } from '../i18n/index.js';
import { parseAuthorizationResponse } from '../oauth/index.js';
import type { HttpClient, TokenSet } from '../oauth/index.js';
import { clockTime, promptPasted, readFirstLine, showHandoffScreen, startCountdown } from '../terminal/index.js';
import type { Output, ScreenLine } from '../terminal/index.js';
import type { LoginTarget, RedirectChoice } from './login-target.js';

/** Longest line accepted as a pasted code or URL. */
/** Attempts at a terminal before giving up on unreadable input (the authorization stays valid meanwhile). */
export const PASTE_ATTEMPTS = 3;

/** Where the pasted text comes from: the question is shown on a terminal; rejects ABORTED on timeout. */
export type ReadPasted = (question: string, timeoutMs: number) => Promise<string>;

export interface PasteRequest {
  url: string;
  state: string;
  /** stays on this machine */
  codeVerifier?: string;
  redirect: RedirectChoice;
}

/** RFC 6749 §4.1.1 + RFC 7636 §4.3: the authorization URL with a fresh state and S256 challenge. */
export function createPasteRequest(target: LoginTarget, redirect: RedirectChoice): PasteRequest {
  const pending = newPendingAuthorization(target);
  const url = authorizationUrl(target, pending, redirect.uri);
  return { url, state: pending.state, redirect, ...(pending.pkce ? { codeVerifier: pending.pkce.verifier } : {}) };
}

/** A rejected paste's reason for the person: the catalog text in their language when it has one. */
const said = (e: HandoffError, out: Output): string => (e.key === undefined ? e.message : out.i18n.render(e.key, e.params));

/** The URL quoted for a POSIX shell. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** "nothing was pasted within 10 min" as a catalog message (seconds under 2 min, else minutes). */
function withinMessage(kind: 'nothing_pasted' | 'nothing_usable' | 'no_stdin', ms: number): Message {
  const s = Math.round(ms / 1000);
  if (s < 120) return message(`paste.${kind}.s`, { n: s });
  return message(`paste.${kind}.min`, { n: Math.round(s / 60) });
}

export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  return `${Math.round(s / 60)} min`;
}

/** Pasted text without the quotes or angle brackets it was copied with ('…', "…", <…>). */
export function unwrapPasted(text: string): string {
  const s = text.trim();
  const m = /^(['"<])(.*)(['">])$/s.exec(s);
  if (!m) return s;
  const pair = `${m[1]}${m[3]}`;
  return pair === "''" || pair === '""' || pair === '<>' ? (m[2] as string).trim() : s;
}

export { clockTime } from '../terminal/index.js';

/**
 * What the person sees: a QR code (when it fits), the URL, the relay command
 * (when it fits), what to paste, and the time limit; on an 80x24 terminal
 * the URL is still on screen when the prompt is (src/terminal/screen.ts).
 */
export async function showPasteInstructions(
  out: Output,
  target: LoginTarget,
  req: PasteRequest,
  o: { qr: boolean; timeoutMs: number; now?: () => number },
): Promise<void> {
  // the way back first (what the browser will show, what to paste), then the relay as the other way
  const next: ScreenLine[] = [
    req.redirect.kind === 'url'
      ? { kind: 'info', text: out.t('handoff.after_loopback', { at: req.redirect.uri.split('?')[0] as string }) }
      : { kind: 'info', text: out.t('handoff.after_oob') },
  ];
  const then: ScreenLine[] = [];
  const codeSeconds = target.preset.lifetimes.authorizationCodeSeconds;
  if (codeSeconds !== undefined && codeSeconds <= 60) {
    then.push({ kind: 'warn', text: out.t('handoff.code_lifetime', { system: target.preset.title, seconds: codeSeconds }) });
  }
  const now = (o.now ?? Date.now)();
  then.push({ kind: 'info', text: out.t('handoff.waiting_paste', { duration: out.i18n.duration(o.timeoutMs), until: clockTime(now + o.timeoutMs) }) });
  const optional: ScreenLine[] =
    req.redirect.kind === 'url'
      ? [
          { kind: 'info', text: out.t('handoff.relay') },
          { kind: 'raw', text: `\n    oauth-handoff relay ${shellQuote(req.url)}\n\n` },
        ]
      : [];
  // on a screen too small for the relay line, its short form: the person puts the URL above into it
  const fallback: ScreenLine[] = req.redirect.kind === 'url' ? [{ kind: 'info', text: out.t('handoff.relay_short') }] : [];
  await showHandoffScreen(out, {
    intro: (qr) => out.t(qr ? 'handoff.open_url_qr' : 'handoff.open_url'),
    url: req.url,
    next,
    optional,
    fallback,
    then,
    qr: o.qr,
    reserve: 1,
  });
}


/** A terminal prompt when stdin is one, else the first line of stdin. */
export function defaultReadPasted(): { read: ReadPasted; interactive: boolean } {
  if (process.stdin.isTTY) {
    return {
      interactive: true,
      read: async (question, timeoutMs) => {
        const started = Date.now();
        try {
          return await promptPasted(question, { timeoutMs });
        } catch (e) {
          if (isHandoffError(e, CODES.ABORTED) && Date.now() - started >= timeoutMs - 50) {
            throw new HandoffError(withinMessage('nothing_pasted', timeoutMs), { code: CODES.ABORTED, cause: e });
          }
          throw e;
        }
      },
    };
  }
  return { interactive: false, read: (_question, timeoutMs) => readFirstLine(process.stdin, { timeoutMs, timedOut: withinMessage('no_stdin', timeoutMs) }) };
}

export interface PasteFlowDeps {
  http: HttpClient;
  out: Output;
  now: () => number;
  read: ReadPasted;
  /** at a terminal, unreadable input is asked for again (up to PASTE_ATTEMPTS) */
  interactive: boolean;
  qr: boolean;
  timeoutMs: number;
  /** the credential's name, for error messages */
  name?: string;
}

/** Show the URL, take the pasted answer, check it, and exchange the code at once. */
/** Authorizations offered in one `login --paste` at a terminal: the first, and fresh ones after a rejected code. */
export const AUTHORIZATION_ROUNDS = 3;

/**
 * Show the URL, take the pasted answer, check it, and exchange the code at
 * once. At a terminal, a rejected code (reused, expired: Confluence and Jira
 * codes live 10–60 s) offers a fresh authorization — a new URL, the same
 * command — instead of ending the login.
 */
export async function pasteLogin(target: LoginTarget, redirect: RedirectChoice, deps: PasteFlowDeps): Promise<{ tokens: TokenSet; redirectUri: string }> {
  for (let round = 1; ; round++) {
    try {
      return await pasteOnce(target, redirect, deps);
    } catch (e) {
      if (!deps.interactive || round >= AUTHORIZATION_ROUNDS || !isHandoffError(e, CODES.REAUTH_REQUIRED)) throw e;
      deps.out.warn(e.message);
      const ttl = target.preset.lifetimes.authorizationCodeSeconds;
      if (ttl !== undefined) deps.out.info(deps.out.t('handoff.code_lifetime_retry', { system: target.preset.title, seconds: ttl }));
      const answer = await deps.read(deps.out.t('handoff.fresh_authorization'), deps.timeoutMs);
      if (/^n/i.test(answer.trim())) throw e;
    }
  }
}

async function pasteOnce(target: LoginTarget, redirect: RedirectChoice, deps: PasteFlowDeps): Promise<{ tokens: TokenSet; redirectUri: string }> {
  const req = createPasteRequest(target, redirect);
  // fail fast: a wrong site, client or redirect URI shows before the person opens the URL
  await probeAuthorizationUrl(deps.http, req.url, req.redirect.uri);
  await showPasteInstructions(deps.out, target, req, { qr: deps.qr, timeoutMs: deps.timeoutMs, now: deps.now });
  const deadline = deps.now() + deps.timeoutMs;
  const question = redirect.kind === 'oob' ? deps.out.t('paste.question.code') : deps.out.t('paste.question.landed');
  let code: string | undefined;
  for (let attempt = 1; code === undefined; attempt++) {
    const left = deadline - deps.now();
    if (left <= 0) throw new HandoffError(withinMessage('nothing_usable', deps.timeoutMs), { code: CODES.ABORTED });
    // without a terminal to prompt on (ssh without -t, a pipe), the wait still shows: a plain line now and then
    const countdown = deps.interactive ? undefined : startCountdown(deps.out.stderr, deadline, deps.out.t('wait.paste'), { now: deps.now, i18n: deps.out.i18n });
    const input = unwrapPasted(await deps.read(question, left).finally(() => countdown?.stop()));
    try {
      code = parseAuthorizationResponse(input, {
        state: req.state,
        allowMissingState: redirect.allowMissingState,
        ...(redirect.kind === 'url' ? { redirectUri: redirect.uri } : {}),
        ...(target.endpoints.issuer ? { issuer: target.endpoints.issuer } : {}),
      }).code;
    } catch (e) {
      if (!deps.interactive || attempt >= PASTE_ATTEMPTS || !(isHandoffError(e, CODES.USAGE) || isHandoffError(e, CODES.FOREIGN_RESPONSE))) throw e;
      // the wait's end again: the time printed when it started has scrolled away by now
      const until = clockTime(deadline);
      deps.out.warn(PASTE_ATTEMPTS - attempt === 1 ? deps.out.t('login.bad_paste_one', { message: said(e, deps.out), until }) : deps.out.t('login.bad_paste_many', { message: said(e, deps.out), count: PASTE_ATTEMPTS - attempt, until }));
    }
  }
  return { tokens: await exchangeCode(target, req, code, deps), redirectUri: redirect.uri };
}

/** RFC 6749 §4.1.3 with the verifier this machine kept; a rejected code says what may be wrong. */
export async function exchangeCode(target: LoginTarget, req: PasteRequest, code: string, deps: { http: HttpClient; name?: string }): Promise<TokenSet> {
  try {
    return await exchangeAuthorizationCode(deps.http, target, {
      code,
      redirectUri: req.redirect.uri,
      ...(req.codeVerifier ? { codeVerifier: req.codeVerifier } : {}),
    });
  } catch (e) {
    if (!isHandoffError(e, CODES.REAUTH_REQUIRED)) throw e;
    const server = e.oauth?.error_description;
    const ttl = target.preset.lifetimes.authorizationCodeSeconds;
    const provider = target.preset.title;
    throw new HandoffError(
      server === undefined
        ? ttl === undefined
          ? message('paste.code_rejected')
          : message('paste.code_rejected.ttl', { provider, ttl })
        : ttl === undefined
          ? message('paste.code_rejected.said', { server })
          : message('paste.code_rejected.said_ttl', { server, provider, ttl }),
      // no credential: nothing of that name was stored or changed
      { code: CODES.REAUTH_REQUIRED, cause: e, ...(e.oauth ? { oauth: e.oauth } : {}) },
    );
  }
}
