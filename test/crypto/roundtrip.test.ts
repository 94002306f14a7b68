import test from 'ava';
import { encodeBase64Unpadded } from '../../src/crypto/encoding.js';
import { assembleFile } from '../../src/crypto/file.js';
import {
  DEFAULT_KDF_CAPS,
  KDF_PRESETS,
  fingerprint,
  generateKeyPair,
  open,
  passphraseIdentity,
  passphraseRecipient,
  readHeader,
  seal,
  x25519Identity,
  x25519Recipient,
} from '../../src/crypto/index.js';
import type { Identity } from '../../src/crypto/index.js';
import { encodePublicKey } from '../../src/crypto/keys.js';
import { describe, errorMessage, outcome, text, utf8 } from './helpers.js';

const settings = utf8(JSON.stringify({ version: 1, name: 'redmine', refreshToken: 'rt-secret' }));
const now = new Date('2025-03-04T05:06:07.891Z');

test('a file sealed to a machine key opens with that key, and its header tells who can open it', async (t) => {
  const machine = generateKeyPair();
  const sealed = await seal(settings, [x25519Recipient(machine.publicKey)], { now });
  t.deepEqual(await open(sealed, [x25519Identity(machine.secretKey)]), settings);
  t.deepEqual(readHeader(sealed), {
    version: 1,
    created: new Date('2025-03-04T05:06:07Z'),
    recipients: [{ type: 'X25519', fingerprint: fingerprint(machine.publicKey) }],
  });
});

test('each seal uses a fresh file key and ephemeral key', async (t) => {
  const machine = generateKeyPair();
  const a = await seal(settings, [x25519Recipient(machine.publicKey)], { now });
  const b = await seal(settings, [x25519Recipient(machine.publicKey)], { now });
  t.notDeepEqual(a, b);
});

test('a file sealed to a passphrase opens with it (interactive parameters)', async (t) => {
  const sealed = await seal(settings, [passphraseRecipient('hunter2 but longer', KDF_PRESETS.interactive)], { now });
  t.deepEqual(await open(sealed, [passphraseIdentity('hunter2 but longer')]), settings);
  t.deepEqual(readHeader(sealed).recipients, [{ type: 'argon2id', ...KDF_PRESETS.interactive }]);
});

test('a passphrase file with the default (moderate) parameters opens', async (t) => {
  const sealed = await seal(settings, [passphraseRecipient('pässphrase ✓')], { now });
  t.deepEqual(readHeader(sealed).recipients, [{ type: 'argon2id', opsLimit: 3, memLimit: 256 * 1024 * 1024 }]);
  t.deepEqual(await open(sealed, [passphraseIdentity('pässphrase ✓')]), settings);
});

test('any one recipient of a multi-recipient file can open it', async (t) => {
  const keys = [generateKeyPair(), generateKeyPair(), generateKeyPair()];
  const sealed = await seal(
    settings,
    [...keys.map((k) => x25519Recipient(k.publicKey)), passphraseRecipient('shared', KDF_PRESETS.interactive)],
    { now },
  );
  for (const k of keys) t.deepEqual(await open(sealed, [x25519Identity(k.secretKey)]), settings);
  t.deepEqual(await open(sealed, [passphraseIdentity('shared')]), settings);
  // identities that are not recipients are skipped
  const stranger = x25519Identity(generateKeyPair().secretKey);
  t.deepEqual(await open(sealed, [stranger, x25519Identity(keys[2]!.secretKey)]), settings);
  t.is(readHeader(sealed).recipients.length, 4);
});

test('the wrong machine key gets DECRYPT_FAILED', async (t) => {
  const sealed = await seal(settings, [x25519Recipient(generateKeyPair().publicKey)], { now });
  const result = await outcome(() => open(sealed, [x25519Identity(generateKeyPair().secretKey)]));
  t.is(describe(result), 'DECRYPT_FAILED');
  t.is(errorMessage(result), 'no identity matched any recipient');
  t.is(describe(await outcome(() => open(sealed, []))), 'DECRYPT_FAILED');
});

test('the wrong passphrase gets DECRYPT_FAILED saying so', async (t) => {
  const sealed = await seal(settings, [passphraseRecipient('right', KDF_PRESETS.interactive)], { now });
  const result = await outcome(() => open(sealed, [passphraseIdentity('wrong')]));
  t.is(describe(result), 'DECRYPT_FAILED');
  t.is(errorMessage(result), 'wrong passphrase');
  t.false(errorMessage(result).includes('right'));
});

