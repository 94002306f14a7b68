/**
 * `login --device`: the device authorization grant (RFC 8628). The server
 * gives a user code; the person enters it (or opens the complete URI) on any
 * device; this machine polls the token endpoint at the server's interval.
 */
import { scopeParameter } from '../authorization/index.js';
import { CODES, HandoffError, isHandoffError } from '../errors.js';
import {
  deviceAuthorizationRequest,
  deviceCodeGrantRequest,
  processDeviceAuthorizationResponse,
  processDeviceCodeResponse,
  SLOW_DOWN_INCREMENT_SECONDS,
} from '../oauth/index.js';
import type { DeviceAuthorization, HttpClient, TokenSet } from '../oauth/index.js';
import { showHandoffScreen, startCountdown } from '../terminal/index.js';
import type { Output, ScreenLine } from '../terminal/index.js';
import { clockTime, duration } from './login-paste.js';
import type { LoginTarget } from './login-target.js';

/** Longest wait between polls after repeated network trouble, in seconds. */
export const MAX_POLL_BACKOFF_SECONDS = 60;
/** Upper bound on polls, whatever the server says (RFC 8628 §3.5 loops must end). */
export const MAX_POLLS = 5000;

export interface DeviceFlowDeps {
  http: HttpClient;
  out: Output;
  now: () => number;
  /** waits between polls; tests pass one that records the intervals */
  sleep: (ms: number) => Promise<void>;
  qr: boolean;
  /** give up after this long even if the device code lives longer */
  timeoutMs: number;
}

export interface DevicePollEvent {
  /** what the last poll came to */
  outcome: 'authorization_pending' | 'slow_down' | 'unavailable';
  /** seconds until the next poll */
  interval: number;
}

/** RFC 8628 §3.1–3.2: ask for a device code and a user code. */
export async function startDeviceAuthorization(target: LoginTarget, http: HttpClient): Promise<DeviceAuthorization> {
  const scope = scopeParameter(target);
  const res = await deviceAuthorizationRequest(http, target.endpoints, target.client, {
    ...(scope !== undefined ? { scope } : {}),
    ...(target.resource ? { resource: target.resource } : {}),
  });
  return processDeviceAuthorizationResponse(res);
}

/**
 * RFC 8628 §3.3: show the user code and where to enter it, as text and a QR
 * code when it fits the terminal (src/terminal/screen.ts), then the limit.
 */
export async function showDeviceInstructions(
  out: Output,
  da: DeviceAuthorization,
  o: { qr: boolean; waitMs: number; now?: () => number },
): Promise<void> {
  const now = (o.now ?? Date.now)();
  const enter: ScreenLine[] = [
    { kind: 'info', text: out.t('handoff.device_enter_code', { uri: da.verification_uri }) },
    { kind: 'raw', text: `\n    ${da.user_code}\n\n` },
  ];
  const waiting: ScreenLine = { kind: 'info', text: out.t('handoff.device_waiting', { duration: out.i18n.duration(o.waitMs), until: clockTime(now + o.waitMs) }) };
  if (da.verification_uri_complete) {
    await showHandoffScreen(out, {
      before: enter,
      intro: (qr) => out.t(qr ? 'handoff.device_open_complete_qr' : 'handoff.device_open_complete'),
      url: da.verification_uri_complete,
      then: [waiting],
      qr: o.qr,
    });
  } else {
    for (const l of enter) if (l.kind === 'info') out.info(l.text);
    else out.raw(l.text);
    out.info(waiting.text);
  }
}

/**
 * RFC 8628 §3.4–3.5: poll until the person approves or refuses, or the code
 * expires. `authorization_pending` → poll again after the interval;
 * `slow_down` → the interval grows by 5 s for this and every later poll;
 * `expired_token` and `access_denied` end it (ABORTED); a transient failure
 * (network, 5xx, 429) → back off (doubling, at most 60 s) and go on while the
 * code lives. Any other error ends it.
 */
export async function pollDeviceToken(
  target: LoginTarget,
  da: DeviceAuthorization,
  deps: Omit<DeviceFlowDeps, 'out' | 'qr'> & { onPoll?: (e: DevicePollEvent) => void },
): Promise<TokenSet> {
  const started = deps.now();
  const expiresAt = started + da.expires_in * 1000;
  const deadline = Math.min(expiresAt, started + deps.timeoutMs);
  let interval = da.interval;
  let backoff = 0;
  for (let poll = 0; poll < MAX_POLLS; poll++) {
    const wait = Math.max(interval, backoff) * 1000;
    if (deps.now() + wait > deadline) {
      // no poll fits before the end: wait it out, so "expired" is true when it is said
      const rest = deadline - deps.now();
      if (rest > 0) await deps.sleep(rest);
      break;
    }
    await deps.sleep(wait);
    let outcome;
    try {
      outcome = processDeviceCodeResponse(
        await deviceCodeGrantRequest(deps.http, target.endpoints, target.client, da.device_code, target.resource ? { resource: target.resource } : {}),
      );
    } catch (e) {
      if (!isHandoffError(e, CODES.PROVIDER_UNAVAILABLE)) throw e;
      backoff = Math.min(MAX_POLL_BACKOFF_SECONDS, Math.max(interval, e.oauth?.retryAfter ?? 0, backoff * 2));
      deps.onPoll?.({ outcome: 'unavailable', interval: backoff });
      continue;
    }
    backoff = 0;
    switch (outcome.status) {
      case 'success':
        return outcome.tokens;
      case 'authorization_pending':
        deps.onPoll?.({ outcome: 'authorization_pending', interval });
        continue;
      case 'slow_down':
        interval += SLOW_DOWN_INCREMENT_SECONDS;
        deps.onPoll?.({ outcome: 'slow_down', interval });
        continue;
      case 'expired_token':
        throw new HandoffError(
          `the device code expired before the approval${outcome.error_description ? ` (${outcome.error_description})` : ''}; nothing was stored`,
          { code: CODES.ABORTED, oauth: { error: 'expired_token' } },
        );
      case 'access_denied':
        throw new HandoffError(
          `the authorization was denied${outcome.error_description ? ` (${outcome.error_description})` : ''}; nothing was stored`,
          { code: CODES.ABORTED, oauth: { error: 'access_denied' } },
        );
    }
  }
  const why = deadline === expiresAt ? `the device code expired (after ${duration(da.expires_in * 1000)})` : `no approval within ${duration(deps.timeoutMs)}`;
  throw new HandoffError(`${why}; nothing was stored`, { code: CODES.ABORTED });
}

/** The whole device flow: ask, show, poll. */
export async function deviceLogin(target: LoginTarget, deps: DeviceFlowDeps): Promise<TokenSet> {
  const da = await startDeviceAuthorization(target, deps.http);
  const waitMs = Math.min(da.expires_in * 1000, deps.timeoutMs);
  await showDeviceInstructions(deps.out, da, { qr: deps.qr, waitMs, now: deps.now });
  const countdown = startCountdown(deps.out.stderr, deps.now() + waitMs, deps.out.t('wait.approval'), { now: deps.now, i18n: deps.out.i18n });
  try {
    return await pollDeviceToken(target, da, {
      ...deps,
      onPoll: (e) =>
        countdown.note(() => {
          if (e.outcome === 'slow_down') deps.out.info(deps.out.t('login.slow_down', { seconds: e.interval }));
          else if (e.outcome === 'unavailable') deps.out.warn(deps.out.t('login.unavailable', { seconds: e.interval }));
        }),
    });
  } finally {
    countdown.stop();
  }
}
