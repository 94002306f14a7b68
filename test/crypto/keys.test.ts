import test from 'ava';
import { bech32 } from 'bech32';
import { createHash, randomBytes } from 'node:crypto';
import { bech32Decode, bech32Encode } from '../../src/crypto/encoding.js';
import { encodePublicKey, encodeSecretKey } from '../../src/crypto/keys.js';
import { privateKeyObject, publicKeyObject, x25519 } from '../../src/crypto/primitives.js';
import {
  fingerprint,
  formatKeyFile,
  generateKeyPair,
  parseKeyFile,
  parsePublicKey,
  publicKeyFromSecret,
  x25519Identity,
  x25519Recipient,
} from '../../src/crypto/index.js';
import { describe, errorMessage } from './helpers.js';

const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

test('generated keys have the documented shapes', (t) => {
  const { publicKey, secretKey } = generateKeyPair();
  t.regex(publicKey, /^ohpub1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{58}$/);
  t.regex(secretKey, /^OH-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}$/);
  t.is(publicKeyFromSecret(secretKey), publicKey);
  t.is(publicKeyFromSecret(secretKey.toLowerCase()), publicKey);
  t.is(parsePublicKey(publicKey).length, 32);
  t.is(fingerprint(publicKey), createHash('sha256').update(parsePublicKey(publicKey)).digest('hex').slice(0, 16));
});

test('the in-tree Bech32 agrees with the bech32 package', (t) => {
  for (let i = 0; i < 200; i++) {
    const data = new Uint8Array(randomBytes(32));
    const hrp = i % 2 ? 'ohpub' : 'oh-secret-key-';
    const ours = bech32Encode(hrp, data);
    t.is(ours, bech32.encode(hrp, bech32.toWords(data)));
    const decoded = bech32Decode(ours.toUpperCase());
    t.true(decoded.ok && decoded.hrp === hrp && Buffer.from(decoded.data).equals(data));
  }
});

test('a one-character typo anywhere in a public key is caught, and the error says the checksum failed', (t) => {
  const { publicKey } = generateKeyPair();
  let checked = 0;
  for (let i = 'ohpub1'.length; i < publicKey.length; i++) {
    for (const c of CHARSET) {
      if (c === publicKey[i]) continue;
      const typo = publicKey.slice(0, i) + c + publicKey.slice(i + 1);
      const result = (() => {
        try {
          return { ok: true as const, value: parsePublicKey(typo) };
        } catch (error) {
          return { ok: false as const, error };
        }
      })();
      t.is(describe(result), 'BAD_KEY');
      t.regex(errorMessage(result), /checksum failed/);
      checked++;
    }
  }
  t.is(checked, 58 * 31);
  // characters Bech32 never uses, and swapped neighbours
  t.regex(errorMessage({ ok: false, error: catchError(() => parsePublicKey(`${publicKey.slice(0, 10)}b${publicKey.slice(11)}`)) }), /Bech32 does not use/);
  const swapAt = [...publicKey].findIndex((c, i) => i > 6 && c !== publicKey[i + 1]);
  const swapped = publicKey.slice(0, swapAt) + publicKey[swapAt + 1] + publicKey[swapAt] + publicKey.slice(swapAt + 2);
  t.is(describe({ ok: false, error: catchError(() => parsePublicKey(swapped)) }), 'BAD_KEY');
});

