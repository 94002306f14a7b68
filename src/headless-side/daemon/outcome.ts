/**
 * What happens to a credential's record when the daemon learns something:
 * the settings were read (absorb), a refresh attempt ended well or failed,
 * its access token ran out while refreshes failed, its refresh token nears
 * its expiry. Each outcome sets the state, plans the next step, logs one
 * event, runs a hook once per cause, writes the state file and tells the
 * observers (sinks, metrics, systemd).
 */
import { reauthError } from '../../credential/index.js';
import { CODES, HandoffError } from '../../errors.js';
import type { Settings } from '../../settings-file/index.js';
import { hintFor } from '../../terminal/index.js';
import type { AttemptOutcome } from './attempt.js';
import { failureKind } from './attempt.js';
import type { HookRunner } from './hooks.js';
import { english } from '../../i18n/index.js';
import type { Translator } from '../../i18n/index.js';
import { clauses, errorText, logDuration } from './log.js';
import type { DaemonLog } from './log.js';
import type { Planner } from './plan.js';
import { clearFailures, iso, recordOf, remember, takeFacts } from './record.js';
import type { Entry } from './record.js';
import type { DaemonObserver, DaemonOptions } from './runtime.js';
import { DEFAULT_BACKOFF_BASE_MS, DEFAULT_BACKOFF_MAX_MS, SECOND, backoffDelay, retryBeforeExpiry } from './schedule.js';
import { writeDaemonState } from './state-file.js';
import type { NextAttemptReason } from './state-file.js';

export interface OutcomeContext {
  o: Pick<DaemonOptions, 'store' | 'home' | 'backoffBaseMs' | 'backoffMaxMs' | 'random'>;
  log: DaemonLog;
  planner: Planner;
  hooks: HookRunner;
  tell(fn: (ob: DaemonObserver) => void): void;
  stopping(): boolean;
}

export class Outcomes {
  private readonly c: OutcomeContext;

  constructor(c: OutcomeContext) {
    this.c = c;
  }

  /** Settings → the record; says when the grant turned out dead. The settings themselves are not kept. */
  absorb(e: Entry, s: Settings): void {
    takeFacts(e, s);
    if (e.health === 'reauthorization_required') {
      const was = e.status;
      e.status = 'reauthorization_required';
      e.retryAt = undefined;
      const message = s.health.message ?? 'the provider rejected its refresh token';
      if (was !== 'reauthorization_required') this.reauthRequired(e, reauthError(s));
      else this.notify(e, `reauth:${e.obtainedAt}`, 'reauthorization_required', message);
      return;
    }
    if (!e.hasRefreshToken) {
      if (e.status !== 'not_refreshable') {
        this.c.log('warning', 'not_refreshable', (t) => t.t('daemon.not_refreshable'), { name: e.name });
      }
      e.status = 'not_refreshable';
    } else if (e.status !== 'retrying' && e.status !== 'failing' && e.status !== 'client_rejected') e.status = 'scheduled';
    if (e.expiresAt === undefined || e.expiresAt > Date.now()) this.c.tell((ob) => ob.token?.(e.name, s));
  }

