/**
 * Recipient kinds and their keys: X25519 machine keys (Bech32 strings, fingerprint, key file,
 * recipient and identity) and the argon2id passphrase recipient and identity.
 * docs/settings-file-format.md §3.4.1, §3.4.2, §6.
 *
 * libsodium is imported only inside the function that runs the KDF: loading it costs 40–50 ms,
 * and the X25519 path must not pay for it.
 */
import { Buffer } from 'node:buffer';
import { createHash, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import {
  AEAD_KEY_SIZE,
  ARGON2ID_MEM_LIMIT_UNIT,
  ARGON2ID_MIN_MEM_LIMIT,
  ARGON2ID_MIN_OPS_LIMIT,
  ARGON2ID_SALT_SIZE,
  ARGON2ID_STANZA_TYPE,
  DEFAULT_KDF_CAPS,
  DEFAULT_KDF_PARAMS,
  FILE_KEY_SIZE,
  FINGERPRINT_SIZE,
  HKDF_INFO_X25519,
  KEY_FILE_CREATED_PREFIX,
  KEY_FILE_PUBLIC_KEY_PREFIX,
  MAX_ARGON2ID_STANZAS,
  MAX_KEY_FILE_SIZE,
  PUBLIC_KEY_HRP,
  PUBLIC_KEY_LENGTH,
  SECRET_KEY_HRP,
  SECRET_KEY_LENGTH,
  X25519_KEY_SIZE,
  X25519_PKCS8_PREFIX,
  X25519_SPKI_PREFIX,
  X25519_STANZA_TYPE,
} from './constants.js';
import { NotMineError, formatCreated, parseArgon2idStanza, parseX25519Stanza } from './format.js';
import type { Identity, KdfCaps, KdfParams, Recipient, Stanza } from './format.js';
import {
  aeadOpen,
  aeadSeal,
  badFile,
  badKey,
  bech32Decode,
  bech32Encode,
  decryptFailed,
  encodeBase64Unpadded,
  hkdfSha256,
  internal,
  isAllZero,
  usage,
} from './primitives.js';

// =============================================================================================
// X25519 keys (§6)
// =============================================================================================

const SPKI_PREFIX = Buffer.from(X25519_SPKI_PREFIX, 'hex');
const PKCS8_PREFIX = Buffer.from(X25519_PKCS8_PREFIX, 'hex');
const BECH32_DATA = /^[qpzry9x8gf2tvdw0s3jn54khce6mua7l]+$/;

// ---------------------------------------------------------------------------------------------
// raw X25519 with node:crypto (§6.4)
//
// OpenSSL 3 decodes DER slowly (≈ 0.4 ms for a PKCS #8 key against ≈ 0.04 ms for a JWK on the
// reference machine), and the `token` hot path imports one secret key per process. So raw keys go
// in and out as JWK (OKP, crv X25519); the fixed DER prefixes are the fallback should a Node.js
// version refuse the JWK form.

function base64url(raw: Uint8Array): string {
  return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64url');
}

export function publicKeyObject(raw: Uint8Array): KeyObject {
  try {
    return createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: base64url(raw) }, format: 'jwk' });
  } catch {
    return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
  }
}

export function privateKeyObject(raw: Uint8Array): KeyObject {
  try {
    // node:crypto requires an "x" member but derives the public key from "d"
    return createPrivateKey({ key: { kty: 'OKP', crv: 'X25519', d: base64url(raw), x: '' }, format: 'jwk' });
  } catch {
    return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, raw]), format: 'der', type: 'pkcs8' });
  }
}

function rawFromJwk(member: string | undefined, key: KeyObject, type: 'spki' | 'pkcs8'): Uint8Array {
  const raw = member === undefined ? undefined : Buffer.from(member, 'base64url');
  if (raw && raw.length === X25519_KEY_SIZE) return new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  const der = key.export({ format: 'der', type });
  return new Uint8Array(der.subarray(der.length - X25519_KEY_SIZE));
}

