/**
 * The fleet store's data shapes, declared once. Nothing here refers to the
 * Redis client, so the public types load without ioredis installed.
 */

/** One member host of the fleet: a public key the credentials are sealed to. */
export interface FleetMember {
  public_key: string;
  fingerprint: string;
  label?: string;
  added_at?: string;
  added_by?: string;
  /** the key of the host asking */
  this_host: boolean;
}

/** What `fleet add-member` / `remove-member` did. */
export interface MemberChange {
  fingerprint: string;
  /** false when the member list already was that way */
  changed: boolean;
  /** credentials sealed again to the new member list */
  resealed: string[];
  /** credentials that could not be sealed again (e.g. not sealed to this host) */
  failed: { name: string; message: string }[];
}

/** What Redis keeps per member (JSON under its public key). */
export interface MemberRecord {
  fingerprint: string;
  label?: string;
  added_at?: string;
  added_by?: string;
}

/** The member list as read in one snapshot. */
export interface Members {
  version: number;
  /** public key → record */
  keys: Map<string, MemberRecord>;
}
