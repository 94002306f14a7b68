/**
 * Writes the settings-file test vectors into test/vectors/ and their table, vectors.json.
 * Run after a build: `node dist/test/vectors/make-vectors.js`. The output is committed; the
 * vectors test (test/crypto/vectors.test.ts) only reads it. Re-running makes new random files.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeBase64Unpadded } from '../../src/crypto/encoding.js';
import { assembleFile } from '../../src/crypto/file.js';
import {
  KDF_PRESETS,
  armor,
  generateKeyPair,
  passphraseRecipient,
  seal,
  x25519Recipient,
} from '../../src/crypto/index.js';
import type { Stanza } from '../../src/crypto/index.js';
import { fingerprint } from '../../src/crypto/keys.js';

/** One row of vectors.json. */
export interface Vector {
  file: string;
  description: string;
  /** how to open it: an X25519 secret key or a passphrase */
  identity: { x25519: string } | { passphrase: string };
  expected: 'ok' | 'BAD_FILE' | 'DECRYPT_FAILED';
  /** for "ok": SHA-256 (hex) of the plaintext */
  plaintextSha256?: string;
  /** for errors: a substring of the error message */
  message?: string;
}

const here = dirname(fileURLToPath(import.meta.url));
/** dist/test/vectors → test/vectors */
const outDir = resolve(here, '../../../test/vectors');

const enc = new TextEncoder();
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const created = new Date('2025-01-31T12:00:00Z');
const plaintext = enc.encode(
  JSON.stringify({ version: 1, name: 'vector', provider: 'generic', site: 'https://auth.example', accessToken: 'at-0123456789' }),
);
const passphrase = 'correct horse battery staple';
const fileKey = (): Uint8Array => new Uint8Array(randomBytes(16));

function latin1(b: Uint8Array): string {
  return Buffer.from(b).toString('latin1');
}
function bytes(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'latin1'));
}
/** the sealed file with the first occurrence of `from` (in the header) replaced */
function replaceInHeader(sealed: Uint8Array, from: string, to: string): Uint8Array {
  const text = latin1(sealed);
  const at = text.indexOf(from);
  if (at < 0 || at > text.indexOf('\n---')) throw new Error(`"${from}" not in the header`);
  return bytes(text.slice(0, at) + to + text.slice(at + from.length));
}

