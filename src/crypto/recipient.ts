/**
 * The extension point of the format (docs/settings-file-format.md §3.4): what a file is sealed to
 * (Recipient) and what opens it (Identity), one pair per stanza type, as age's Recipient and
 * Identity. Each type lives in a file of its own (x25519.ts, argon2id.ts) with its stanza parser.
 */

/** One recipient stanza of the header (docs/settings-file-format.md §3.4). */
export interface Stanza {
  type: string;
  args: string[];
  body: Uint8Array;
}

/** Something a file can be sealed to: wraps the file key into stanzas. */
export interface Recipient {
  wrap(fileKey: Uint8Array): Promise<Stanza[]>;
}

/** Something that can open a file: recovers the file key from the stanzas. */
export interface Identity {
  /** throws NotMineError when no stanza is for this identity; any other error is fatal */
  unwrap(stanzas: readonly Stanza[]): Promise<Uint8Array>;
}

/** "None of these stanzas is for me": not an error of the file, the next identity is tried. */
export class NotMineError extends Error {
  constructor(message = 'no stanza for this identity') {
    super(message);
    this.name = 'NotMineError';
  }
}

/** What `inspect` shows about one stanza. */
export type RecipientInfo =
  | { type: 'X25519'; fingerprint: string }
  | { type: 'argon2id'; opsLimit: number; memLimit: number }
  | { type: string; args: string[] };
