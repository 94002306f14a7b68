/**
 * Machine keys: the Bech32 key strings (`ohpub1…`, `OH-SECRET-KEY-1…`), the fingerprint and the
 * key file. docs/settings-file-format.md §6.
 */
import { Buffer } from 'node:buffer';
import { hash } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import {
  FINGERPRINT_SIZE,
  KEY_FILE_CREATED_PREFIX,
  KEY_FILE_PUBLIC_KEY_PREFIX,
  MAX_KEY_FILE_SIZE,
  PUBLIC_KEY_HRP,
  PUBLIC_KEY_LENGTH,
  SECRET_KEY_HRP,
  SECRET_KEY_LENGTH,
  X25519_KEY_SIZE,
} from './constants.js';
import { bech32Decode, bech32Encode } from './encoding.js';
import { formatCreated } from './header.js';
import { badKey, rawSecretKey, secretKeyParts, x25519KeyPair } from './primitives.js';
import { said } from './said.js';
import type { Message } from '../i18n/index.js';

const BECH32_DATA = /^[qpzry9x8gf2tvdw0s3jn54khce6mua7l]+$/;

// ---------------------------------------------------------------------------------------------
// Bech32 strings (§6.1)

type KeyKind = 'public key' | 'secret key' | 'public key comment of the key file';
type KeyProblem = 'mixed_case' | 'not_ours' | 'wrong_length' | 'bad_char' | 'checksum' | 'not_canonical' | 'malformed';

/** One whole sentence per problem and kind of key (Japanese puts the key elsewhere in the sentence). */
function keyMessage(what: KeyKind, problem: KeyProblem, p: { hrp?: string; length?: number } = {}): Message {
  const hrp = p.hrp ?? '';
  const length = p.length ?? 0;
  if (what === 'public key comment of the key file') {
    switch (problem) {
      case 'mixed_case': return said('crypto.key.mixed_case.comment', 'public key comment of the key file mixes upper and lower case');
      case 'not_ours': return said('crypto.key.not_ours.comment', 'not an oauth-handoff public key comment of the key file (it should start with "{hrp}1")', { hrp });
      case 'wrong_length': return said('crypto.key.wrong_length.comment', 'public key comment of the key file has the wrong length ({length} characters expected)', { length });
      case 'bad_char': return said('crypto.key.bad_char.comment', 'public key comment of the key file contains a character that Bech32 does not use (mistyped?)');
      case 'checksum': return said('crypto.key.checksum.comment', 'public key comment of the key file checksum failed: the key was mistyped or damaged');
      case 'not_canonical': return said('crypto.key.not_canonical.comment', 'public key comment of the key file is not a canonical Bech32 key');
      case 'malformed': return said('crypto.key.malformed.comment', 'public key comment of the key file is malformed');
    }
  }
  if (what === 'public key') {
    switch (problem) {
      case 'mixed_case': return said('crypto.key.mixed_case.public', 'public key mixes upper and lower case');
      case 'not_ours': return said('crypto.key.not_ours.public', 'not an oauth-handoff public key (it should start with "{hrp}1")', { hrp });
      case 'wrong_length': return said('crypto.key.wrong_length.public', 'public key has the wrong length ({length} characters expected)', { length });
      case 'bad_char': return said('crypto.key.bad_char.public', 'public key contains a character that Bech32 does not use (mistyped?)');
      case 'checksum': return said('crypto.key.checksum.public', 'public key checksum failed: the key was mistyped or damaged');
      case 'not_canonical': return said('crypto.key.not_canonical.public', 'public key is not a canonical Bech32 key');
      case 'malformed': return said('crypto.key.malformed.public', 'public key is malformed');
    }
  }
  switch (problem) {
    case 'mixed_case': return said('crypto.key.mixed_case.secret', 'secret key mixes upper and lower case');
    case 'not_ours': return said('crypto.key.not_ours.secret', 'not an oauth-handoff secret key (it should start with "{hrp}1")', { hrp });
    case 'wrong_length': return said('crypto.key.wrong_length.secret', 'secret key has the wrong length ({length} characters expected)', { length });
    case 'bad_char': return said('crypto.key.bad_char.secret', 'secret key contains a character that Bech32 does not use (mistyped?)');
    case 'checksum': return said('crypto.key.checksum.secret', 'secret key checksum failed: the key was mistyped or damaged');
    case 'not_canonical': return said('crypto.key.not_canonical.secret', 'secret key is not a canonical Bech32 key');
    case 'malformed': return said('crypto.key.malformed.secret', 'secret key is malformed');
  }
}

