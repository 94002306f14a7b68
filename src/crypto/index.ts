/**
 * Envelope encryption of settings files: docs/settings-file-format.md. Laid out as age is:
 * recipient.ts (the Recipient/Identity interface and NotMineError), header.ts (the header codec),
 * file.ts (seal, open), armor.ts, one file per recipient type (x25519.ts, argon2id.ts), keys.ts
 * (key strings and key files). libsodium is loaded only when a passphrase is used.
 */
export { armor, dearmor, decodeSettingsInput } from './armor.js';
export { open, readHeader, seal } from './file.js';
export type { Header } from './file.js';
export { NotMineError } from './recipient.js';
export type { Identity, Recipient, RecipientInfo, Stanza } from './recipient.js';
export { fingerprint, formatKeyFile, generateKeyPair, parseKeyFile, parsePublicKey, publicKeyFromSecret } from './keys.js';
export { keyFileIdentity, x25519Identity, x25519Recipient } from './x25519.js';
export { passphraseIdentity, passphraseRecipient } from './argon2id.js';
export { DEFAULT_KDF_CAPS, KDF_PRESETS } from './constants.js';
export type { KdfCaps, KdfParams } from './constants.js';