  /** A refresh attempt ended well: by this daemon, or another process was first. */
  succeeded(e: Entry, outcome: AttemptOutcome, reason: NextAttemptReason, rtBefore: number | undefined): void {
    e.version = outcome.version;
    const after = e.attempts;
    if (reason === 'keep-alive' && rtBefore !== undefined) e.keepAliveFor = rtBefore;
    clearFailures(e);
    if (e.status === 'retrying' || e.status === 'failing' || e.status === 'client_rejected') e.status = 'scheduled';
    this.absorb(e, outcome.settings);
    if (e.status === 'reauthorization_required' || e.status === 'not_refreshable') {
      // another process found the grant dead meanwhile (absorb has said so)
      this.c.planner.schedule(e);
      this.persist(e);
      this.c.tell((ob) => ob.changed?.());
      return;
    }
    if (outcome.refreshed) e.lastSuccessAt = iso(Date.now());
    this.c.planner.schedule(e);
    const now = Date.now();
    const dueAt = e.dueAt;
    const dueReason = e.dueReason;
    const expiresAt = e.expiresAt;
    const next = (t: Translator): string[] => (dueAt === undefined ? [] : [t.t('daemon.next_attempt', { reason: dueReason ?? 'refresh', duration: logDuration(t, dueAt - now) })]);
    if (outcome.refreshed) {
      const extended = reason === 'keep-alive' && rtBefore !== undefined && e.rtExpiresAt === rtBefore ? 'not_moved' : '';
      const head = (t: Translator): string =>
        reason === 'refresh'
          ? after > 0
            ? t.t('daemon.refreshed_after', { count: after })
            : t.t('daemon.refreshed')
          : after > 0
            ? t.t('daemon.refreshed_reason_after', { reason, count: after })
            : t.t('daemon.refreshed_reason', { reason });
      const line = (t: Translator): string =>
        clauses(t, [
          head(t),
          expiresAt === undefined ? t.t('daemon.new_token_no_expiry') : t.t('daemon.new_token_expires', { duration: logDuration(t, expiresAt - now) }),
          ...next(t),
          ...(extended ? [t.t('daemon.rt_expiry_not_moved')] : []),
        ]);
      this.c.log('info', 'refreshed', line, {
        name: e.name,
        reason,
        rotated: outcome.rotated,
        expires_at: e.expiresAt === undefined ? undefined : iso(e.expiresAt),
        refresh_token_expires_at: e.rtExpiresAt === undefined ? undefined : iso(e.rtExpiresAt),
        next_attempt_at: e.dueAt === undefined ? undefined : iso(e.dueAt),
        failed_attempts: after > 0 ? after : undefined,
      });
      if (reason === 'keep-alive') {
        const rtAt = e.rtExpiresAt === undefined ? undefined : iso(e.rtExpiresAt);
        this.c.log('info', 'keep_alive', (t) =>
          rtAt === undefined
            ? t.t(extended ? 'daemon.keep_alive.still_unknown' : 'daemon.keep_alive.now_unknown')
            : t.t(extended ? 'daemon.keep_alive.still' : 'daemon.keep_alive.now', { at: rtAt }), {
          name: e.name,
          refresh_token_expires_at: e.rtExpiresAt === undefined ? undefined : iso(e.rtExpiresAt),
          extended: extended === '',
        });
      }
      if (after > 0) this.c.log('info', 'recovered', (t) => t.t('daemon.recovered', { count: after }), { name: e.name, failed_attempts: after });
      this.c.tell((ob) => ob.refreshed?.(e.name, reason));
    } else {
      this.c.log('info', 'skipped', (t) =>
        clauses(t, [
          t.t('daemon.skipped'),
          expiresAt === undefined ? t.t('daemon.token_no_expiry') : t.t('daemon.token_expires', { duration: logDuration(t, expiresAt - now) }),
          ...next(t),
        ]), { name: e.name });
    }
    this.persist(e);
    this.c.tell((ob) => ob.changed?.());
  }


  private reauthRequired(e: Entry, err: HandoffError): void {
    this.c.planner.unplan(e);
    e.status = 'reauthorization_required';
    e.health = 'reauthorization_required';
    e.retryAt = undefined;
    const hintErr = new HandoffError(err.message, { code: CODES.REAUTH_REQUIRED, credential: e.name });
    const hint = (t: Translator): string => hintFor(hintErr, t) ?? '';
    this.c.log('error', 'reauthorization_required', (t) => t.t('daemon.reauthorization_required', { error: errorText(err, t) }), { name: e.name, code: err.code, hint });
    this.notify(e, `reauth:${e.obtainedAt}`, 'reauthorization_required', err.message);
    this.c.tell((ob) => ob.withdraw?.(e.name, 'reauthorization_required'));
  }

