import test from 'ava';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeSettingsInput, open, passphraseIdentity, readHeader, x25519Identity } from '../../src/crypto/index.js';
import type { Vector } from '../vectors/make-vectors.js';
import { describe, errorMessage, outcome } from './helpers.js';

const vectorsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../test/vectors');
const table = JSON.parse(readFileSync(join(vectorsDir, 'vectors.json'), 'utf8')) as { vectors: Vector[] };

test('the vector table covers the cases the format promises to handle', (t) => {
  const files = new Set(table.vectors.map((v) => v.file));
  for (const f of [
    'x25519.ohs', 'passphrase.ohs', 'multi-recipient.ohs', 'header-mac-broken.ohs', 'payload-tag-broken.ohs',
    'unknown-version.ohs', 'stanza-bad-base64.ohs', 'stanza-body-wrong-length.ohs', 'kdf-params-excessive.ohs',
    'trailing-data.ohs', 'missing-created.ohs',
  ]) {
    t.true(files.has(f), f);
  }
  const unused = readdirSync(vectorsDir).filter((f) => !files.has(f) && f !== 'vectors.json' && f !== 'make-vectors.ts');
  t.deepEqual(unused, [], 'every file in test/vectors has a row');
});

for (const v of table.vectors) {
  const who = 'x25519' in v.identity ? 'X25519 key' : 'passphrase';
  test(`vector ${v.file} with a ${who}: ${v.description} → ${v.expected}`, async (t) => {
    const raw = new Uint8Array(readFileSync(join(vectorsDir, v.file)));
    const id = v.identity as { x25519?: string; passphrase?: string };
    const identity = id.x25519 !== undefined ? x25519Identity(id.x25519) : passphraseIdentity(id.passphrase ?? '');
    const started = performance.now();
    const result = await outcome(async () => open(decodeSettingsInput(raw), [identity]));
    t.is(describe(result), v.expected, errorMessage(result));
    if (result.ok) {
      t.is(createHash('sha256').update(result.value as Uint8Array).digest('hex'), v.plaintextSha256 ?? 'missing in vectors.json');
      t.is(readHeader(decodeSettingsInput(raw)).version, 1);
    } else {
      t.true(errorMessage(result).includes(v.message ?? ''), `message "${errorMessage(result)}" should include "${v.message}"`);
    }
    if (v.file.startsWith('kdf-')) t.true(performance.now() - started < 1000, 'refused without running the KDF');
  });
}
