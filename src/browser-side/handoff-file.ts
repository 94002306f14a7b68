/**
 * What `authorize` hands over: the Settings built from the token response
 * (`settingsFromTokens` in ../authorization), sealed to the recipients
 * (machine keys and/or a passphrase: `resolveRecipients` in ../authorization).
 */
import { seal } from '../crypto/index.js';
import type { Recipient } from '../crypto/index.js';
import { encodeSettings } from '../settings-file/index.js';
import type { Settings } from '../settings-file/index.js';

/** Seal settings to the recipients (a fresh file key each time). */
export async function sealSettings(settings: Settings, recipients: readonly Recipient[], now: Date = new Date()): Promise<Uint8Array> {
  return seal(encodeSettings(settings), recipients, { now });
}
