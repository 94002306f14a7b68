import test from 'ava';
import { generateKeyPair, open, passphraseIdentity, passphraseRecipient, readHeader, seal, x25519Identity, x25519Recipient } from '../../src/crypto/index.js';
import type { Identity } from '../../src/crypto/index.js';
import { describe, outcome, utf8 } from './helpers.js';

const plaintext = utf8('{"version":1,"accessToken":"at"}');
/** the cheapest Argon2id libsodium allows, so that a KDF per mutation stays fast */
const cheap = { opsLimit: 1, memLimit: 8192 };
const FAILURES = new Set(['BAD_FILE', 'DECRYPT_FAILED']);

async function sealedForBoth(): Promise<{ sealed: Uint8Array; identities: Identity[] }> {
  const machine = generateKeyPair();
  const sealed = await seal(plaintext, [x25519Recipient(machine.publicKey), passphraseRecipient('pw', cheap)]);
  return { sealed, identities: [x25519Identity(machine.secretKey), passphraseIdentity('pw')] };
}

/** every outcome of `mutants` that is not a HandoffError failure, as "what: outcome" */
async function escapes(mutants: Iterable<[string, Uint8Array]>, identity: Identity): Promise<string[]> {
  const bad: string[] = [];
  for (const [what, mutant] of mutants) {
    const result = await outcome(() => open(mutant, [identity]));
    if (!FAILURES.has(describe(result))) bad.push(`${what}: ${describe(result)}`);
    const header = await outcome(() => readHeader(mutant));
    if (!header.ok && describe(header) !== 'BAD_FILE') bad.push(`${what} (readHeader): ${describe(header)}`);
  }
  return bad;
}

function* flips(sealed: Uint8Array): Generator<[string, Uint8Array]> {
  for (let i = 0; i < sealed.length; i++) {
    const mutant = Uint8Array.from(sealed);
    mutant[i]! ^= 0x01;
    yield [`flip at ${i}`, mutant];
  }
}

function* truncations(sealed: Uint8Array): Generator<[string, Uint8Array]> {
  for (let n = 0; n < sealed.length; n++) yield [`truncated to ${n}`, sealed.subarray(0, n)];
}

function* appends(sealed: Uint8Array): Generator<[string, Uint8Array]> {
  for (const tail of [[0x00], [0x0a], [0x41], [0xff], [0x00, 0x00, 0x00, 0x00]]) {
    const mutant = new Uint8Array(sealed.length + tail.length);
    mutant.set(sealed);
    mutant.set(tail, sealed.length);
    yield [`appended ${tail.join(',')}`, mutant];
  }
}

test('the untouched file opens with either identity (the control for the tests below)', async (t) => {
  const { sealed, identities } = await sealedForBoth();
  for (const identity of identities) t.deepEqual(await open(sealed, [identity]), plaintext);
});

for (const [name, mutate] of [
  ['flipping any single bit (XOR 0x01 at every offset)', flips],
  ['truncating at any length', truncations],
  ['appending bytes', appends],
] as const) {
  test(`${name} makes open fail with BAD_FILE or DECRYPT_FAILED, for the X25519 key and the passphrase`, async (t) => {
    const { sealed, identities } = await sealedForBoth();
    for (const identity of identities) t.deepEqual(await escapes(mutate(sealed), identity), []);
  });
}