  /** An attempt failed: retry later, stop (dead grant, refused client), or 'gone' (no longer in the store). */
  async failed(e: Entry, err: HandoffError): Promise<'gone' | undefined> {
    const now = Date.now();
    const kind = failureKind(err);
    if (kind === 'gone') return 'gone';
    e.lastError = { code: err.code, message: err.message, at: iso(now) };
    if (err.oauth?.status !== undefined) e.lastError.status = err.oauth.status;
    if (err.oauth?.error !== undefined) e.lastError.error = err.oauth.error;
    this.c.tell((ob) => ob.failed?.(e.name, (err.oauth?.error ?? err.code).toLowerCase()));
    if (kind === 'reauthorization') {
      e.version = await this.c.o.store.version(e.name);
      this.reauthRequired(e, err);
      this.c.planner.arm(e);
      this.persist(e);
      this.c.tell((ob) => ob.changed?.());
      return;
    }
    e.attempts += 1;
    if (kind === 'client') {
      // retrying cannot help until the client registration is fixed
      this.c.planner.unplan(e);
      e.status = 'client_rejected';
      e.retryAt = undefined;
      const hintErr = new HandoffError(err.message, { code: CODES.PROVIDER_ERROR, credential: e.name });
      const hint = (t: Translator): string => hintFor(hintErr, t) ?? '';
      const line = (t: Translator): string => t.t('daemon.client_rejected', { oauth_error: String(err.oauth?.error), error: errorText(err, t) });
      const message = line(english);
      this.c.log('error', 'client_rejected', line, { name: e.name, code: err.code, status: err.oauth?.status, error: err.oauth?.error, hint });
      this.notify(e, `client:${err.oauth?.error}:${e.obtainedAt}`, 'client_rejected', message);
      this.c.planner.arm(e);
      this.persist(e);
      this.c.tell((ob) => ob.changed?.());
      return;
    }
    const validFor = e.expiresAt === undefined ? undefined : e.expiresAt - now;
    const baseMs = this.c.o.backoffBaseMs ?? DEFAULT_BACKOFF_BASE_MS;
    const wanted = backoffDelay({
      attempt: e.attempts,
      baseMs,
      maxMs: this.c.o.backoffMaxMs ?? DEFAULT_BACKOFF_MAX_MS,
      retryAfterSeconds: err.oauth?.retryAfter,
      validForMs: validFor,
      random: this.c.o.random ?? Math.random,
    });
    // never sleep past the expiry of the token we still hold: retry before it
    const { delayMs: delay, ignoredMs } = retryBeforeExpiry({ delayMs: wanted, validForMs: validFor, baseMs });
    e.retryAt = now + delay;
    const transient = kind === 'transient';
    const expired = validFor !== undefined && validFor <= 0;
    e.status = transient && !expired ? 'retrying' : 'failing';
    const attempt = e.attempts;
    const stopping = this.c.stopping();
    const line = (t: Translator): string =>
      clauses(t, [
        errorText(err, t),
        stopping
          ? t.t('daemon.attempt_failed', { attempt })
          : ignoredMs > 0
            ? t.t('daemon.attempt_failed_next_cut', { attempt, duration: logDuration(t, delay), wanted: logDuration(t, wanted), ignored: logDuration(t, ignoredMs) })
            : t.t('daemon.attempt_failed_next', { attempt, duration: logDuration(t, delay) }),
        ...(validFor === undefined ? [] : expired ? [t.t('daemon.token_has_expired')] : [t.t('daemon.token_valid_for', { duration: logDuration(t, validFor) })]),
      ]);
    const message = line(english);
    this.c.log(transient && !expired ? 'warning' : 'error', e.status, line, {
      name: e.name,
      code: err.code,
      status: err.oauth?.status,
      error: err.oauth?.error,
      attempt: e.attempts,
      retry_in_ms: Math.round(delay),
      retry_after_seconds: err.oauth?.retryAfter,
      ignored_wait_ms: ignoredMs > 0 ? Math.round(ignoredMs) : undefined,
      next_attempt_at: iso(e.retryAt),
    });
    if (expired) {
      this.notify(e, `expired:${e.obtainedAt}`, 'failing', message);
      this.c.tell((ob) => ob.withdraw?.(e.name, 'expired'));
    } else if (e.status === 'failing') this.notify(e, `failing:${err.code}:${e.obtainedAt}`, 'failing', message);
    this.c.planner.schedule(e);
    this.persist(e);
    this.c.tell((ob) => ob.changed?.());
  }

