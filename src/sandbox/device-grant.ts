/**
 * RFC 8628 Device Authorization Grant, the server's memory of it: device codes,
 * user codes, the person's decision, and polling (authorization_pending,
 * slow_down, access_denied, expired_token). Tokens come from SandboxState.
 */
import { randomInt } from 'node:crypto';
import { fail, randomToken, type Outcome, type SandboxState } from './state.js';
import type { SandboxClient, TokenResponse } from './types.js';

/** RFC 8628 §3.4 grant_type */
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
/** seconds a device code lives */
export const DEVICE_CODE_TTL = 600;
/** seconds between polls the sandbox asks for (RFC 8628 §3.2 interval; a test server, so short) */
export const DEVICE_POLL_INTERVAL = 1;
/** RFC 8628 §6.1: no vowels, no look-alikes */
const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';

type DeviceStatus = 'pending' | 'approved' | 'denied' | 'done';

interface DeviceRecord {
  clientId: string;
  scope: string;
  resource?: string;
  userCode: string;
  expiresAt: number;
  /** seconds; grows by 5 with every slow_down (RFC 8628 §3.5) */
  interval: number;
  lastPollAt?: number;
  status: DeviceStatus;
}

/** RFC 8628 §3.2 Device Authorization Response, without the URIs (the route adds them). */
export interface DeviceStart {
  device_code: string;
  user_code: string;
  expires_in: number;
  interval: number;
}

/** A pending request as the verification page shows it. */
export interface PendingDevice {
  userCode: string;
  clientId: string;
  scope: string;
  resource?: string;
}

/** "bcdf-ghjk", "BCDFGHJK", "BCDF GHJK" all name BCDF-GHJK. */
export function normalizeUserCode(input: string): string {
  const s = input.toUpperCase().replace(/[^A-Z]/g, '');
  return s.length === 8 ? `${s.slice(0, 4)}-${s.slice(4)}` : s;
}

export class DeviceGrants {
  private readonly byDeviceCode = new Map<string, DeviceRecord>();
  private readonly byUserCode = new Map<string, string>();

  constructor(
    private readonly state: SandboxState,
    private readonly now: () => number,
  ) {}

  /** RFC 8628 §3.1 / §3.2 (client authenticated, scope and resource checked by the caller). */
  begin(client: SandboxClient, scope: string, resource: string | undefined): DeviceStart {
    this.sweep();
    const deviceCode = randomToken();
    let userCode: string;
    do {
      const chars = Array.from({ length: 8 }, () => USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)]!);
      userCode = `${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}`;
    } while (this.byUserCode.has(userCode));
    const rec: DeviceRecord = {
      clientId: client.id,
      scope,
      userCode,
      expiresAt: this.now() + DEVICE_CODE_TTL * 1000,
      interval: DEVICE_POLL_INTERVAL,
      status: 'pending',
    };
    if (resource !== undefined) rec.resource = resource;
    this.byDeviceCode.set(deviceCode, rec);
    this.byUserCode.set(userCode, deviceCode);
    return { device_code: deviceCode, user_code: userCode, expires_in: DEVICE_CODE_TTL, interval: DEVICE_POLL_INTERVAL };
  }

  /** the pending request a user code names, if it is still waiting for a decision */
  pending(userCode: string): PendingDevice | undefined {
    const rec = this.find(userCode);
    if (!rec || rec.status !== 'pending') return undefined;
    const p: PendingDevice = { userCode: rec.userCode, clientId: rec.clientId, scope: rec.scope };
    if (rec.resource !== undefined) p.resource = rec.resource;
    return p;
  }

  /** the person approved or denied on the verification page; false when the code is unknown, expired or decided */
  decide(userCode: string, approve: boolean): boolean {
    const rec = this.find(userCode);
    if (!rec || rec.status !== 'pending') return false;
    rec.status = approve ? 'approved' : 'denied';
    return true;
  }

  /** RFC 8628 §3.4 / §3.5 one poll of the token endpoint (client already authenticated). */
  poll(client: SandboxClient, deviceCode: string | undefined): Outcome<TokenResponse> {
    if (!deviceCode) return fail('invalid_request', 'missing "device_code"');
    const rec = this.byDeviceCode.get(deviceCode);
    if (!rec) return fail('invalid_grant', 'device code is unknown');
    if (rec.clientId !== client.id) return fail('invalid_grant', 'device code was issued to another client');
    const now = this.now();
    if (rec.expiresAt <= now) return fail('expired_token', 'the device code expired: start again');
    const last = rec.lastPollAt;
    rec.lastPollAt = now;
    switch (rec.status) {
      case 'denied':
        return fail('access_denied', 'the user denied the request');
      case 'done':
        return fail('invalid_grant', 'device code was already used');
      case 'approved': {
        rec.status = 'done';
        return this.state.mintGrant(rec.clientId, rec.scope, rec.resource);
      }
      case 'pending':
        // lenient: only polls at under half the interval count as too fast
        if (last !== undefined && now - last < (rec.interval * 1000) / 2) {
          rec.interval += 5;
          return fail('slow_down', `poll at most every ${rec.interval} s`);
        }
        return fail('authorization_pending', 'the user has not answered yet');
    }
  }

  private find(userCode: string): DeviceRecord | undefined {
    const deviceCode = this.byUserCode.get(normalizeUserCode(userCode));
    const rec = deviceCode === undefined ? undefined : this.byDeviceCode.get(deviceCode);
    if (!rec || rec.expiresAt <= this.now()) return undefined;
    return rec;
  }

  private sweep(): void {
    const now = this.now();
    for (const [k, v] of this.byDeviceCode) {
      if (v.expiresAt <= now) {
        this.byDeviceCode.delete(k);
        this.byUserCode.delete(v.userCode);
      }
    }
  }
}
