/**
 * `oauth-handoff fleet …`: the member hosts of a fleet store (Redis), whose
 * keys every credential there is sealed to. docs/fleet.md.
 */
import { openStore } from '../credential/index.js';
import { CODES, HandoffError } from '../errors.js';
import { message } from '../i18n/index.js';
import type { MemberChange, RedisStore } from '../fleet-store/index.js';
import type { Output } from '../terminal/index.js';
import type { CommonOptions } from './common.js';
import { outputOf } from './common.js';

export interface FleetOptions extends CommonOptions {
  lockTimeoutMs?: number;
}

export interface FleetMemberOptions extends FleetOptions {
  /** a public key (`ohpub1…`, from `keygen` on that host); remove-member also takes its fingerprint */
  key: string;
  /** add-member: how the host is called in `fleet members` (default: none) */
  label?: string;
  /** remove-member: also when it is this host's own key */
  force?: boolean;
}

export interface FleetRestoreOptions extends FleetOptions {
  names: string[];
  /** write this host's copy even when the store holds a newer or different one */
  force?: boolean;
}

async function openFleet(o: CommonOptions): Promise<RedisStore> {
  const store = await openStore(o);
  if (!('addMember' in store)) {
    throw new HandoffError(message('fleet.not_fleet_store', { store: store.description }), {
      code: CODES.USAGE,
    });
  }
  return store;
}

/** `oauth-handoff fleet members [--json]` */
export async function fleetMembersCommand(o: FleetOptions): Promise<number> {
  const out = outputOf(o);
  const store = await openFleet(o);
  const members = await store.members();
  if (o.json) {
    out.json(members);
    return 0;
  }
  if (members.length === 0) {
    out.info(out.t('fleet.no_members', { target: store.target.display }));
    return 0;
  }
  const lines = members.map(
    (m) =>
      `${m.fingerprint}  ${m.public_key}${m.label ? `  ${m.label}` : ''}${m.this_host ? '  (this host)' : ''}${m.added_at ? `\n    added ${m.added_at}${m.added_by ? ` by ${m.added_by}` : ''}` : ''}`,
  );
  out.data(lines.join('\n') + '\n');
  if (!members.some((m) => m.this_host)) out.warn(out.t('fleet.this_host_not_member', { key: store.publicKey }));
  return 0;
}

function reportChange(out: Output, o: FleetOptions, change: MemberChange, what: string): number {
  if (o.json) out.json(change);
  else {
    const count = change.resealed.length;
    const names = change.resealed.join(', ');
    out.info(count === 0 ? out.t('fleet.resealed_none', { what }) : count === 1 ? out.t('fleet.resealed_one', { what, names }) : out.t('fleet.resealed_many', { what, count, names }));
    for (const f of change.failed) out.warn(out.t('fleet.reseal_failed', { name: f.name, error: f.message }));
  }
  return change.failed.length ? 1 : 0;
}

/** `oauth-handoff fleet add-member KEY [--label L]`: seal every credential to that host as well. */
export async function fleetAddMemberCommand(o: FleetMemberOptions): Promise<number> {
  const out = outputOf(o);
  const store = await openFleet(o);
  const key = o.key.trim();
  if ((await store.members()).length === 0 && key !== store.publicKey) {
    // the first member is the host setting the fleet up: otherwise nobody here could open what it imports
    await store.addMember(store.publicKey, { lockTimeoutMs: o.lockTimeoutMs });
    if (!o.json) out.info(out.t('fleet.first_member', { key: store.publicKey }));
  }
  const change = await store.addMember(key, { label: o.label, lockTimeoutMs: o.lockTimeoutMs });
  return reportChange(out, o, change, change.changed ? (o.label ? out.t('fleet.added_label', { fingerprint: change.fingerprint, label: o.label }) : out.t('fleet.added', { fingerprint: change.fingerprint })) : out.t('fleet.already_member', { fingerprint: change.fingerprint }));
}

/** `oauth-handoff fleet remove-member KEY|FINGERPRINT`: from the next write on, that host cannot open the credentials. */
export async function fleetRemoveMemberCommand(o: FleetMemberOptions): Promise<number> {
  const out = outputOf(o);
  const store = await openFleet(o);
  const wanted = o.key.trim();
  const mine = wanted === store.publicKey || wanted.toLowerCase() === (await store.members()).find((m) => m.this_host)?.fingerprint;
  if (mine && !o.force) {
    throw new HandoffError(message('fleet.own_key'), {
      code: CODES.USAGE,
    });
  }
  const change = await store.removeMember(o.key, { lockTimeoutMs: o.lockTimeoutMs });
  const code = reportChange(out, o, change, out.t('fleet.removed', { fingerprint: change.fingerprint }));
  if (!o.json && change.failed.length === 0) {
    out.info(out.t('fleet.removed_note'));
  }
  return code;
}

/** `oauth-handoff fleet restore NAME…`: write this host's cached copy back after Redis lost its data or went back in time. */
export async function fleetRestoreCommand(o: FleetRestoreOptions): Promise<number> {
  const out = outputOf(o);
  const store = await openFleet(o);
  if (o.names.length === 0) throw new HandoffError(message('fleet.restore_which'), { code: CODES.USAGE });
  const results: { name: string; restored: boolean; version: number; reason?: string }[] = [];
  for (const name of o.names) {
    const r = await store.restore(name, { force: o.force, lockTimeoutMs: o.lockTimeoutMs });
    results.push({ name, ...r });
    if (!o.json) {
      if (r.restored) out.info(out.t('fleet.restored', { name, version: r.version, target: store.target.display }));
      else out.warn(out.t('fleet.not_restored', { name, reason: r.reason ?? '' }));
    }
  }
  if (o.json) out.json(results);
  return results.every((r) => r.restored) ? 0 : 1;
}