export function rawPublicKey(key: KeyObject): Uint8Array {
  return rawFromJwk(key.export({ format: 'jwk' }).x, key, 'spki');
}

function rawSecretKey(key: KeyObject): Uint8Array {
  return rawFromJwk(key.export({ format: 'jwk' }).d, key, 'pkcs8');
}

/** X25519(secret, public); undefined for a low-order public key (an all-zero shared secret). */
export function x25519(secret: KeyObject, publicKey: KeyObject): Uint8Array | undefined {
  let shared: Uint8Array;
  try {
    shared = new Uint8Array(diffieHellman({ privateKey: secret, publicKey }));
  } catch {
    // OpenSSL refuses to return an all-zero shared secret
    return undefined;
  }
  return shared.length === X25519_KEY_SIZE && !isAllZero(shared) ? shared : undefined;
}

/** A fresh ephemeral key pair: the private KeyObject and the raw public share. */
export function ephemeralKeyPair(): { secret: KeyObject; share: Uint8Array } {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  return { secret: privateKey, share: rawPublicKey(publicKey) };
}

// ---------------------------------------------------------------------------------------------
// Bech32 strings (§6.1)

function decodeKey(text: string, hrp: string, length: number, what: string): Uint8Array {
  const lower = text.toLowerCase();
  if (text !== lower && text !== text.toUpperCase()) throw badKey(`${what} mixes upper and lower case`);
  if (!lower.startsWith(`${hrp}1`)) throw badKey(`not an oauth-handoff ${what} (it should start with "${hrp}1")`);
  if (lower.length !== length) throw badKey(`${what} has the wrong length (${length} characters expected)`);
  if (!BECH32_DATA.test(lower.slice(hrp.length + 1))) {
    throw badKey(`${what} contains a character that Bech32 does not use (mistyped?)`);
  }
  const decoded = bech32Decode(lower);
  if (!decoded.ok) {
    if (decoded.reason === 'checksum') throw badKey(`${what} checksum failed: the key was mistyped or damaged`);
    throw badKey(`${what} is not a canonical Bech32 key`);
  }
  if (decoded.hrp !== hrp || decoded.data.length !== X25519_KEY_SIZE) throw badKey(`${what} is malformed`);
  return decoded.data;
}

/** The 32 raw bytes of an `ohpub1…` public key; surrounding whitespace is ignored. BAD_KEY otherwise. */
export function parsePublicKey(text: string): Uint8Array {
  if (typeof text !== 'string') throw badKey('public key must be text');
  const trimmed = text.trim();
  if (trimmed.toLowerCase().startsWith(`${SECRET_KEY_HRP}1`)) throw badKey('expected a public key, got a secret key');
  return decodeKey(trimmed, PUBLIC_KEY_HRP, PUBLIC_KEY_LENGTH, 'public key');
}

/** The 32 raw bytes of an `OH-SECRET-KEY-1…` secret key (exactly the key, no whitespace). */
export function parseSecretKey(text: string): Uint8Array {
  if (typeof text !== 'string') throw badKey('secret key must be text');
  if (text.trim() !== text) throw badKey('secret key has surrounding whitespace');
  if (text.toLowerCase().startsWith(`${PUBLIC_KEY_HRP}1`)) throw badKey('expected a secret key, got a public key');
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
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  const secret = rawSecretKey(privateKey);
  const result = { publicKey: encodePublicKey(rawPublicKey(publicKey)), secretKey: encodeSecretKey(secret) };
  secret.fill(0);
  return result;
}

export function publicRawFromSecretRaw(secret: Uint8Array): Uint8Array {
  return rawPublicKey(createPublicKey(privateKeyObject(secret)));
}