test('a passphrase stanza over the reader caps is BAD_FILE before any KDF work', async (t) => {
  const sealed = await seal(settings, [passphraseRecipient('pw', KDF_PRESETS.interactive)], { now });
  const lowCaps = await outcome(() => open(sealed, [passphraseIdentity('pw', { maxOpsLimit: 1, maxMemLimit: DEFAULT_KDF_CAPS.maxMemLimit })]));
  t.is(describe(lowCaps), 'BAD_FILE');
  t.regex(errorMessage(lowCaps), /opslimit 2 is over the limit of 1/);
  const lowMem = await outcome(() => open(sealed, [passphraseIdentity('pw', { maxOpsLimit: 10, maxMemLimit: 1024 * 1024 })]));
  t.is(describe(lowMem), 'BAD_FILE');

  // a stanza whose KDF would run for hours is refused at once (the MAC is valid: only the cost is wrong)
  const fileKey = new Uint8Array(16).fill(1);
  const [stanza] = await passphraseRecipient('pw', KDF_PRESETS.interactive).wrap(fileKey);
  const bomb = assembleFile(fileKey, now, [{ ...stanza!, args: [stanza!.args[0]!, '4294967295', String(1024 ** 3)] }], settings);
  const started = performance.now();
  const result = await outcome(() => open(bomb, [passphraseIdentity('pw')]));
  t.is(describe(result), 'BAD_FILE');
  t.true(performance.now() - started < 1000);
  t.deepEqual(readHeader(bomb).recipients, [{ type: 'argon2id', opsLimit: 4294967295, memLimit: 1024 ** 3 }]);
});

test('writers refuse what readers would refuse', async (t) => {
  t.is(describe(await outcome(() => passphraseRecipient('pw', { opsLimit: 9, memLimit: 64 * 1024 * 1024 }))), 'USAGE');
  t.is(describe(await outcome(() => passphraseRecipient('pw', { opsLimit: 2, memLimit: 2 * 1024 ** 3 }))), 'USAGE');
  t.is(describe(await outcome(() => passphraseRecipient('pw', { opsLimit: 2, memLimit: 65537 }))), 'USAGE');
  t.is(describe(await outcome(() => passphraseRecipient('', KDF_PRESETS.interactive))), 'USAGE');
  t.is(describe(await outcome(() => passphraseIdentity(''))), 'USAGE');
  t.is(describe(await outcome(() => seal(settings, []))), 'USAGE');
  const two = await outcome(() =>
    seal(settings, [passphraseRecipient('a', { opsLimit: 1, memLimit: 8192 }), passphraseRecipient('b', { opsLimit: 1, memLimit: 8192 })]),
  );
  t.is(describe(two), 'USAGE');
  const machine = generateKeyPair();
  t.is(describe(await outcome(() => seal(new Uint8Array(1024 * 1024), [x25519Recipient(machine.publicKey)]))), 'USAGE');
  t.is(describe(await outcome(() => seal(settings, [x25519Recipient(machine.publicKey)], { now: new Date(Number.NaN) }))), 'USAGE');
});

test('the largest plaintext that fits the 1 MiB cap round-trips', async (t) => {
  const machine = generateKeyPair();
  const probe = await seal(new Uint8Array(0), [x25519Recipient(machine.publicKey)], { now });
  const big = new Uint8Array(1024 * 1024 - probe.length).fill(0x61);
  const sealed = await seal(big, [x25519Recipient(machine.publicKey)], { now });
  t.is(sealed.length, 1024 * 1024);
  t.deepEqual(await open(sealed, [x25519Identity(machine.secretKey)]), big);
  const over = new Uint8Array(sealed.length + 1);
  over.set(sealed);
  t.is(describe(await outcome(() => open(over, [x25519Identity(machine.secretKey)]))), 'BAD_FILE');
});

test('an empty plaintext round-trips', async (t) => {
  const machine = generateKeyPair();
  const sealed = await seal(new Uint8Array(0), [x25519Recipient(machine.publicKey)]);
  t.is(text(await open(sealed, [x25519Identity(machine.secretKey)])), '');
});

test('sealing to a low-order public key is refused', async (t) => {
  const result = await outcome(() => seal(settings, [x25519Recipient(encodePublicKey(new Uint8Array(32)))]));
  t.is(describe(result), 'BAD_KEY');
});

test('an identity that throws something other than NotMineError stops open with that error', async (t) => {
  const machine = generateKeyPair();
  const sealed = await seal(settings, [x25519Recipient(machine.publicKey)], { now });
  const broken: Identity = {
    unwrap: async () => {
      throw new TypeError('boom');
    },
  };
  t.is(describe(await outcome(() => open(sealed, [broken, x25519Identity(machine.secretKey)]))), 'INTERNAL');
  const shortKey: Identity = { unwrap: async () => new Uint8Array(15) };
  t.is(describe(await outcome(() => open(sealed, [shortKey]))), 'INTERNAL');
  const wrongKey: Identity = { unwrap: async () => new Uint8Array(16) };
  const result = await outcome(() => open(sealed, [wrongKey]));
  t.is(describe(result), 'DECRYPT_FAILED');
  t.is(errorMessage(result), 'header MAC mismatch');
});

test('unknown stanza types are listed by readHeader and skipped by identities', async (t) => {
  const machine = generateKeyPair();
  const fileKey = new Uint8Array(16).fill(9);
  const [stanza] = await x25519Recipient(machine.publicKey).wrap(fileKey);
  const sealed = assembleFile(fileKey, now, [{ type: 'mlkem-someday', args: ['a', encodeBase64Unpadded(new Uint8Array(5))], body: new Uint8Array(200) }, stanza!], settings);
  t.deepEqual(readHeader(sealed).recipients[0], { type: 'mlkem-someday', args: ['a', 'AAAAAAA'] });
  t.deepEqual(await open(sealed, [x25519Identity(machine.secretKey)]), settings);
});
