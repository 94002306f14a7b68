/**
 * The argon2id (passphrase) recipient type: its stanza parser, the KDF, recipient and identity.
 * docs/settings-file-format.md §3.4.2.
 *
 * libsodium is imported only inside the function that runs the KDF: loading it costs 40–50 ms,
 * and the X25519 path must not pay for it.
 */
import { randomBytes } from 'node:crypto';
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
  MAX_ARGON2ID_STANZAS,
  WRAPPED_FILE_KEY_SIZE,
} from './constants.js';
import type { KdfCaps, KdfParams } from './constants.js';
import { decodeBase64Unpadded, encodeBase64Unpadded } from './encoding.js';
import { aeadOpen, aeadSeal, badFile, decryptFailed, internal, usage } from './primitives.js';
import { NotMineError } from './recipient.js';
import type { Identity, Recipient, Stanza } from './recipient.js';
import { said } from './said.js';

export interface Argon2idStanzaFields {
  salt: Uint8Array;
  opsLimit: number;
  memLimit: number;
  body: Uint8Array;
}

/** canonical decimal: no sign, no leading zero, small enough to be an exact JavaScript number */
const DECIMAL_PATTERN = /^[1-9][0-9]{0,14}$/;

/** `-> argon2id <salt> <opslimit> <memlimit>` and its wrapped file key; BAD_FILE when malformed. */
export function parseArgon2idStanza(stanza: Stanza): Argon2idStanzaFields {
  if (stanza.type !== ARGON2ID_STANZA_TYPE) throw badFile(said('crypto.argon2id_not_stanza', 'not an argon2id stanza'));
  if (stanza.args.length !== 3) throw badFile(said('crypto.argon2id_args', 'argon2id stanza must have 3 arguments'));
  const [saltText, opsText, memText] = stanza.args as [string, string, string];
  const salt = decodeBase64Unpadded(saltText);
  if (!salt || salt.length !== ARGON2ID_SALT_SIZE) throw badFile(said('crypto.argon2id_salt', 'argon2id stanza salt is malformed'));
  if (!DECIMAL_PATTERN.test(opsText)) throw badFile(said('crypto.argon2id_ops', 'argon2id stanza opslimit is malformed'));
  if (!DECIMAL_PATTERN.test(memText)) throw badFile(said('crypto.argon2id_mem', 'argon2id stanza memlimit is malformed'));
  const opsLimit = Number(opsText);
  const memLimit = Number(memText);
  if (opsLimit < ARGON2ID_MIN_OPS_LIMIT) throw badFile(said('crypto.argon2id_ops_min', 'argon2id stanza opslimit is below the minimum'));
  if (memLimit < ARGON2ID_MIN_MEM_LIMIT || memLimit % ARGON2ID_MEM_LIMIT_UNIT !== 0) {
    throw badFile(`argon2id stanza memlimit must be a multiple of ${ARGON2ID_MEM_LIMIT_UNIT} and at least ${ARGON2ID_MIN_MEM_LIMIT}`);
  }
  if (stanza.body.length !== WRAPPED_FILE_KEY_SIZE) throw badFile(said('crypto.argon2id_body', 'argon2id stanza body has the wrong length'));
  return { salt, opsLimit, memLimit, body: stanza.body };
}

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
  if (typeof passphrase !== 'string' || passphrase.length === 0) throw usage(said('crypto.passphrase_empty', 'passphrase is empty'));
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
      if (mine.length > MAX_ARGON2ID_STANZAS) throw badFile(said('crypto.two_argon2id', 'settings file has more than one argon2id stanza'));
      const { salt, opsLimit, memLimit, body } = parseArgon2idStanza(mine[0]!);
      if (opsLimit > maxOpsLimit) throw badFile(said('crypto.kdf_ops_over', 'argon2id opslimit {ops} is over the limit of {max}', { ops: opsLimit, max: maxOpsLimit }));
      if (memLimit > maxMemLimit) throw badFile(said('crypto.kdf_mem_over', 'argon2id memlimit {mem} is over the limit of {max} bytes', { mem: memLimit, max: maxMemLimit }));
      const wrapKey = await argon2id(secret, salt, { opsLimit, memLimit });
      const fileKey = aeadOpen(wrapKey, body);
      wrapKey.fill(0);
      if (!fileKey) throw decryptFailed(said('crypto.wrong_passphrase', 'wrong passphrase'));
      return fileKey;
    },
  };
}