/** The private KeyObject and raw public key of a raw secret key (one key import). */
export function secretKeyParts(secret: Uint8Array): { key: KeyObject; publicRaw: Uint8Array } {
  const key = privateKeyObject(secret);
  return { key, publicRaw: rawPublicKey(createPublicKey(key)) };
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
  return createHash('sha256').update(publicRaw).digest().subarray(0, FINGERPRINT_SIZE).toString('hex');
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

export function parseKeyFile(text: string): { secretKey: string; publicKey: string } {
  if (typeof text !== 'string') throw badKey('key file must be text');
  if (text.length > MAX_KEY_FILE_SIZE) throw badKey(`key file is larger than ${MAX_KEY_FILE_SIZE} bytes`);
  if (text.includes('\r')) throw badKey('key file has CR characters (expected LF line ends)');
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  if (body.length === 0) throw badKey('key file is empty');
  let claimedPublicKey: string | undefined;
  let secretLine: string | undefined;
  for (const line of body.split('\n')) {
    if (line.length === 0) throw badKey('key file has a blank line');
    if (secretLine !== undefined) throw badKey('key file has lines after the secret key');
    if (line.startsWith('#')) {
      if (line.startsWith(KEY_FILE_PUBLIC_KEY_PREFIX)) {
        if (claimedPublicKey !== undefined) throw badKey('key file has two public key comments');
        claimedPublicKey = line.slice(KEY_FILE_PUBLIC_KEY_PREFIX.length);
      }
      continue;
    }
    secretLine = line;
  }
  if (secretLine === undefined) throw badKey('key file has no secret key');
  const secret = parseSecretKey(secretLine);
  try {
    const publicRaw = publicRawFromSecretRaw(secret);
    const publicKey = encodePublicKey(publicRaw);
    if (claimedPublicKey !== undefined) {
      const claimed = decodeKey(claimedPublicKey, PUBLIC_KEY_HRP, PUBLIC_KEY_LENGTH, 'public key comment of the key file');
      if (!Buffer.from(claimed).equals(Buffer.from(publicRaw))) {
        throw badKey('key file public key comment does not match its secret key');
      }
    }
    return { secretKey: encodeSecretKey(secret), publicKey };
  } finally {
    secret.fill(0);
  }
}

// =============================================================================================
// X25519 recipient and identity (§3.4.1)
// =============================================================================================

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
      const { secret, share } = ephemeralKeyPair();
      const shared = x25519(secret, recipientKey);
      if (!shared) throw badKey('recipient public key is a low-order point');
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
  const ownFingerprint = fingerprintOfRaw(ownRaw);
  return {
    async unwrap(stanzas: readonly Stanza[]): Promise<Uint8Array> {
      for (const stanza of stanzas) {
        if (stanza.type !== X25519_STANZA_TYPE) continue;
        const { fingerprint, share, body } = parseX25519Stanza(stanza);
        if (fingerprint !== ownFingerprint) continue;
        const shared = x25519(secret, publicKeyObject(share));
        if (!shared) throw badFile('X25519 stanza has a low-order ephemeral share');
        const wrapKey = hkdfSha256(shared, concat(share, ownRaw), HKDF_INFO_X25519);
        shared.fill(0);
        const fileKey = aeadOpen(wrapKey, body);
        wrapKey.fill(0);
        if (!fileKey) throw decryptFailed('the X25519 stanza for this key does not open (wrong key or tampered file)');
        return fileKey;
      }
      throw new NotMineError();
    },
  };
}

// =============================================================================================
// argon2id passphrase recipient and identity (§3.4.2)
// =============================================================================================

/** Argon2id via libsodium's crypto_pwhash (ALG_ARGON2ID13), 32-byte output. */
async function argon2id(passphrase: Uint8Array, salt: Uint8Array, params: KdfParams): Promise<Uint8Array> {
  let sodium;
  try {
    sodium = (await import('libsodium-wrappers-sumo')).default;
    await sodium.ready;
  } catch (cause) {
    throw internal('could not load libsodium for the passphrase KDF', cause);
  }
  try {
    return sodium.crypto_pwhash(
      AEAD_KEY_SIZE,
      passphrase,
      salt,
      params.opsLimit,
      params.memLimit,
      sodium.crypto_pwhash_ALG_ARGON2ID13,
    );
  } catch (cause) {
    throw internal('the passphrase KDF failed', cause);
  }
}

