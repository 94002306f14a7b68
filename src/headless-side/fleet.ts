/**
 * `oauth-handoff fleet …`: the member hosts of a fleet store (Redis), whose
 * keys every credential there is sealed to. docs/fleet.md.
 */
import { openStore } from '../credential/index.js';
import { CODES, HandoffError } from '../errors.js';
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
    throw new HandoffError(`fleet commands work on a fleet store (--store redis://… or $OAUTH_HANDOFF_STORE), not on the ${store.description}`, {
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
    out.info(`the fleet store ${store.target.display} has no members yet; the first host to import a credential (or add a member) becomes one`);
    return 0;
  }
  const lines = members.map(
    (m) =>
      `${m.fingerprint}  ${m.public_key}${m.label ? `  ${m.label}` : ''}${m.this_host ? '  (this host)' : ''}${m.added_at ? `\n    added ${m.added_at}${m.added_by ? ` by ${m.added_by}` : ''}` : ''}`,
  );
  out.data(lines.join('\n') + '\n');
  if (!members.some((m) => m.this_host)) out.warn(`this host (key ${store.publicKey}) is not a member: it cannot open the credentials in this store`);
  return 0;
}

function reportChange(out: Output, o: FleetOptions, change: MemberChange, what: string): number {
  if (o.json) out.json(change);
  else {
    out.info(`${what}; sealed ${change.resealed.length} credential${change.resealed.length === 1 ? '' : 's'} again to the new member list${change.resealed.length ? `: ${change.resealed.join(', ')}` : ''}`);
    for (const f of change.failed) out.warn(`could not seal "${f.name}" again: ${f.message}`);
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
    if (!o.json) out.info(`the fleet store had no members: added this host (key ${store.publicKey}) first`);
  }
  const change = await store.addMember(key, { label: o.label, lockTimeoutMs: o.lockTimeoutMs });
  return reportChange(out, o, change, change.changed ? `added ${change.fingerprint}${o.label ? ` (${o.label})` : ''}` : `${change.fingerprint} already was a member`);
}

/** `oauth-handoff fleet remove-member KEY|FINGERPRINT`: from the next write on, that host cannot open the credentials. */
export async function fleetRemoveMemberCommand(o: FleetMemberOptions): Promise<number> {
  const out = outputOf(o);
  const store = await openFleet(o);
  const wanted = o.key.trim();
  const mine = wanted === store.publicKey || wanted.toLowerCase() === (await store.members()).find((m) => m.this_host)?.fingerprint;
  if (mine && !o.force) {
    throw new HandoffError('that is this host\'s own key: after removing it this host cannot open the credentials any more (add --force to do it anyway)', {
      code: CODES.USAGE,
    });
  }
  const change = await store.removeMember(o.key, { lockTimeoutMs: o.lockTimeoutMs });
  const code = reportChange(out, o, change, `removed ${change.fingerprint}`);
  if (!o.json && change.failed.length === 0) {
    out.info('the removed host can no longer open them; it may have copied tokens while it was a member: revoke and re-authorize if it is compromised');
  }
  return code;
}

/** `oauth-handoff fleet restore NAME…`: write this host's cached copy back after Redis lost its data or went back in time. */
export async function fleetRestoreCommand(o: FleetRestoreOptions): Promise<number> {
  const out = outputOf(o);
  const store = await openFleet(o);
  if (o.names.length === 0) throw new HandoffError('say which credentials to restore', { code: CODES.USAGE });
  const results: { name: string; restored: boolean; version: number; reason?: string }[] = [];
  for (const name of o.names) {
    const r = await store.restore(name, { force: o.force, lockTimeoutMs: o.lockTimeoutMs });
    results.push({ name, ...r });
    if (!o.json) {
      if (r.restored) out.info(`restored "${name}" from this host's copy (now version ${r.version} in ${store.target.display})`);
      else out.warn(`did not restore "${name}": ${r.reason} (add --force to replace it with this host's copy)`);
    }
  }
  if (o.json) out.json(results);
  return results.every((r) => r.restored) ? 0 : 1;
}