function decodeKey(text: string, hrp: string, length: number, what: KeyKind): Uint8Array {
  const lower = text.toLowerCase();
  if (text !== lower && text !== text.toUpperCase()) throw badKey(keyMessage(what, 'mixed_case'));
  if (!lower.startsWith(`${hrp}1`)) throw badKey(keyMessage(what, 'not_ours', { hrp }));
  if (lower.length !== length) throw badKey(keyMessage(what, 'wrong_length', { length }));
  if (!BECH32_DATA.test(lower.slice(hrp.length + 1))) {
    throw badKey(keyMessage(what, 'bad_char'));
  }
  const decoded = bech32Decode(lower);
  if (!decoded.ok) {
    if (decoded.reason === 'checksum') throw badKey(keyMessage(what, 'checksum'));
    throw badKey(keyMessage(what, 'not_canonical'));
  }
  if (decoded.hrp !== hrp || decoded.data.length !== X25519_KEY_SIZE) throw badKey(keyMessage(what, 'malformed'));
  return decoded.data;
}

/** The 32 raw bytes of an `ohpub1…` public key; surrounding whitespace is ignored. BAD_KEY otherwise. */
export function parsePublicKey(text: string): Uint8Array {
  if (typeof text !== 'string') throw badKey('public key must be text');
  const trimmed = text.trim();
  if (trimmed.toLowerCase().startsWith(`${SECRET_KEY_HRP}1`)) throw badKey(said('crypto.key_secret_given', 'expected a public key, got a secret key'));
  return decodeKey(trimmed, PUBLIC_KEY_HRP, PUBLIC_KEY_LENGTH, 'public key');
}

/** The 32 raw bytes of an `OH-SECRET-KEY-1…` secret key (exactly the key, no whitespace). */
export function parseSecretKey(text: string): Uint8Array {
  if (typeof text !== 'string') throw badKey('secret key must be text');
  if (text.trim() !== text) throw badKey(said('crypto.key_secret_whitespace', 'secret key has surrounding whitespace'));
  if (text.toLowerCase().startsWith(`${PUBLIC_KEY_HRP}1`)) throw badKey(said('crypto.key_public_given', 'expected a secret key, got a public key'));
  return decodeKey(text, SECRET_KEY_HRP, SECRET_KEY_LENGTH, 'secret key');
}

export function encodePublicKey(raw: Uint8Array): string {
  return bech32Encode(PUBLIC_KEY_HRP, raw);
}

export function encodeSecretKey(raw: Uint8Array): string {
  return bech32Encode(SECRET_KEY_HRP, raw).toUpperCase();
}

/** A new machine key pair: `ohpub1…` and `OH-SECRET-KEY-1…`. */
export function generateKeyPair(): { publicKey: string; secretKey: string } {
  const { secret: key, publicRaw } = x25519KeyPair();
  const secret = rawSecretKey(key);
  const result = { publicKey: encodePublicKey(publicRaw), secretKey: encodeSecretKey(secret) };
  secret.fill(0);
  return result;
}

export function publicRawFromSecretRaw(secret: Uint8Array): Uint8Array {
  return secretKeyParts(secret).publicRaw;
}