function passphraseBytes(passphrase: string): Uint8Array {
  if (typeof passphrase !== 'string' || passphrase.length === 0) throw usage('passphrase is empty');
  return new TextEncoder().encode(passphrase);
}

function isInteger(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n);
}

/** Seals to a passphrase. `params` defaults to KDF_PRESETS.moderate; USAGE when over DEFAULT_KDF_CAPS. */
export function passphraseRecipient(passphrase: string, params: KdfParams = DEFAULT_KDF_PARAMS): Recipient {
  const secret = passphraseBytes(passphrase);
  const { opsLimit, memLimit } = params;
  if (!isInteger(opsLimit) || opsLimit < ARGON2ID_MIN_OPS_LIMIT || opsLimit > DEFAULT_KDF_CAPS.maxOpsLimit) {
    throw usage(`argon2id opslimit must be an integer from ${ARGON2ID_MIN_OPS_LIMIT} to ${DEFAULT_KDF_CAPS.maxOpsLimit}`);
  }
  if (
    !isInteger(memLimit) ||
    memLimit < ARGON2ID_MIN_MEM_LIMIT ||
    memLimit > DEFAULT_KDF_CAPS.maxMemLimit ||
    memLimit % ARGON2ID_MEM_LIMIT_UNIT !== 0
  ) {
    throw usage(
      `argon2id memlimit must be a multiple of ${ARGON2ID_MEM_LIMIT_UNIT} from ${ARGON2ID_MIN_MEM_LIMIT} to ${DEFAULT_KDF_CAPS.maxMemLimit} bytes`,
    );
  }
  return {
    async wrap(fileKey: Uint8Array): Promise<Stanza[]> {
      if (fileKey.length !== FILE_KEY_SIZE) throw internal('file key has the wrong length');
      const salt = new Uint8Array(randomBytes(ARGON2ID_SALT_SIZE));
      const wrapKey = await argon2id(secret, salt, { opsLimit, memLimit });
      const body = aeadSeal(wrapKey, fileKey);
      wrapKey.fill(0);
      return [{ type: ARGON2ID_STANZA_TYPE, args: [encodeBase64Unpadded(salt), String(opsLimit), String(memLimit)], body }];
    },
  };
}

/** Opens files sealed to `passphrase`, refusing (BAD_FILE) KDF parameters over `caps` before any work. */
export function passphraseIdentity(passphrase: string, caps: KdfCaps = DEFAULT_KDF_CAPS): Identity {
  const secret = passphraseBytes(passphrase);
  const { maxOpsLimit, maxMemLimit } = caps;
  if (!isInteger(maxOpsLimit) || !isInteger(maxMemLimit) || maxOpsLimit < 1 || maxMemLimit < 1) {
    throw usage('KDF caps must be positive integers');
  }
  return {
    async unwrap(stanzas: readonly Stanza[]): Promise<Uint8Array> {
      const mine = stanzas.filter((s) => s.type === ARGON2ID_STANZA_TYPE);
      if (mine.length === 0) throw new NotMineError();
      if (mine.length > MAX_ARGON2ID_STANZAS) throw badFile('settings file has more than one argon2id stanza');
      const { salt, opsLimit, memLimit, body } = parseArgon2idStanza(mine[0]!);
      if (opsLimit > maxOpsLimit) throw badFile(`argon2id opslimit ${opsLimit} is over the limit of ${maxOpsLimit}`);
      if (memLimit > maxMemLimit) throw badFile(`argon2id memlimit ${memLimit} is over the limit of ${maxMemLimit} bytes`);
      const wrapKey = await argon2id(secret, salt, { opsLimit, memLimit });
      const fileKey = aeadOpen(wrapKey, body);
      wrapKey.fill(0);
      if (!fileKey) throw decryptFailed('wrong passphrase');
      return fileKey;
    },
  };
}
