/**
 * The member hosts of a fleet store: the public keys every credential is
 * sealed to, with a version that changes with the list (a write sealed to an
 * older list is refused by the write script and sealed again).
 */
import { fingerprint, x25519Recipient } from '../crypto/index.js';
import { CODES, HandoffError } from '../errors.js';
import { message } from '../i18n/index.js';
import type { RedisLink } from './link.js';
import { ADD_MEMBER, READ_MEMBERS, REMOVE_MEMBER } from './scripts.js';
import type { FleetKeys } from './scripts.js';
import type { FleetMember, MemberRecord, Members } from './types.js';
import type { RedisTarget } from './url.js';

/** This host, as the member list sees it. */
export interface Self {
  publicKey: string;
  /** fingerprint of publicKey */
  fp: string;
  hostLabel: string;
}

export class MemberList {
  private readonly target: RedisTarget;
  private readonly keys: FleetKeys;
  private readonly link: RedisLink;
  private readonly self: Self;
  private readonly noted: <T>(p: Promise<T>) => Promise<T>;

  constructor(o: { target: RedisTarget; keys: FleetKeys; link: RedisLink; self: Self; noted: <T>(p: Promise<T>) => Promise<T> }) {
    this.target = o.target;
    this.keys = o.keys;
    this.link = o.link;
    this.self = o.self;
    this.noted = o.noted;
  }

  async read(): Promise<Members> {
    const [version, flat] = (await this.noted(this.link.run((c) => c.eval(READ_MEMBERS, 2, this.keys.store, this.keys.members)))) as [string, string[]];
    const keys = new Map<string, MemberRecord>();
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const publicKey = flat[i] as string;
      let record: MemberRecord;
      try {
        record = JSON.parse(flat[i + 1] as string) as MemberRecord;
      } catch {
        record = { fingerprint: fingerprint(publicKey) };
      }
      keys.set(publicKey, { ...record, fingerprint: fingerprint(publicKey) });
    }
    return { version: Number(version), keys };
  }

  /** The hosts the credentials are sealed to. */
  async list(): Promise<FleetMember[]> {
    const m = await this.read();
    return [...m.keys].map(([publicKey, r]) => {
      const member: FleetMember = { public_key: publicKey, fingerprint: r.fingerprint, this_host: publicKey === this.self.publicKey };
      if (r.label) member.label = r.label;
      if (r.added_at) member.added_at = r.added_at;
      if (r.added_by) member.added_by = r.added_by;
      return member;
    });
  }

  /** Add a public key (BAD_KEY when it is not one). True when it was not a member yet. */
  async add(publicKey: string, o: { label?: string } = {}): Promise<boolean> {
    x25519Recipient(publicKey);
    const record: MemberRecord = {
      fingerprint: fingerprint(publicKey),
      added_at: new Date().toISOString(),
      added_by: `${this.self.hostLabel} (key ${this.self.fp})`,
    };
    if (o.label) record.label = o.label;
    const r = await this.noted(this.link.run((c) => c.eval(ADD_MEMBER, 2, this.keys.members, this.keys.store, publicKey, JSON.stringify(record))));
    return r === 1;
  }

  /**
   * Remove a member by public key or fingerprint; the last one cannot be
   * removed. Returns its fingerprint, and whether this call removed it.
   */
  async remove(keyOrFingerprint: string): Promise<{ fingerprint: string; changed: boolean }> {
    const wanted = keyOrFingerprint.trim();
    const m = await this.read();
    const found = [...m.keys].find(([k, r]) => k === wanted || r.fingerprint === wanted.toLowerCase());
    if (found === undefined) {
      if (!isKeyOrFingerprint(wanted)) throw new HandoffError(message('fleet.not_a_key', { key: wanted }), { code: CODES.USAGE });
      throw new HandoffError(message('fleet.not_member', { key: wanted, store: this.target.display }), { code: CODES.NOT_FOUND });
    }
    const r = await this.noted(this.link.run((c) => c.eval(REMOVE_MEMBER, 2, this.keys.members, this.keys.store, found[0])));
    if (r === -1) {
      throw new HandoffError(
        message('fleet_store.last_member', { fingerprint: found[1].fingerprint, store: this.target.display }),
        { code: CODES.USAGE },
      );
    }
    return { fingerprint: found[1].fingerprint, changed: r === 1 };
  }
}

/** A public key (`ohpub1…`) or a key fingerprint (16 hex digits), whether a member or not. */
export function isKeyOrFingerprint(s: string): boolean {
  if (/^[0-9a-f]{16}$/i.test(s)) return true;
  try {
    x25519Recipient(s);
    return true;
  } catch {
    return false;
  }
}
