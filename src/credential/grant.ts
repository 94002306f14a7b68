/**
 * Grant identity (issue: "import must never roll a credential back"). Every
 * grant gets a random id when its authorization completes; every refresh
 * raises its generation by one. Two copies of one grant are then ordered:
 * the higher generation holds the newer refresh token, and putting the lower
 * one back would replay a refresh token the server has already replaced
 * (strict servers then revoke the whole grant).
 */
import { randomBytes } from 'node:crypto';
import type { Settings, SettingsGrant } from '../settings-file/index.js';

/** A new grant: a random id (16 bytes, base64url) at generation 0. */
export function newGrant(): SettingsGrant {
  return { id: randomBytes(16).toString('base64url'), generation: 0 };
}

/** The grant after one more refresh. Settings from before grant ids (0.1.0) get an id now. */
export function nextGeneration(s: Settings): SettingsGrant {
  return s.grant ? { id: s.grant.id, generation: s.grant.generation + 1 } : { ...newGrant(), generation: (s.health.refresh_count ?? 0) + 1 };
}

/** The short form people see (status, messages): the first 8 characters. */
export function shortGrantId(id: string): string {
  return id.slice(0, 8);
}

/**
 * How an incoming copy relates to a stored one:
 * - `older` / `same` / `newer`: the same grant, by generation;
 * - `other`: another grant;
 * - `unknown`: one of them has no grant id (written by 0.1.0), so nothing can be told.
 */
export type CopyOrder = 'older' | 'same' | 'newer' | 'other' | 'unknown';

export function compareCopies(stored: Settings, incoming: Settings): CopyOrder {
  const a = stored.grant;
  const b = incoming.grant;
  if (a === undefined || b === undefined) return 'unknown';
  if (a.id !== b.id) return 'other';
  return b.generation < a.generation ? 'older' : b.generation > a.generation ? 'newer' : 'same';
}
