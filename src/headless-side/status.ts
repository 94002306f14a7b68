import { describeCredential, openStore, shortGrantId } from '../credential/index.js';
import type { CredentialStatus as BaseStatus } from '../credential/index.js';
import { DEFAULT_MIN_VALID_SECONDS } from '../defaults.js';
import { CODES, HandoffError } from '../errors.js';
import type { CredentialStore } from '../settings-file/index.js';
import type { Output } from '../terminal/index.js';
import type { CommonOptions } from './common.js';
import { outputOf, relative } from './common.js';
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
 * login, refresh), whose stdout stays for machine output.
 */
export function printStatus(out: Output, list: CredentialStatus[], now = Date.now(), to: 'stdout' | 'stderr' = 'stdout'): void {
  const lines: string[] = [];
  for (const d of list) {
    lines.push(`${d.name}  (${d.provider}${d.site ? ` ${d.site}` : ''})`);
    lines.push(`  state:          ${d.state}${d.message ? ` — ${d.message}` : ''}`);
    if (d.grant_id !== undefined) lines.push(`  grant:          ${shortGrantId(d.grant_id)} (generation ${d.grant_generation ?? 0})`);
    if (d.access_token_expires_at) {
      lines.push(`  access token:   expires ${relative(Date.parse(d.access_token_expires_at) - now)} (${d.access_token_expires_at})`);
    } else if (d.state !== 'unreadable') lines.push('  access token:   no expiry given by the provider');
    if (d.refresh_margin_seconds !== undefined && d.state === 'ok') {
      const capped = d.refresh_margin_seconds < DEFAULT_MIN_VALID_SECONDS ? " (half the token's lifetime)" : '';
      lines.push(`  refresh margin: ${d.refresh_margin_seconds} s before expiry${capped}`);
    }
    if (d.state !== 'unreadable') {
      lines.push(
        `  refresh token:  ${d.has_refresh_token ? (d.refresh_token_expires_at ? `expires ${relative(Date.parse(d.refresh_token_expires_at) - now)}` : 'present (no known expiry)') : 'none'}`,
      );
      lines.push(`  last refresh:   ${d.last_refresh_at ? `${relative(Date.parse(d.last_refresh_at) - now)} (${d.refresh_count} so far)` : 'never'}`);
      if (d.last_refreshed_by) lines.push(`  refreshed by:   ${d.last_refreshed_by}`);
      if (d.interrupted_refresh_at) lines.push(`  warning:        a refresh started ${d.interrupted_refresh_at} did not finish`);
      lines.push(`  scopes:         ${d.scopes.join(' ') || '(none)'}`);
      if (d.resource) lines.push(`  resource:       ${d.resource}`);
      if (d.client_secret_expires_at) {
        lines.push(`  client secret:  expires ${relative(Date.parse(d.client_secret_expires_at) - now)} (${d.client_secret_expires_at}); authorize again before then`);
      }
    }
    if (d.daemon) lines.push(`  daemon:         ${daemonLine(d.daemon, now)}`);
    lines.push(`  stored in:      ${d.stored_in}`);
  }
  const text = lines.join('\n') + (lines.length ? '\n' : '');
  if (to === 'stderr') out.raw(text);
  else out.data(text);
}

function daemonLine(v: DaemonStatusView, now: number): string {
  const parts = [v.running ? `running${v.pid ? ` (pid ${v.pid})` : ''}, ${v.state.replace(/_/g, ' ')}` : `not running (last: ${v.state.replace(/_/g, ' ')})`];
  if (v.next_attempt_at) parts.push(`next ${v.next_attempt_reason ?? 'attempt'} ${relative(Date.parse(v.next_attempt_at) - now)}`);
  if (v.attempts > 0) parts.push(`${v.attempts} failed attempt(s)`);
  if (v.last_error) parts.push(`last error ${relative(Date.parse(v.last_error.at) - now)}: ${v.last_error.message}`);
  return parts.join('; ');
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
  else if (list.length === 0) out.info(`no credentials in the ${store.description}; import one with \`oauth-handoff import FILE\``);
  else printStatus(out, list, now);
  if (o.name && list[0]?.state === 'reauthorization_required') return 3;
  if (o.name && list[0]?.state === 'unreadable') return 4;
  return 0;
}