async function main(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const alice = generateKeyPair();
  const bob = generateKeyPair();
  const carol = generateKeyPair();
  const mallory = generateKeyPair();
  const vectors: Vector[] = [];
  const write = (file: string, data: Uint8Array | string): void => writeFileSync(join(outDir, file), data);
  const ok = (file: string, description: string, identity: Vector['identity'], pt = plaintext): void => {
    vectors.push({ file, description, identity, expected: 'ok', plaintextSha256: sha256(pt) });
  };
  const bad = (file: string, description: string, identity: Vector['identity'], expected: 'BAD_FILE' | 'DECRYPT_FAILED', message: string): void => {
    vectors.push({ file, description, identity, expected, message });
  };
  const A = { x25519: alice.secretKey };
  const P = { passphrase };

  const x25519File = await seal(plaintext, [x25519Recipient(alice.publicKey)], { now: created });
  write('x25519.ohs', x25519File);
  ok('x25519.ohs', 'valid file sealed to one X25519 key', A);
  bad('x25519.ohs', 'a key that is not a recipient', { x25519: mallory.secretKey }, 'DECRYPT_FAILED', 'no identity matched any recipient');

  const passFile = await seal(plaintext, [passphraseRecipient(passphrase, KDF_PRESETS.interactive)], { now: created });
  write('passphrase.ohs', passFile);
  ok('passphrase.ohs', 'valid file sealed to a passphrase (interactive parameters)', P);
  bad('passphrase.ohs', 'wrong passphrase', { passphrase: 'Correct horse battery staple' }, 'DECRYPT_FAILED', 'wrong passphrase');
  bad('passphrase.ohs', 'an X25519 key on a passphrase-only file', A, 'DECRYPT_FAILED', 'no identity matched any recipient');

  const multi = await seal(
    plaintext,
    [x25519Recipient(alice.publicKey), x25519Recipient(bob.publicKey), x25519Recipient(carol.publicKey), passphraseRecipient(passphrase, KDF_PRESETS.interactive)],
    { now: created },
  );
  write('multi-recipient.ohs', multi);
  ok('multi-recipient.ohs', 'multi-recipient file, first key', A);
  ok('multi-recipient.ohs', 'multi-recipient file, second key', { x25519: bob.secretKey });
  ok('multi-recipient.ohs', 'multi-recipient file, third key', { x25519: carol.secretKey });
  ok('multi-recipient.ohs', 'multi-recipient file, passphrase', P);

  const empty = await seal(new Uint8Array(0), [x25519Recipient(alice.publicKey)], { now: created });
  write('empty-plaintext.ohs', empty);
  ok('empty-plaintext.ohs', 'valid file with an empty plaintext', A, new Uint8Array(0));

  // header MAC broken: the last MAC byte changed, base64 still canonical
  {
    const text = latin1(x25519File);
    const at = text.indexOf('\n--- ') + 5;
    const mac = Buffer.from(text.slice(at, at + 43), 'base64');
    mac[31]! ^= 0x01;
    write('header-mac-broken.ohs', bytes(text.slice(0, at) + encodeBase64Unpadded(mac) + text.slice(at + 43)));
    bad('header-mac-broken.ohs', 'MAC line altered', A, 'DECRYPT_FAILED', 'header MAC mismatch');
  }
  {
    const f = Uint8Array.from(x25519File);
    f[f.length - 1]! ^= 0x80;
    write('payload-tag-broken.ohs', f);
    bad('payload-tag-broken.ohs', 'last byte of the payload tag flipped', A, 'DECRYPT_FAILED', 'payload authentication failed');
  }
  {
    const f = Uint8Array.from(x25519File);
    const nonceAt = latin1(f).indexOf('\n', latin1(f).indexOf('\n--- ') + 1) + 1;
    f[nonceAt]! ^= 0x01;
    write('payload-nonce-broken.ohs', f);
    bad('payload-nonce-broken.ohs', 'first byte of the payload nonce flipped', A, 'DECRYPT_FAILED', 'payload authentication failed');
  }
  write('unknown-version.ohs', replaceInHeader(x25519File, 'oauth-handoff/v1\n', 'oauth-handoff/v2\n'));
  bad('unknown-version.ohs', 'version line says v2', A, 'BAD_FILE', 'unsupported settings file version "v2"');
  write('not-oauth-handoff.ohs', replaceInHeader(x25519File, 'oauth-handoff/v1\n', 'age-encryption.org/v1\n'));
  bad('not-oauth-handoff.ohs', 'another format', A, 'BAD_FILE', 'not an oauth-handoff settings file');

  // stanza defects, each with a valid MAC (only the defect itself is wrong)
  const aliceStanza = async (key: Uint8Array): Promise<Stanza> => (await x25519Recipient(alice.publicKey).wrap(key))[0]!;
  {
    const key = fileKey();
    const stanza = await aliceStanza(key);
    const f = assembleFile(key, created, [stanza], plaintext);
    const body = encodeBase64Unpadded(stanza.body);
    write('stanza-bad-base64.ohs', replaceInHeader(f, `\n${body}\n`, `\n${body.slice(0, 20)}!${body.slice(21)}\n`));
    bad('stanza-bad-base64.ohs', 'a character outside base64 in a stanza body', A, 'BAD_FILE', 'not canonical base64');
    // 43 characters carry 258 bits; the last character's low 2 bits must be zero
    const last = body[42]!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const noncanonical = alphabet[alphabet.indexOf(last) | 1]!;
    write('stanza-noncanonical-base64.ohs', replaceInHeader(f, `\n${body}\n`, `\n${body.slice(0, 42)}${noncanonical}\n`));
    bad('stanza-noncanonical-base64.ohs', 'non-zero unused bits in a stanza body', A, 'BAD_FILE', 'not canonical base64');
    write('stanza-body-padded.ohs', replaceInHeader(f, `\n${body}\n`, `\n${body}=\n`));
    bad('stanza-body-padded.ohs', 'padding in a stanza body', A, 'BAD_FILE', 'not canonical base64');
  }
  {
    const key = fileKey();
    const stanza = await aliceStanza(key);
    write('stanza-body-wrong-length.ohs', assembleFile(key, created, [{ ...stanza, body: stanza.body.subarray(0, 31) }], plaintext));
    bad('stanza-body-wrong-length.ohs', 'X25519 body of 31 bytes (valid MAC)', A, 'BAD_FILE', 'body has the wrong length');
  }
  {
    const key = fileKey();
    const stanza = await aliceStanza(key);
    write('stanza-extra-argument.ohs', assembleFile(key, created, [{ ...stanza, args: [...stanza.args, 'x'] }], plaintext));
    bad('stanza-extra-argument.ohs', 'X25519 stanza with 3 arguments (valid MAC)', A, 'BAD_FILE', 'must have 2 arguments');
  }
  {
    const key = fileKey();
    const stanza = await aliceStanza(key);
    const lowOrder: Stanza = { type: 'X25519', args: [fingerprint(alice.publicKey), encodeBase64Unpadded(new Uint8Array(32))], body: stanza.body };
    write('x25519-low-order-share.ohs', assembleFile(key, created, [lowOrder], plaintext));
    bad('x25519-low-order-share.ohs', 'all-zero ephemeral share (valid MAC)', A, 'BAD_FILE', 'low-order');
  }
  {
    const key = fileKey();
    const future: Stanza = { type: 'future-kem', args: ['arg1', 'arg2'], body: new Uint8Array(100).fill(7) };
    write('unknown-stanza-type.ohs', assembleFile(key, created, [future, await aliceStanza(key)], plaintext));
    ok('unknown-stanza-type.ohs', 'an unknown stanza type before the X25519 one is skipped', A);
  }
  {
    const key = fileKey();
    const [stanza] = await passphraseRecipient(passphrase, KDF_PRESETS.interactive).wrap(key);
    const huge: Stanza = { ...stanza!, args: [stanza!.args[0]!, '4294967295', '4398046511104'] };
    write('kdf-params-excessive.ohs', assembleFile(key, created, [huge], plaintext));
    bad('kdf-params-excessive.ohs', 'argon2id opslimit 2^32-1, memlimit 4 TiB (valid MAC): refused before any KDF work', P, 'BAD_FILE', 'over the limit');
    const bigMem: Stanza = { ...stanza!, args: [stanza!.args[0]!, '2', String(2 * 1024 ** 3)] };
    write('kdf-memlimit-over-cap.ohs', assembleFile(key, created, [bigMem], plaintext));
    bad('kdf-memlimit-over-cap.ohs', 'argon2id memlimit 2 GiB, over the 1 GiB cap (valid MAC)', P, 'BAD_FILE', 'memlimit 2147483648 is over the limit');
    const odd: Stanza = { ...stanza!, args: [stanza!.args[0]!, '2', '67108865'] };
    write('kdf-memlimit-not-multiple.ohs', assembleFile(key, created, [odd], plaintext));
    bad('kdf-memlimit-not-multiple.ohs', 'argon2id memlimit not a multiple of 1024 (valid MAC)', P, 'BAD_FILE', 'multiple of 1024');
    const [second] = await passphraseRecipient('another', KDF_PRESETS.interactive).wrap(key);
    write('two-argon2id-stanzas.ohs', assembleFile(key, created, [stanza!, second!], plaintext));
    bad('two-argon2id-stanzas.ohs', 'two passphrase stanzas (valid MAC)', P, 'BAD_FILE', 'more than one argon2id stanza');
  }
  {
    const f = new Uint8Array(x25519File.length + 1);
    f.set(x25519File);
    write('trailing-data.ohs', f);
    bad('trailing-data.ohs', 'one zero byte appended', A, 'DECRYPT_FAILED', 'payload authentication failed');
  }
  {
    const text = latin1(x25519File);
    const headerEnd = text.indexOf('\n', text.indexOf('\n--- ') + 1) + 1;
    write('payload-truncated.ohs', x25519File.subarray(0, headerEnd + 20));
    bad('payload-truncated.ohs', 'payload shorter than nonce and tag', A, 'BAD_FILE', 'payload is truncated');
  }
  write('missing-created.ohs', replaceInHeader(x25519File, 'created 2025-01-31T12:00:00Z\n', ''));
  bad('missing-created.ohs', 'no created line', A, 'BAD_FILE', 'no "created" line');
  {
    const key = fileKey();
    const f = assembleFile(key, created, [await aliceStanza(key)], plaintext);
    write('created-invalid-date.ohs', replaceInHeader(f, '2025-01-31T12:00:00Z', '2025-02-30T12:00:00Z'));
    bad('created-invalid-date.ohs', 'created on February 30', A, 'BAD_FILE', '"created" time is malformed');
  }
  write('header-crlf.ohs', replaceInHeader(x25519File, 'oauth-handoff/v1\n', 'oauth-handoff/v1\r\n'));
  bad('header-crlf.ohs', 'CRLF in the binary header', A, 'BAD_FILE', 'CRLF');

  // armored forms
  const armored = armor(x25519File);
  write('armored.txt', armored);
  ok('armored.txt', 'armored file', A);
  write('armored-paste-leftovers.txt', `\r\n  ${armored.replace(/\n/g, '\r\n')}\t \r\n\r\n`);
  ok('armored-paste-leftovers.txt', 'armored, CRLF line ends, whitespace around the block', A);
  write('armored-junk-after-end.txt', `${armored}Sent from my phone\n`);
  bad('armored-junk-after-end.txt', 'text after the END line', A, 'BAD_FILE', 'data after the END line');
  {
    const lines = armored.split('\n');
    lines.splice(1, 2, lines[1]! + lines[2]!);
    write('armored-long-line.txt', lines.join('\n'));
    bad('armored-long-line.txt', 'two armor lines joined', A, 'BAD_FILE', 'wrong length');
  }
  write('armored-missing-end.txt', armored.slice(0, armored.indexOf('-----END')));
  bad('armored-missing-end.txt', 'END line missing', A, 'BAD_FILE', 'no END line');

  writeFileSync(join(outDir, 'vectors.json'), `${JSON.stringify({ note: 'written by test/vectors/make-vectors.ts; test keys only', vectors }, null, 2)}\n`);
  process.stdout.write(`wrote ${vectors.length} vectors to ${outDir}\n`);
}

await main();
