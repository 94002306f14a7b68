/**
 * Sealing and opening a whole file: the file key, the header MAC and the payload, over the header
 * codec and the recipient types. docs/settings-file-format.md §2, §4, §5.
 */
import { randomBytes } from 'node:crypto';
import { HandoffError } from '../errors.js';
import {
  ARGON2ID_STANZA_TYPE,
  FILE_KEY_SIZE,
  HKDF_INFO_HEADER,
  HKDF_INFO_PAYLOAD,
  MAX_ARGON2ID_STANZAS,
  MAX_FILE_SIZE,
  MAX_STANZAS,
  MIN_PAYLOAD_SIZE,
  PAYLOAD_NONCE_SIZE,
  X25519_STANZA_TYPE,
} from './constants.js';
import { parseArgon2idStanza } from './argon2id.js';
import { encodeHeader, encodeHeaderWithoutMac, formatCreated, parseHeader } from './header.js';
import type { ParsedHeader } from './header.js';
import { aeadOpen, aeadSeal, badFile, constantTimeEqual, decryptFailed, hkdfSha256, hmacSha256, internal, usage } from './primitives.js';
import { NotMineError } from './recipient.js';
import type { Identity, Recipient, RecipientInfo, Stanza } from './recipient.js';
import { parseX25519Stanza } from './x25519.js';
import { said } from './said.js';

const EMPTY = new Uint8Array(0);

/** What the header says, readable without any key. */
export interface Header {
  version: 1;
  created: Date;
  recipients: RecipientInfo[];
}

/** A file split into its parts; nothing here is authenticated yet. */
export interface ParsedFile extends Omit<ParsedHeader, 'rest'> {
  recipients: RecipientInfo[];
  payload: Uint8Array;
}

/** What `inspect` shows about one stanza; BAD_FILE when a known type is malformed. */
export function describeStanza(stanza: Stanza): RecipientInfo {
  switch (stanza.type) {
    case X25519_STANZA_TYPE:
      return { type: X25519_STANZA_TYPE, fingerprint: parseX25519Stanza(stanza).fingerprint };
    case ARGON2ID_STANZA_TYPE: {
      const { opsLimit, memLimit } = parseArgon2idStanza(stanza);
      return { type: ARGON2ID_STANZA_TYPE, opsLimit, memLimit };
    }
    default:
      return { type: stanza.type, args: [...stanza.args] };
  }
}

function headerMac(fileKey: Uint8Array, macInput: Uint8Array): Uint8Array {
  return hmacSha256(hkdfSha256(fileKey, EMPTY, HKDF_INFO_HEADER), macInput);
}

// =============================================================================================
// writing
// =============================================================================================

export interface AssembleOptions {
  /** the payload nonce; random when absent (tests and vectors only) */
  nonce?: Uint8Array;
}

/**
 * Builds a sealed file from a file key and ready stanzas. Checks stanza syntax only; `seal`
 * adds the checks of what the recipients produced. Exposed for the test-vector generator.
 */
export function assembleFile(
  fileKey: Uint8Array,
  created: Date,
  stanzas: readonly Stanza[],
  plaintext: Uint8Array,
  options: AssembleOptions = {},
): Uint8Array {
  if (fileKey.length !== FILE_KEY_SIZE) throw internal('file key has the wrong length');
  const macInput = encodeHeaderWithoutMac(created, stanzas);
  const header = encodeHeader(macInput, headerMac(fileKey, macInput));
  const nonce = options.nonce ?? new Uint8Array(randomBytes(PAYLOAD_NONCE_SIZE));
  if (nonce.length !== PAYLOAD_NONCE_SIZE) throw internal('payload nonce has the wrong length');
  const ciphertext = aeadSeal(hkdfSha256(fileKey, nonce, HKDF_INFO_PAYLOAD), plaintext, header);
  const total = header.length + nonce.length + ciphertext.length;
  if (total > MAX_FILE_SIZE) throw usage(said('crypto.seal_too_large', 'settings would make a file larger than {max} bytes', { max: MAX_FILE_SIZE }));
  const out = new Uint8Array(total);
  out.set(header, 0);
  out.set(nonce, header.length);
  out.set(ciphertext, header.length + nonce.length);
  return out;
}

