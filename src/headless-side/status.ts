import { describeCredential, openStore, shortGrantId } from '../credential/index.js';
import type { CredentialStatus as BaseStatus } from '../credential/index.js';
import { DEFAULT_MIN_VALID_SECONDS } from '../defaults.js';
import { CODES, EXIT, EXIT_FOR, HandoffError } from '../errors.js';
import type { ErrorCode } from '../errors.js';
import type { CredentialStore } from '../settings-file/index.js';
import type { Message, MessageKey, Translator } from '../i18n/index.js';
import { displayWidth, padEndToWidth } from '../terminal/index.js';
import type { Output } from '../terminal/index.js';
import type { CommonOptions } from './common.js';
import { outputOf } from './common.js';
import type { DaemonStatusView } from './daemon.js';

/** What `status` says about one credential (credential/status.ts), and what the daemon last recorded about it. */
export interface CredentialStatus extends BaseStatus {
  /** what the daemon last recorded about it (`<home>/state/NAME.json`), when a daemon has seen it */
  daemon?: DaemonStatusView;
}

export { describeCredential };

/**
 * The human status table: on stdout for `status` (it is that command's output),
 * on stderr (`to: 'stderr'`) where it only accompanies another command (import,
 * login, refresh), whose stdout stays for machine output. Labels and values are
 * in the user's language, aligned by display width; `storedIn` is the store's
 * label (the JSON's English `stored_in` otherwise).
 */
export function printStatus(out: Output, list: CredentialStatus[], now = Date.now(), to: 'stdout' | 'stderr' = 'stdout', storedIn?: readonly Message[]): void {
  const tr = out.i18n;
  const when = (iso: string) => tr.relative(Date.parse(iso) - now);
  const lines: string[] = [];
  for (const d of list) {
    const rows: [MessageKey, string][] = [];
    const state = STATES.has(d.state) ? tr.render(`status.state.${d.state}` as MessageKey) : d.state;
    rows.push(['status.state', `${state}${d.message ? ` — ${d.message}` : ''}`]);
    if (d.grant_id !== undefined) rows.push(['status.grant', tr.t('status.grant_value', { grant: shortGrantId(d.grant_id), generation: d.grant_generation ?? 0 })]);
    if (d.access_token_expires_at) rows.push(['status.access_token', tr.t('status.expires', { when: when(d.access_token_expires_at), at: d.access_token_expires_at })]);
    else if (d.state !== 'unreadable') rows.push(['status.access_token', tr.t('status.no_expiry')]);
    if (d.refresh_margin_seconds !== undefined && d.state === 'ok') {
      const capped = d.refresh_margin_seconds < DEFAULT_MIN_VALID_SECONDS;
      rows.push(['status.refresh_margin', tr.t(capped ? 'status.margin_capped' : 'status.margin', { seconds: d.refresh_margin_seconds })]);
    }
    if (d.state !== 'unreadable') {
      const rt = !d.has_refresh_token
        ? tr.t('status.refresh_token.none')
        : d.refresh_token_expires_at
          ? tr.t('status.refresh_token.expires', { when: when(d.refresh_token_expires_at) })
          : tr.t('status.refresh_token.no_expiry');
      rows.push(['status.refresh_token', rt]);
      rows.push(['status.last_refresh', d.last_refresh_at ? tr.t('status.last_refresh.at', { when: when(d.last_refresh_at), count: d.refresh_count }) : tr.t('status.last_refresh.never')]);
      if (d.last_refreshed_by) rows.push(['status.refreshed_by', d.last_refreshed_by]);
      if (d.interrupted_refresh_at) rows.push(['status.warning', tr.t('status.interrupted', { at: d.interrupted_refresh_at })]);
      rows.push(['status.scopes', d.scopes.join(' ') || tr.t('status.none')]);
      if (d.resource) rows.push(['status.resource', d.resource]);
      if (d.client_secret_expires_at) rows.push(['status.client_secret', tr.t('status.client_secret_expires', { when: when(d.client_secret_expires_at), at: d.client_secret_expires_at })]);
    }
    if (d.daemon) rows.push(['status.daemon', daemonLine(d.daemon, tr, when)]);
    rows.push(['status.stored_in', storedIn ? storedIn.map((m) => tr.render(m.key, m.params)).join(tr.t('store.label.separator')) : d.stored_in]);
    const labels = rows.map(([k]) => tr.render(k));
    const width = Math.max(...labels.map(displayWidth));
    lines.push(`${d.name}  (${d.provider}${d.site ? ` ${d.site}` : ''})`);
    rows.forEach(([, v], i) => lines.push(`  ${padEndToWidth(labels[i] as string, width)} ${v}`));
  }
  const text = lines.join('\n') + (lines.length ? '\n' : '');
  if (to === 'stderr') out.raw(text);
  else out.data(text);
}

