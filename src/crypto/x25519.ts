/**
 * The X25519 recipient type: its stanza parser, recipient and identity.
 * docs/settings-file-format.md §3.4.1.
 */
import {
  FILE_KEY_SIZE,
  FINGERPRINT_SIZE,
  HKDF_INFO_X25519,
  WRAPPED_FILE_KEY_SIZE,
  X25519_KEY_SIZE,
  X25519_STANZA_TYPE,
} from './constants.js';
import { decodeBase64Unpadded, encodeBase64Unpadded } from './encoding.js';
import { fingerprintOfRaw, parsePublicKey, parseSecretKey, readKeyFile } from './keys.js';
import {
  aeadOpen,
  aeadSeal,
  badFile,
  badKey,
  decryptFailed,
  hkdfSha256,
  internal,
  publicKeyObject,
  secretKeyParts,
  x25519,
  x25519KeyPair,
} from './primitives.js';
import type { KeyObject } from 'node:crypto';
import { NotMineError } from './recipient.js';
import type { Identity, Recipient, Stanza } from './recipient.js';
import { said } from './said.js';

export interface X25519StanzaFields {
  fingerprint: string;
  share: Uint8Array;
  body: Uint8Array;
}

const FINGERPRINT_PATTERN = new RegExp(`^[0-9a-f]{${FINGERPRINT_SIZE * 2}}$`);

/** `-> X25519 <fingerprint> <share>` and its wrapped file key; BAD_FILE when malformed. */
export function parseX25519Stanza(stanza: Stanza): X25519StanzaFields {
  if (stanza.type !== X25519_STANZA_TYPE) throw badFile(said('crypto.x25519_not_stanza', 'not an X25519 stanza'));
  if (stanza.args.length !== 2) throw badFile(said('crypto.x25519_args', 'X25519 stanza must have 2 arguments'));
  const [fingerprint, shareText] = stanza.args as [string, string];
  if (!FINGERPRINT_PATTERN.test(fingerprint)) throw badFile(said('crypto.x25519_fingerprint', 'X25519 stanza fingerprint is malformed'));
  const share = decodeBase64Unpadded(shareText);
  if (!share || share.length !== X25519_KEY_SIZE) throw badFile(said('crypto.x25519_share', 'X25519 stanza ephemeral share is malformed'));
  if (stanza.body.length !== WRAPPED_FILE_KEY_SIZE) throw badFile(said('crypto.x25519_body', 'X25519 stanza body has the wrong length'));
  return { fingerprint, share, body: stanza.body };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Seals to the machine whose public key is `publicKey` (`ohpub1…`). BAD_KEY when malformed. */
export function x25519Recipient(publicKey: string): Recipient {
  const recipientRaw = parsePublicKey(publicKey);
  const recipientKey = publicKeyObject(recipientRaw);
  const recipientFingerprint = fingerprintOfRaw(recipientRaw);
  return {
    async wrap(fileKey: Uint8Array): Promise<Stanza[]> {
      if (fileKey.length !== FILE_KEY_SIZE) throw internal('file key has the wrong length');
      const { secret, publicRaw: share } = x25519KeyPair();
      const shared = x25519(secret, recipientKey);
      if (!shared) throw badKey(said('crypto.low_order_recipient', 'recipient public key is a low-order point'));
      const wrapKey = hkdfSha256(shared, concat(share, recipientRaw), HKDF_INFO_X25519);
      shared.fill(0);
      const body = aeadSeal(wrapKey, fileKey);
      wrapKey.fill(0);
      return [{ type: X25519_STANZA_TYPE, args: [recipientFingerprint, encodeBase64Unpadded(share)], body }];
    },
  };
}

/** Opens files sealed to the public key of `secretKey` (`OH-SECRET-KEY-1…`). BAD_KEY when malformed. */
export function x25519Identity(secretKey: string): Identity {
  const secretRaw = parseSecretKey(secretKey);
  const { key: secret, publicRaw: ownRaw } = secretKeyParts(secretRaw);
  secretRaw.fill(0);
  return identityOf(secret, ownRaw);
}

/**
 * A key file's keys and the identity that opens what is sealed to it, with its secret key imported
 * once (the `token` hot path reads one key file per process). BAD_KEY when malformed.
 */
export function keyFileIdentity(text: string): { secretKey: string; publicKey: string; identity: Identity } {
  const { secretKey, publicKey, key, publicRaw } = readKeyFile(text);
  return { secretKey, publicKey, identity: identityOf(key, publicRaw) };
}

function identityOf(secret: KeyObject, ownRaw: Uint8Array): Identity {
  const ownFingerprint = fingerprintOfRaw(ownRaw);
  return {
    async unwrap(stanzas: readonly Stanza[]): Promise<Uint8Array> {
      for (const stanza of stanzas) {
        if (stanza.type !== X25519_STANZA_TYPE) continue;
        const { fingerprint, share, body } = parseX25519Stanza(stanza);
        if (fingerprint !== ownFingerprint) continue;
        const shared = x25519(secret, publicKeyObject(share));
        if (!shared) throw badFile(said('crypto.low_order_share', 'X25519 stanza has a low-order ephemeral share'));
        const wrapKey = hkdfSha256(shared, concat(share, ownRaw), HKDF_INFO_X25519);
        shared.fill(0);
        const fileKey = aeadOpen(wrapKey, body);
        wrapKey.fill(0);
        if (!fileKey) throw decryptFailed(said('crypto.x25519_open', 'the X25519 stanza for this key does not open (wrong key or tampered file)'));
        return fileKey;
      }
      throw new NotMineError();
    },
  };
}