export function publicKeyFromSecret(secretKey: string): string {
  const secret = parseSecretKey(secretKey);
  try {
    return encodePublicKey(publicRawFromSecretRaw(secret));
  } finally {
    secret.fill(0);
  }
}

// ---------------------------------------------------------------------------------------------
// fingerprint (§6.3)

export function fingerprintOfRaw(publicRaw: Uint8Array): string {
  // the one-shot hash(): on the `token` hot path its first call is ≈ 0.2 ms cheaper than createHash's (the bin has made it already)
  return hash('sha256', publicRaw, 'buffer').subarray(0, FINGERPRINT_SIZE).toString('hex');
}

/** First 8 bytes of SHA-256 of the raw public key, 16 lower-case hex digits. */
export function fingerprint(publicKey: string): string {
  return fingerprintOfRaw(parsePublicKey(publicKey));
}

// ---------------------------------------------------------------------------------------------
// key file (§6.2)

export function formatKeyFile(secretKey: string, created: Date): string {
  const publicKey = publicKeyFromSecret(secretKey);
  const secret = parseSecretKey(secretKey);
  try {
    return `${KEY_FILE_CREATED_PREFIX}${formatCreated(created)}\n${KEY_FILE_PUBLIC_KEY_PREFIX}${publicKey}\n${encodeSecretKey(secret)}\n`;
  } finally {
    secret.fill(0);
  }
}

/** A key file read once: its keys as strings, and the secret key imported (its KeyObject and raw public key). */
export interface KeyFileParts {
  secretKey: string;
  publicKey: string;
  key: KeyObject;
  publicRaw: Uint8Array;
}

/** Reads and checks a key file (§6.2), importing its secret key once. BAD_KEY when malformed. */
export function readKeyFile(text: string): KeyFileParts {
  if (typeof text !== 'string') throw badKey('key file must be text');
  if (text.length > MAX_KEY_FILE_SIZE) throw badKey(`key file is larger than ${MAX_KEY_FILE_SIZE} bytes`);
  if (text.includes('\r')) throw badKey(said('crypto.key_file_cr', 'key file has CR characters (expected LF line ends)'));
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  if (body.length === 0) throw badKey(said('crypto.key_file_empty', 'key file is empty'));
  let claimedPublicKey: string | undefined;
  let secretLine: string | undefined;
  for (const line of body.split('\n')) {
    if (line.length === 0) throw badKey(said('crypto.key_file_blank_line', 'key file has a blank line'));
    if (secretLine !== undefined) throw badKey(said('crypto.key_file_after_secret', 'key file has lines after the secret key'));
    if (line.startsWith('#')) {
      if (line.startsWith(KEY_FILE_PUBLIC_KEY_PREFIX)) {
        if (claimedPublicKey !== undefined) throw badKey(said('crypto.key_file_two_public', 'key file has two public key comments'));
        claimedPublicKey = line.slice(KEY_FILE_PUBLIC_KEY_PREFIX.length);
      }
      continue;
    }
    secretLine = line;
  }
  if (secretLine === undefined) throw badKey(said('crypto.key_file_no_secret', 'key file has no secret key'));
  const secret = parseSecretKey(secretLine);
  try {
    const { key, publicRaw } = secretKeyParts(secret);
    const publicKey = encodePublicKey(publicRaw);
    if (claimedPublicKey !== undefined) {
      const claimed = decodeKey(claimedPublicKey, PUBLIC_KEY_HRP, PUBLIC_KEY_LENGTH, 'public key comment of the key file');
      if (!Buffer.from(claimed).equals(Buffer.from(publicRaw))) {
        throw badKey(said('crypto.key_file_mismatch', 'key file public key comment does not match its secret key'));
      }
    }
    return { secretKey: encodeSecretKey(secret), publicKey, key, publicRaw };
  } finally {
    secret.fill(0);
  }
}

export function parseKeyFile(text: string): { secretKey: string; publicKey: string } {
  const { secretKey, publicKey } = readKeyFile(text);
  return { secretKey, publicKey };
}