const STATES = new Set(['ok', 'expired', 'reauthorization_required', 'unreadable']);

function daemonLine(v: DaemonStatusView, tr: Translator, when: (iso: string) => string): string {
  const state = v.state.replace(/_/g, ' ');
  const parts = [v.running ? (v.pid ? tr.t('status.daemon.running_pid', { pid: v.pid, state }) : tr.t('status.daemon.running', { state })) : tr.t('status.daemon.not_running', { state })];
  if (v.next_attempt_at) parts.push(tr.t('status.daemon.next', { reason: v.next_attempt_reason ?? 'attempt', when: when(v.next_attempt_at) }));
  if (v.attempts > 0) parts.push(tr.t('status.daemon.attempts', { count: v.attempts }));
  if (v.last_error) parts.push(tr.t('status.daemon.last_error', { when: when(v.last_error.at), message: v.last_error.message }));
  return parts.join(tr.t('store.label.separator'));
}

export interface StatusOptions extends CommonOptions {
  name?: string;
}

/** Status of every credential in a store; one unreadable file does not hide the others. */
export async function collectStatus(store: CredentialStore, names: string[], now: number): Promise<CredentialStatus[]> {
  const result: CredentialStatus[] = [];
  for (const name of names) {
    try {
      const d = describeCredential(await store.read(name), store.description, now);
      if (store.locate) Object.assign(d, await store.locate(name));
      result.push(d);
    } catch (e) {
      if (e instanceof HandoffError && e.code === CODES.NOT_FOUND) throw e;
      result.push({
        name,
        provider: '?',
        state: 'unreadable',
        message: (e as Error).message,
        error_code: e instanceof HandoffError ? e.code : CODES.INTERNAL,
        has_refresh_token: false,
        refresh_count: 0,
        scopes: [],
        stored_in: store.description,
      });
    }
  }
  return result;
}

/** `oauth-handoff status [NAME] [--json]`; exits 3 when a named credential needs re-authorization. */
export async function statusCommand(o: StatusOptions): Promise<number> {
  const out = outputOf(o);
  const store = await openStore(o);
  const now = (o.now ?? Date.now)();
  const names = o.name ? [o.name] : await store.list();
  const list = await collectStatus(store, names, now);
  const home = (store as { layout?: { home?: string } }).layout?.home;
  if (home) await (await import('./daemon/state-file.js')).attachDaemonState(list, home);
  if (o.json) out.json(o.name ? list[0] : list);
  else if (list.length === 0) out.info(out.t('status.empty', { store: store.label.map((m) => out.i18n.render(m.key, m.params)).join(out.t('store.label.separator')) }));
  else printStatus(out, list, now, 'stdout', store.label);
  if (o.name && list[0]?.state === 'reauthorization_required') return 3;
  // the exit code of what made it unreadable (4 for a damaged file, 1 for permissions), as the README's table says
  if (o.name && list[0]?.state === 'unreadable') return EXIT_FOR[(list[0].error_code ?? CODES.BAD_FILE) as ErrorCode] ?? EXIT.ERROR;
  return 0;
}
