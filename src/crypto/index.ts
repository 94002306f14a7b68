/**
 * Envelope encryption of settings files: docs/settings-file-format.md.
 * Importing this loads node:crypto and four small modules; libsodium is loaded only when a
 * passphrase is used.
 */
export { NotMineError, armor, dearmor, decodeSettingsInput, open, readHeader, seal } from './format.js';
export type { Header, Identity, KdfCaps, KdfParams, Recipient, RecipientInfo, Stanza } from './format.js';
export {
  fingerprint,
  formatKeyFile,
  generateKeyPair,
  parseKeyFile,
  parsePublicKey,
  passphraseIdentity,
  passphraseRecipient,
  publicKeyFromSecret,
  x25519Identity,
  x25519Recipient,
} from './recipients.js';
export { DEFAULT_KDF_CAPS, KDF_PRESETS } from './constants.js';
