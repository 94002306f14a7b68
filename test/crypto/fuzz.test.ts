/**
 * The fuzz suite at a bounded count (bench/fuzz.ts runs the large one): mutated settings files and
 * armored blocks through the library give the untouched credential or a typed BAD_FILE /
 * DECRYPT_FAILED, nothing else. Seeded: a failure names the seed and case index to replay.
 */
import test from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair, publicKeyFromSecret, seal, x25519Recipient } from '../../src/crypto/index.js';
import { encodeSettings } from '../../src/settings-file/index.js';
import { settingsFrom } from '../helpers/fixtures.js';
import { makeBase, makeCase, runCase, runFuzz } from './fuzz-cases.js';

const SEED = Number(process.env.OAUTH_HANDOFF_FUZZ_SEED ?? 20261207);
const CASES = 5000;

test('5,000 mutated settings files and armored blocks give only BAD_FILE, DECRYPT_FAILED or the untouched credential', async (t) => {
  t.timeout(10 * 60_000);
  const r = await runFuzz(SEED, CASES);
  t.log(`seed ${r.seed}: ${r.cases} cases (${r.byKind.file} files, ${r.byKind.armored} armored): ${JSON.stringify(r.counts)}`);
  t.deepEqual(r.findings, [], `replay with OAUTH_HANDOFF_FUZZ_SEED=${r.seed}`);
  t.is(r.counts.finding, 0);
  // the mutations reach every verdict: the parser, the MAC/AEAD and the tolerated paste leftovers
  t.true(r.counts.BAD_FILE > CASES / 4);
  t.true(r.counts.DECRYPT_FAILED > 10);
  t.true(r.counts.unchanged > 10);
});

test('the same seed gives the same cases (reproducible)', async (t) => {
  const base = await makeBase(SEED);
  for (const i of [0, 1, 17, 4999]) {
    const kind = i % 2 === 0 ? 'file' : 'armored';
    const a = makeCase(base, 7, i, kind);
    const b = makeCase(base, 7, i, kind);
    t.deepEqual(a.mutators, b.mutators);
    t.deepEqual(Buffer.from(a.input), Buffer.from(b.input));
  }
  t.notDeepEqual(Buffer.from(makeCase(base, 7, 3, 'file').input), Buffer.from(makeCase(base, 8, 3, 'file').input));
});

test('the judge reports a file that opens to another credential as a finding (control)', async (t) => {
  const base = await makeBase(SEED);
  // a valid file for the same key but another token: what a "partial result" would look like
  const other = settingsFrom(
    { endpoints: { token: 'http://127.0.0.1:9/token' }, client: { id: 'fuzz' } },
    { access_token: 'another-token', token_type: 'Bearer', expires_in: 3600 },
    { name: 'fuzzed' },
  );
  const pub = publicKeyFromSecret(base.secretKey);
  const input = await seal(encodeSettings(other), [x25519Recipient(pub)]);
  const dir = await mkdtemp(join(tmpdir(), 'oh-fuzz-control-'));
  try {
    const r = await runCase(base, { kind: 'file', mutators: [], input, withPassphrase: false }, dir, 0);
    t.is(r.verdict, 'finding');
    const unrelated = await seal(encodeSettings(other), [x25519Recipient(generateKeyPair().publicKey)]);
    t.is((await runCase(base, { kind: 'file', mutators: [], input: unrelated, withPassphrase: false }, dir, 1)).verdict, 'DECRYPT_FAILED');
    t.is((await runCase(base, { kind: 'file', mutators: [], input: base.files[0]!, withPassphrase: false }, dir, 2)).verdict, 'unchanged');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
