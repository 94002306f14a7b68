/**
 * A settings block that arrived sealed (from the environment, or a file
 * anywhere on disk): opened with a key and/or a passphrase, and sealed again
 * to the recipients it came with that this process can reproduce. Shared by
 * the env store (env-store.ts) and the single-file store (settings-file-store.ts).
 */
import {
  armor,
  decodeSettingsInput,
  fingerprint,
  open,
  parseKeyFile,
  passphraseIdentity,
  passphraseRecipient,
  publicKeyFromSecret,
  readHeader,
  seal,
  x25519Identity,
  x25519Recipient,
} from '../crypto/index.js';
import type { Identity, Recipient, RecipientInfo } from '../crypto/index.js';
import { CODES, HandoffError } from '../errors.js';
import { message } from '../i18n/index.js';
import type { Message } from '../i18n/index.js';
import { decodeSettings, encodeSettings } from './schema.js';
import type { Settings } from './schema.js';

/** What opens a sealed settings block: a secret key, a passphrase, or both. */
export interface SealSecrets {
  /** `OH-SECRET-KEY-1…`, or a whole key file as written by `keygen` */
  key?: string;
  passphrase?: string;
}

/** One credential that arrived sealed, and how to seal it again for the same readers. */
export interface Opened {
  settings: Settings;
  /** the first bytes were the armored text form */
  armored: boolean;
  /** the original recipients this process can seal to again */
  recipients: Recipient[];
  /** original recipients it cannot reproduce (another machine's key, a passphrase it was not given) */
  lost: RecipientInfo[];
  /** how it was opened, for `status`: the fingerprint of the key used, and whether a passphrase was */
  openedWith: { key?: string; passphrase: boolean };
}

/** "… opened with key 0123…", "… with a passphrase", "… with key 0123… and a passphrase": whole sentences, one per case. */
export function openedLabel(
  what: 'store.label.env' | 'store.label.settings_file',
  where: { variable: string } | { path: string },
  o: Opened['openedWith'],
): Message {
  const place = 'variable' in where ? where.variable : where.path;
  if (what === 'store.label.env') {
    if (o.key !== undefined && o.passphrase) return message('store.label.env.key_and_passphrase', { variable: place, fingerprint: o.key });
    if (o.key !== undefined) return message('store.label.env.key', { variable: place, fingerprint: o.key });
    return message('store.label.env.passphrase', { variable: place });
  }
  if (o.key !== undefined && o.passphrase) return message('store.label.settings_file.key_and_passphrase', { path: place, fingerprint: o.key });
  if (o.key !== undefined) return message('store.label.settings_file.key', { path: place, fingerprint: o.key });
  return message('store.label.settings_file.passphrase', { path: place });
}

export function secretKeyOf(text: string): string {
  const trimmed = text.trim();
  // a whole key file (comment lines + the key) is accepted as well as the bare key line
  return trimmed.includes('\n') ? parseKeyFile(trimmed + '\n').secretKey : trimmed;
}

export async function openSealed(input: Uint8Array, secrets: SealSecrets, where: string): Promise<Opened> {
  const sealed = decodeSettingsInput(input);
  const armored = sealed !== input;
  const header = readHeader(sealed);
  const identities: Identity[] = [];
  let ourPublicKey: string | undefined;
  if (secrets.key !== undefined) {
    const secretKey = secretKeyOf(secrets.key);
    ourPublicKey = publicKeyFromSecret(secretKey);
    identities.push(x25519Identity(secretKey));
  }
  if (secrets.passphrase !== undefined && secrets.passphrase !== '') identities.push(passphraseIdentity(secrets.passphrase));
  if (identities.length === 0) {
    throw new HandoffError(message('store.no_secret', { where }), { code: CODES.BAD_KEY });
  }
  const ourFp = ourPublicKey ? fingerprint(ourPublicKey) : undefined;
  const settings = decodeSettings(await open(sealed, identities));

  const recipients: Recipient[] = [];
  const lost: RecipientInfo[] = [];
  const used: Opened['openedWith'] = { passphrase: false };
  for (const r of header.recipients) {
    if (r.type === 'X25519' && 'fingerprint' in r && ourPublicKey !== undefined && r.fingerprint === ourFp) {
      recipients.push(x25519Recipient(ourPublicKey));
      used.key = ourFp;
    } else if (r.type === 'argon2id' && 'opsLimit' in r && secrets.passphrase) {
      recipients.push(passphraseRecipient(secrets.passphrase, { opsLimit: r.opsLimit, memLimit: r.memLimit }));
      used.passphrase = true;
    } else lost.push(r);
  }
  return { settings, armored, recipients, lost, openedWith: used };
}

export async function sealAgain(settings: Settings, o: Opened, armored: boolean): Promise<Uint8Array> {
  const sealed = await seal(encodeSettings(settings), o.recipients);
  return armored ? new TextEncoder().encode(armor(sealed)) : sealed;
}

export function notThisOne(have: string, asked: string, where: string): HandoffError {
  return new HandoffError(message('store.not_this_one', { where, have, asked }), { code: CODES.NOT_FOUND, credential: asked });
}

