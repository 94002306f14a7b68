/**
 * Building blocks without knowledge of the file layout: error shorthands and the node:crypto
 * primitives (HKDF-SHA-256, ChaCha20-Poly1305, HMAC-SHA-256, raw X25519).
 */
import { Buffer } from 'node:buffer';
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  timingSafeEqual,
} from 'node:crypto';
import type { KeyObject, PrivateKeyInput, PublicKeyInput } from 'node:crypto';
import { CODES, HandoffError } from '../errors.js';
import type { Message } from '../i18n/index.js';
import { AEAD_KEY_SIZE, AEAD_NONCE_SIZE, AEAD_TAG_SIZE, X25519_KEY_SIZE, X25519_PKCS8_PREFIX, X25519_SPKI_PREFIX } from './constants.js';

// =============================================================================================
// error shorthands (docs/settings-file-format.md §8)
// =============================================================================================

export function badFile(message: string | Message, cause?: unknown): HandoffError {
  return new HandoffError(message, { code: CODES.BAD_FILE, cause });
}
export function decryptFailed(message: string | Message, cause?: unknown): HandoffError {
  return new HandoffError(message, { code: CODES.DECRYPT_FAILED, cause });
}
export function badKey(message: string | Message, cause?: unknown): HandoffError {
  return new HandoffError(message, { code: CODES.BAD_KEY, cause });
}
export function usage(message: string | Message): HandoffError {
  return new HandoffError(message, { code: CODES.USAGE });
}
export function internal(message: string | Message, cause?: unknown): HandoffError {
  return new HandoffError(message, { code: CODES.INTERNAL, cause });
}

// =============================================================================================
// node:crypto primitives
// =============================================================================================

const EMPTY = new Uint8Array(0);
const AEAD = 'chacha20-poly1305';

export function hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: string, length = AEAD_KEY_SIZE): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', ikm, salt, info, length));
}

export function hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac('sha256', key).update(data).digest());
}

/** ChaCha20-Poly1305 with a 12-byte zero nonce (every key is used once): ciphertext || tag. */
export function aeadSeal(key: Uint8Array, plaintext: Uint8Array, aad: Uint8Array = EMPTY): Uint8Array {
  const cipher = createCipheriv(AEAD, key, new Uint8Array(AEAD_NONCE_SIZE), { authTagLength: AEAD_TAG_SIZE });
  cipher.setAAD(aad, { plaintextLength: plaintext.length });
  const head = cipher.update(plaintext);
  const tail = cipher.final();
  const tag = cipher.getAuthTag();
  const out = new Uint8Array(head.length + tail.length + tag.length);
  out.set(head, 0);
  out.set(tail, head.length);
  out.set(tag, head.length + tail.length);
  return out;
}

/** Opens aeadSeal's output; undefined when it does not authenticate. Nothing leaks before the tag checks. */
export function aeadOpen(key: Uint8Array, sealed: Uint8Array, aad: Uint8Array = EMPTY): Uint8Array | undefined {
  if (sealed.length < AEAD_TAG_SIZE) return undefined;
  const split = sealed.length - AEAD_TAG_SIZE;
  const decipher = createDecipheriv(AEAD, key, new Uint8Array(AEAD_NONCE_SIZE), { authTagLength: AEAD_TAG_SIZE });
  decipher.setAAD(aad, { plaintextLength: sealed.length - AEAD_TAG_SIZE });
  decipher.setAuthTag(sealed.subarray(split));
  const head = decipher.update(sealed.subarray(0, split));
  let tail: Uint8Array;
  try {
    tail = decipher.final();
  } catch {
    head.fill(0);
    return undefined;
  }
  const out = new Uint8Array(head.length + tail.length);
  out.set(head, 0);
  out.set(tail, head.length);
  head.fill(0);
  return out;
}

export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

export function isAllZero(bytes: Uint8Array): boolean {
  let acc = 0;
  for (const b of bytes) acc |= b;
  return acc === 0;
}

// =============================================================================================
// raw X25519 with node:crypto (docs/settings-file-format.md §6.4)
// =============================================================================================
//
// OpenSSL 3 decodes DER slowly (≈ 0.4 ms for a PKCS #8 key against ≈ 0.04 ms for a JWK on the
// reference machine), and the `token` hot path imports one secret key per process. So raw keys go
// in and out as JWK (OKP, crv X25519); the fixed DER prefixes are the fallback should a Node.js
// version refuse the JWK form.

const SPKI_PREFIX = Buffer.from(X25519_SPKI_PREFIX, 'hex');
const PKCS8_PREFIX = Buffer.from(X25519_PKCS8_PREFIX, 'hex');

function base64url(raw: Uint8Array): string {
  return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64url');
}

/**
 * Node.js 24 imports raw X25519 keys as they are ('raw-public', 'raw-private'), and refuses the
 * JWK of a private key without its public part ("x"), which Node.js 20 accepts and derives: there,
 * raw keys first (the JWK would fail and fall back to DER, ≈ 0.6 ms of every cold `token`).
 */
const RAW_KEY_IMPORT = Number(process.versions.node.split('.')[0]) >= 24;

/** A raw key import ('raw-public' / 'raw-private', Node.js ≥ 24); undefined where this Node.js has none. */
function rawKeyObject(kind: 'public' | 'private', raw: Uint8Array): KeyObject | undefined {
  if (!RAW_KEY_IMPORT) return undefined;
  // the formats are newer than the @types/node of engines (Node.js 20): typed here by hand
  const options = { key: Buffer.from(raw), format: `raw-${kind}`, asymmetricKeyType: 'x25519' } as unknown as PublicKeyInput & PrivateKeyInput;
  try {
    return kind === 'public' ? createPublicKey(options) : createPrivateKey(options);
  } catch {
    return undefined;
  }
}

export function publicKeyObject(raw: Uint8Array): KeyObject {
  const key = rawKeyObject('public', raw);
  if (key) return key;
  try {
    return createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: base64url(raw) }, format: 'jwk' });
  } catch {
    return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
  }
}

export function privateKeyObject(raw: Uint8Array): KeyObject {
  const key = rawKeyObject('private', raw);
  if (key) return key;
  try {
    // Node.js 20 requires an "x" member but derives the public key from "d"
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

export function rawSecretKey(key: KeyObject): Uint8Array {
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

/** A fresh X25519 key pair: the private KeyObject and the raw public key. */
export function x25519KeyPair(): { secret: KeyObject; publicRaw: Uint8Array } {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  return { secret: privateKey, publicRaw: rawPublicKey(publicKey) };
}

/** The private KeyObject and raw public key of a raw secret key (one key import). */
export function secretKeyParts(secret: Uint8Array): { key: KeyObject; publicRaw: Uint8Array } {
  const key = privateKeyObject(secret);
  return { key, publicRaw: rawPublicKey(createPublicKey(key)) };
}