function catchError(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

test('public keys: whitespace around and upper case are accepted; mixed case, secret keys, other HRPs are not', (t) => {
  const { publicKey, secretKey } = generateKeyPair();
  t.deepEqual(parsePublicKey(` ${publicKey}\n`), parsePublicKey(publicKey));
  t.deepEqual(parsePublicKey(publicKey.toUpperCase()), parsePublicKey(publicKey));
  const bad = [
    publicKey.slice(0, 20) + publicKey.slice(20).toUpperCase(),
    secretKey,
    `age1${publicKey.slice(6)}`,
    publicKey.slice(0, -1),
    `${publicKey}q`,
    bech32Encode('ohpub', new Uint8Array(31)),
    bech32Encode('ohpub', new Uint8Array(33)),
    '',
  ];
  for (const key of bad) {
    const error = catchError(() => parsePublicKey(key));
    t.is(describe({ ok: false, error }), 'BAD_KEY', key);
  }
  t.regex(errorMessage({ ok: false, error: catchError(() => parsePublicKey(secretKey)) }), /got a secret key/);
});

test('errors about secret keys never contain the key', (t) => {
  const { secretKey } = generateKeyPair();
  const broken = [`${secretKey.slice(0, 30)}Q${secretKey.slice(31)}`, ` ${secretKey}`, secretKey.slice(0, -2), `${secretKey.slice(0, 20)}b${secretKey.slice(21)}`];
  for (const key of broken) {
    for (const f of [() => x25519Identity(key), () => publicKeyFromSecret(key), () => parseKeyFile(`${key}\n`)]) {
      const error = catchError(f);
      t.is(describe({ ok: false, error }), 'BAD_KEY');
      t.false(errorMessage({ ok: false, error }).includes(key.trim().slice(15, 40)));
    }
  }
});

test('a key file round-trips through formatKeyFile and parseKeyFile', (t) => {
  const { publicKey, secretKey } = generateKeyPair();
  const file = formatKeyFile(secretKey, new Date('2025-01-31T12:00:00.500Z'));
  t.is(file, `# created: 2025-01-31T12:00:00Z\n# public key: ${publicKey}\n${secretKey}\n`);
  t.deepEqual(parseKeyFile(file), { secretKey, publicKey });
  t.deepEqual(parseKeyFile(file.slice(0, -1)), { secretKey, publicKey }, 'final LF optional');
  t.deepEqual(parseKeyFile(`${secretKey}\n`), { secretKey, publicKey }, 'comments optional');
  t.deepEqual(parseKeyFile(`${secretKey.toLowerCase()}\n`), { secretKey, publicKey }, 'canonical case returned');
});

test('key files are parsed strictly', (t) => {
  const { secretKey } = generateKeyPair();
  const other = generateKeyPair();
  const file = formatKeyFile(secretKey, new Date());
  const bad = [
    '',
    '\n',
    file.replace(/\n/g, '\r\n'),
    file.replace('\n', '\n\n'),
    `${file}\n`,
    `${file}${other.secretKey}\n`,
    `${file}# trailing comment\n`,
    file.replace(/ohpub1\S+/, other.publicKey),
    file.replace(/ohpub1\S+/, 'ohpub1notakey'),
    file.replace(secretKey, `${secretKey} `),
    '# only comments\n',
    `${file}${'#'.repeat(5000)}`,
  ];
  for (const text of bad) t.is(describe({ ok: false, error: catchError(() => parseKeyFile(text)) }), 'BAD_KEY', JSON.stringify(text));
});

test('the X25519 recipient stanza carries the recipient fingerprint', async (t) => {
  const { publicKey } = generateKeyPair();
  const [stanza] = await x25519Recipient(publicKey).wrap(new Uint8Array(16));
  t.is(stanza!.type, 'X25519');
  t.is(stanza!.args[0], fingerprint(publicKey));
  t.is(stanza!.args[1]!.length, 43);
  t.is(stanza!.body.length, 32);
});

test('raw X25519 keys go through node:crypto correctly (RFC 7748 §6.1 test vector)', (t) => {
  const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
  const alicePrivate = hex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
  const alicePublic = hex('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
  const bobPublic = hex('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
  const shared = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';
  t.is(publicKeyFromSecret(encodeSecretKey(alicePrivate)), encodePublicKey(alicePublic));
  t.deepEqual(parsePublicKey(encodePublicKey(alicePublic)), alicePublic);
  t.is(Buffer.from(x25519(privateKeyObject(alicePrivate), publicKeyObject(bobPublic))!).toString('hex'), shared);
  t.is(x25519(privateKeyObject(alicePrivate), publicKeyObject(new Uint8Array(32))), undefined, 'low-order point');
});