/** Encrypts `plaintext` to every recipient with a fresh file key (§2). */
export async function seal(
  plaintext: Uint8Array,
  recipients: readonly Recipient[],
  opts: { now?: Date } = {},
): Promise<Uint8Array> {
  if (!(plaintext instanceof Uint8Array)) throw usage('plaintext must be bytes');
  if (recipients.length === 0) throw usage(said('crypto.no_recipients', 'no recipients to seal the settings file to'));
  const created = opts.now ?? new Date();
  formatCreated(created);
  const fileKey = new Uint8Array(randomBytes(FILE_KEY_SIZE));
  try {
    const stanzas: Stanza[] = [];
    for (const recipient of recipients) stanzas.push(...(await recipient.wrap(fileKey)));
    if (stanzas.length === 0) throw internal('recipients produced no stanza');
    if (stanzas.length > MAX_STANZAS) throw usage(said('crypto.too_many_recipients', 'a settings file can have at most {max} recipients', { max: MAX_STANZAS }));
    if (stanzas.filter((s) => s.type === ARGON2ID_STANZA_TYPE).length > MAX_ARGON2ID_STANZAS) {
      throw usage(said('crypto.one_passphrase', 'a settings file can be sealed to at most one passphrase'));
    }
    for (const stanza of stanzas) {
      try {
        describeStanza(stanza);
      } catch (cause) {
        throw internal('a recipient produced a malformed stanza', cause);
      }
    }
    return assembleFile(fileKey, created, stanzas, plaintext);
  } finally {
    fileKey.fill(0);
  }
}

// =============================================================================================
// reading
// =============================================================================================

/** Splits and strictly checks a sealed file (§5 step 1–2). BAD_FILE for any defect. */
export function parseFile(sealed: Uint8Array): ParsedFile {
  if (!(sealed instanceof Uint8Array)) throw badFile('settings file must be bytes');
  if (sealed.length > MAX_FILE_SIZE) throw badFile(said('crypto.file_too_large', 'settings file is larger than {max} bytes', { max: MAX_FILE_SIZE }));
  const { rest: payload, ...header } = parseHeader(sealed);
  if (payload.length < MIN_PAYLOAD_SIZE) throw badFile(said('crypto.payload_truncated', 'settings file payload is truncated'));
  const recipients = header.stanzas.map(describeStanza);
  if (header.stanzas.filter((s) => s.type === ARGON2ID_STANZA_TYPE).length > MAX_ARGON2ID_STANZAS) {
    throw badFile(said('crypto.two_argon2id', 'settings file has more than one argon2id stanza'));
  }
  return { ...header, recipients, payload };
}

/** The header of a sealed file, without any key (for `inspect`). BAD_FILE when malformed. */
export function readHeader(sealed: Uint8Array): Header {
  const { created, recipients } = parseFile(sealed);
  return { version: 1, created, recipients };
}

async function unwrapFileKey(stanzas: readonly Stanza[], identities: readonly Identity[]): Promise<Uint8Array> {
  for (const identity of identities) {
    let fileKey: Uint8Array;
    try {
      fileKey = await identity.unwrap(stanzas);
    } catch (error) {
      if (error instanceof NotMineError) continue;
      if (error instanceof HandoffError) throw error;
      throw internal('an identity failed while unwrapping the file key', error);
    }
    if (!(fileKey instanceof Uint8Array) || fileKey.length !== FILE_KEY_SIZE) {
      throw internal('an identity returned a file key of the wrong length');
    }
    return fileKey;
  }
  throw decryptFailed(said('crypto.no_identity', 'no identity matched any recipient'));
}

/** Decrypts a sealed file with the first identity that has a stanza in it (§5). */
export async function open(sealed: Uint8Array, identities: readonly Identity[]): Promise<Uint8Array> {
  // a private copy: the caller's buffer may change while identities are awaited
  const file = parseFile(sealed instanceof Uint8Array ? Uint8Array.from(sealed) : sealed);
  const fileKey = await unwrapFileKey(file.stanzas, identities);
  try {
    if (!constantTimeEqual(headerMac(fileKey, file.macInput), file.mac)) throw decryptFailed(said('crypto.header_mac', 'header MAC mismatch'));
    const nonce = file.payload.subarray(0, PAYLOAD_NONCE_SIZE);
    const plaintext = aeadOpen(
      hkdfSha256(fileKey, nonce, HKDF_INFO_PAYLOAD),
      file.payload.subarray(PAYLOAD_NONCE_SIZE),
      file.header,
    );
    if (!plaintext) throw decryptFailed(said('crypto.payload_auth', 'payload authentication failed'));
    return plaintext;
  } finally {
    fileKey.fill(0);
  }
}