  /** The access token ran out while refreshes kept failing: say so once, and stop handing it out. */
  expired(e: Entry): void {
    e.status = 'failing';
    const at = iso(e.expiresAt as number);
    const lastError = e.lastError?.message;
    const line = (t: Translator): string => (lastError === undefined ? t.t('daemon.expired_while_failing', { at }) : t.t('daemon.expired_while_failing_error', { at, error: lastError }));
    const message = line(english);
    this.c.log('error', 'failing', (t) => clauses(t, [line(t), t.t('daemon.still_retrying')]), { name: e.name, code: e.lastError?.code, attempt: e.attempts });
    this.notify(e, `expired:${e.obtainedAt}`, 'failing', message);
    this.c.tell((ob) => ob.withdraw?.(e.name, 'expired'));
    this.persist(e);
    this.c.tell((ob) => ob.changed?.());
  }

  // ---------------------------------------------------------------- hooks and the state file

  /** Each failure is reported once (per token, per cause), not on every attempt or restart. */
  notify(e: Entry, key: string, state: string, message: string): void {
    if (e.notified.includes(key)) return;
    remember(e, key);
    this.c.hooks.failure({ name: e.name, state, event: state, message: `${e.name}: ${message}` });
  }

  warnExpiring(e: Entry, threshold: number, also: number[], now: number): void {
    const rtIso = iso(e.rtExpiresAt as number);
    for (const t of [threshold, ...also]) remember(e, `warn:${t}:${rtIso}`);
    const left = (e.rtExpiresAt as number) - now;
    const line = (t: Translator): string => (left > 0 ? t.t('daemon.rt_expires_in', { duration: logDuration(t, left), at: rtIso }) : t.t('daemon.rt_expired', { at: rtIso }));
    const message = line(english);
    e.rtWarning = { threshold_seconds: Math.round(threshold / SECOND), at: iso(now), refresh_token_expires_at: rtIso };
    const rtHint = new HandoffError(message, { code: CODES.REAUTH_REQUIRED, credential: e.name });
    this.c.log('warning', 'refresh_token_expiring', line, {
      name: e.name,
      refresh_token_expires_at: rtIso,
      threshold_seconds: Math.round(threshold / SECOND),
      hint: (t) => hintFor(rtHint, t) ?? '',
    });
    this.c.hooks.warning({ name: e.name, state: 'refresh_token_expiring', event: 'refresh_token_expiring', message: `${e.name}: ${message}` });
    this.persist(e);
  }

  /** A registered client's secret runs out (RFC 7591 client_secret_expires_at): refreshing stops working then. */
  warnSecretExpiring(e: Entry, threshold: number, also: number[], now: number): void {
    const at = iso(e.secretExpiresAt as number);
    for (const t of [threshold, ...also]) remember(e, `warn-secret:${t}:${at}`);
    const left = (e.secretExpiresAt as number) - now;
    const line = (t: Translator): string => (left > 0 ? t.t('daemon.secret_expires_in', { duration: logDuration(t, left), at }) : t.t('daemon.secret_expired', { at }));
    const message = line(english);
    const secretHint = new HandoffError(message, { code: CODES.REAUTH_REQUIRED, credential: e.name });
    this.c.log('warning', 'client_secret_expiring', line, {
      name: e.name,
      client_secret_expires_at: at,
      threshold_seconds: Math.round(threshold / SECOND),
      hint: (t) => hintFor(secretHint, t) ?? '',
    });
    this.c.hooks.warning({ name: e.name, state: 'client_secret_expiring', event: 'client_secret_expiring', message: `${e.name}: ${message}` });
    this.persist(e);
  }

  /** Write the state file when something in it changed (one write at a time per credential). */
  persist(e: Entry): void {
    if (e.removed) return;
    e.writing = e.writing.then(async () => {
      if (e.removed) return;
      const r = recordOf(e);
      const text = JSON.stringify(r);
      if (text === e.lastWritten) return;
      try {
        await writeDaemonState(this.c.o.home, { ...r, updated_at: iso(Date.now()), pid: process.pid });
        e.lastWritten = text;
      } catch (err) {
        this.c.log('warning', 'unreadable', (t) => t.t('daemon.state_write_failed', { error: errorText(err, t) }), { name: e.name });
      }
    });
  }
}
