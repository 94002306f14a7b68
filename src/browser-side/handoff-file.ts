/**
 * What `authorize` hands over: the Settings built from the token response
 * (`settingsFromTokens` in ../authorization), sealed to the recipients
 * (machine keys and/or a passphrase).
 */
import { fingerprint, passphraseRecipient, seal, x25519Recipient } from '../crypto/index.js';
import type { Recipient } from '../crypto/index.js';
import { CODES, HandoffError } from '../errors.js';
import { encodeSettings, PASSPHRASE_ENV } from '../settings-file/index.js';
import type { Settings } from '../settings-file/index.js';
import { resolveSecret } from '../terminal/index.js';
import type { Output } from '../terminal/index.js';
import { message } from '../i18n/index.js';

/** Shorter passphrases get a warning: the passphrase is all that protects the file in transit. */
export const SHORT_PASSPHRASE = 12;

export type RecipientDescription = { type: 'X25519'; fingerprint: string } | { type: 'passphrase' };

export interface ResolvedRecipients {
  recipients: Recipient[];
  described: RecipientDescription[];
}

/**
 * The recipients, resolved before the browser step so that a mistyped key or
 * passphrase never wastes an approval. At least one is required.
 */
export async function resolveRecipients(
  o: { to?: readonly string[]; passphrase?: boolean; passphraseFile?: string; env?: NodeJS.ProcessEnv },
  out: Output,
): Promise<ResolvedRecipients> {
  const recipients: Recipient[] = [];
  const described: RecipientDescription[] = [];
  for (const key of o.to ?? []) {
    recipients.push(x25519Recipient(key));
    described.push({ type: 'X25519', fingerprint: fingerprint(key.trim()) });
  }
  if (o.passphrase || o.passphraseFile !== undefined) {
    const pass = await resolveSecret(
      {
        what: 'passphrase',
        file: o.passphraseFile,
        envName: PASSPHRASE_ENV,
        ...(o.env ? { env: o.env } : {}),
        prompt: { question: out.t('browser.seal.passphrase_question'), confirm: true },
        flags: `--passphrase-file or ${PASSPHRASE_ENV}`,
      },
      out,
    );
    if (pass === undefined) throw new HandoffError(message('browser.seal.no_passphrase'), { code: CODES.USAGE });
    if (pass.length < SHORT_PASSPHRASE) {
      out.warn(out.t('browser.seal.short_passphrase', { count: SHORT_PASSPHRASE }));
    }
    recipients.push(passphraseRecipient(pass));
    described.push({ type: 'passphrase' });
  }
  if (recipients.length === 0) {
    throw new HandoffError(
      message('browser.seal.no_recipient'),
      { code: CODES.USAGE },
    );
  }
  return { recipients, described };
}

/** Seal settings to the recipients (a fresh file key each time). */
export async function sealSettings(settings: Settings, recipients: readonly Recipient[], now: Date = new Date()): Promise<Uint8Array> {
  return seal(encodeSettings(settings), recipients, { now });
}
