/**
 * Every label, size and limit of docs/settings-file-format.md, under the name the spec uses.
 * Section numbers refer to that document. The KDF parameter types live here too, beside their
 * presets and caps, so this module imports nothing.
 */

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

// §3.2 version line
export const FORMAT_ID = 'oauth-handoff';
export const FORMAT_VERSION = 'v1';
export const VERSION_LINE = `${FORMAT_ID}/${FORMAT_VERSION}`;

// §3.3 created line
export const CREATED_LABEL = 'created';

// §3.4 stanzas, §3.5 MAC line
export const STANZA_PREFIX = '->';
export const MAC_PREFIX = '---';
export const STANZA_BODY_LINE_LENGTH = 64;

// §1, §3 limits
export const MAX_FILE_SIZE = 1 * MiB;
export const MAX_HEADER_SIZE = 64 * KiB;
export const MAX_HEADER_LINE_LENGTH = 1024;
export const MAX_STANZAS = 64;
export const MAX_STANZA_ARGS = 8;
export const MAX_STANZA_BODY_SIZE = 2048;

// §2, §3.4.1, §3.5, §4 sizes
export const FILE_KEY_SIZE = 16;
export const AEAD_KEY_SIZE = 32;
export const AEAD_NONCE_SIZE = 12;
export const AEAD_TAG_SIZE = 16;
export const WRAPPED_FILE_KEY_SIZE = FILE_KEY_SIZE + AEAD_TAG_SIZE;
export const MAC_SIZE = 32;
export const PAYLOAD_NONCE_SIZE = 16;
export const MIN_PAYLOAD_SIZE = PAYLOAD_NONCE_SIZE + AEAD_TAG_SIZE;

// HKDF-SHA-256 info labels
export const HKDF_INFO_X25519 = `${VERSION_LINE}/X25519`;
export const HKDF_INFO_HEADER = `${VERSION_LINE}/header`;
export const HKDF_INFO_PAYLOAD = `${VERSION_LINE}/payload`;

// §3.4.1 X25519 stanza
export const X25519_STANZA_TYPE = 'X25519';
export const X25519_KEY_SIZE = 32;
export const FINGERPRINT_SIZE = 8;

// §3.4.2 argon2id stanza
export const ARGON2ID_STANZA_TYPE = 'argon2id';
export const ARGON2ID_SALT_SIZE = 16;
export const ARGON2ID_MIN_OPS_LIMIT = 1;
export const ARGON2ID_MIN_MEM_LIMIT = 8 * KiB;
export const ARGON2ID_MEM_LIMIT_UNIT = KiB;
export const MAX_ARGON2ID_STANZAS = 1;

/** Argon2id cost: libsodium's opslimit (passes) and memlimit (bytes). */
export interface KdfParams {
  opsLimit: number;
  memLimit: number;
}

/** The most Argon2id work a reader agrees to do for one file. */
export interface KdfCaps {
  maxOpsLimit: number;
  maxMemLimit: number;
}

/** libsodium's crypto_pwhash presets (OPSLIMIT_* / MEMLIMIT_*). */
export const KDF_PRESETS: { readonly interactive: KdfParams; readonly moderate: KdfParams; readonly sensitive: KdfParams } =
  Object.freeze({
    interactive: Object.freeze({ opsLimit: 2, memLimit: 64 * MiB }),
    moderate: Object.freeze({ opsLimit: 3, memLimit: 256 * MiB }),
    sensitive: Object.freeze({ opsLimit: 4, memLimit: 1 * GiB }),
  });
export const DEFAULT_KDF_PARAMS: KdfParams = KDF_PRESETS.moderate;
export const DEFAULT_MAX_OPS_LIMIT = 8;
export const DEFAULT_MAX_MEM_LIMIT = 1 * GiB;
export const DEFAULT_KDF_CAPS: KdfCaps = Object.freeze({
  maxOpsLimit: DEFAULT_MAX_OPS_LIMIT,
  maxMemLimit: DEFAULT_MAX_MEM_LIMIT,
});

// §6 keys
export const PUBLIC_KEY_HRP = 'ohpub';
export const SECRET_KEY_HRP = 'oh-secret-key-';
/** HRP + "1" + 52 data characters (32 bytes) + 6 checksum characters */
export const PUBLIC_KEY_LENGTH = PUBLIC_KEY_HRP.length + 1 + 52 + 6;
export const SECRET_KEY_LENGTH = SECRET_KEY_HRP.length + 1 + 52 + 6;
export const KEY_FILE_CREATED_PREFIX = '# created: ';
export const KEY_FILE_PUBLIC_KEY_PREFIX = '# public key: ';
export const MAX_KEY_FILE_SIZE = 4 * KiB;
export const X25519_SPKI_PREFIX = '302a300506032b656e032100';
export const X25519_PKCS8_PREFIX = '302e020100300506032b656e04220420';

// §7 armor
export const ARMOR_BEGIN = '-----BEGIN OAUTH-HANDOFF SETTINGS-----';
export const ARMOR_END = '-----END OAUTH-HANDOFF SETTINGS-----';
export const ARMOR_LINE_LENGTH = 64;
export const MAX_ARMOR_SIZE = 2 * MiB;
