/** The settings-file format (src/crypto): opening, sealing, armor, keys. */
export const crypto = {
  'crypto.no_identity': 'no identity matched any recipient',
  'crypto.header_mac': 'header MAC mismatch',
  'crypto.payload_auth': 'payload authentication failed',
  'crypto.x25519_open': 'the X25519 stanza for this key does not open (wrong key or tampered file)',
  'crypto.wrong_passphrase': 'wrong passphrase',
} as const;
