/**
 * The fuzz suite's engine, shared by test/crypto/fuzz.test.ts (a bounded count, in CI) and
 * bench/fuzz.ts (the large run). Mutated settings files and armored blocks go through the library's
 * public entry (openCredential with { file } and { env: true }); each case must end in exactly one
 * of: the untouched credential (the mutation only touched what the format tolerates, such as
 * whitespace around an armored block), or a HandoffError with code BAD_FILE or DECRYPT_FAILED.
 * Anything else (another code, another exception, a different token, a hang) is a finding.
 *
 * Seeded and reproducible: case i of seed s is the same input on every run and machine.
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { HKDF_INFO_X25519 } from '../../src/crypto/constants.js';
import { encodeBase64Unpadded } from '../../src/crypto/encoding.js';
import { assembleFile } from '../../src/crypto/file.js';
import { armor } from '../../src/crypto/index.js';
import type { Stanza } from '../../src/crypto/index.js';
import { encodeSecretKey, fingerprintOfRaw } from '../../src/crypto/keys.js';
import { aeadSeal, hkdfSha256, publicKeyObject, secretKeyParts, x25519 } from '../../src/crypto/primitives.js';
import { HandoffError, openCredential } from '../../src/index.js';
import { encodeSettings } from '../../src/settings-file/index.js';
import { settingsFrom } from '../helpers/fixtures.js';

// ---------------------------------------------------------------------------------------------
// a small seeded generator (mulberry32), one stream per case

export type Rng = () => number;

function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The generator of case `index` under `seed`: any single case can be replayed alone. */
export function caseRng(seed: number, index: number): Rng {
  return mulberry32(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35));
}

const int = (rng: Rng, n: number): number => Math.floor(rng() * n);
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[int(rng, xs.length)] as T;

// ---------------------------------------------------------------------------------------------
// mutators

/** bytes the format gives meaning to: separators, base64 edges, digits, high and control bytes */
const SPECIAL = [0x00, 0x09, 0x0a, 0x0d, 0x20, 0x2b, 0x2d, 0x2f, 0x30, 0x31, 0x39, 0x3d, 0x3e, 0x41, 0x7e, 0x7f, 0x80, 0xc3, 0xff];

type ByteMutator = (b: Uint8Array, rng: Rng, other: Uint8Array) => Uint8Array;

const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

function lineStarts(b: Uint8Array): number[] {
  const starts = [0];
  for (let i = 0; i < b.length; i++) if (b[i] === 0x0a && i + 1 < b.length) starts.push(i + 1);
  return starts;
}

export const BYTE_MUTATORS: Record<string, ByteMutator> = {
  flipBit: (b, rng) => {
    const c = b.slice();
    if (c.length) c[int(rng, c.length)]! ^= 1 << int(rng, 8);
    return c;
  },
  setByte: (b, rng) => {
    const c = b.slice();
    if (c.length) c[int(rng, c.length)] = rng() < 0.5 ? int(rng, 256) : pick(rng, SPECIAL);
    return c;
  },
  insertBytes: (b, rng) => {
    const at = int(rng, b.length + 1);
    const n = 1 + int(rng, 4);
    const ins = Uint8Array.from({ length: n }, () => (rng() < 0.5 ? int(rng, 256) : pick(rng, SPECIAL)));
    return concat(b.subarray(0, at), ins, b.subarray(at));
  },
  deleteRange: (b, rng) => {
    const at = int(rng, b.length);
    const n = 1 + int(rng, Math.min(64, b.length - at));
    return concat(b.subarray(0, at), b.subarray(at + n));
  },
  truncate: (b, rng) => b.slice(0, int(rng, b.length)),
  appendJunk: (b, rng) => concat(b, Uint8Array.from({ length: 1 + int(rng, 32) }, () => int(rng, 256))),
  duplicateRange: (b, rng) => {
    const at = int(rng, b.length);
    const n = 1 + int(rng, Math.min(80, b.length - at));
    return concat(b.subarray(0, at + n), b.subarray(at, at + n), b.subarray(at + n));
  },
  swapLines: (b, rng) => {
    const starts = lineStarts(b);
    if (starts.length < 3) return b.slice();
    const i = 1 + int(rng, starts.length - 2);
    const a = starts[i - 1]!;
    const m = starts[i]!;
    const e = starts[i + 1] ?? b.length;
    return concat(b.subarray(0, a), b.subarray(m, e), b.subarray(a, m), b.subarray(e));
  },
  dropLine: (b, rng) => {
    const starts = lineStarts(b);
    const i = int(rng, starts.length);
    return concat(b.subarray(0, starts[i]!), b.subarray(starts[i + 1] ?? b.length));
  },
  crlf: (b) => {
    const out: number[] = [];
    for (const x of b) {
      if (x === 0x0a) out.push(0x0d);
      out.push(x);
    }
    return Uint8Array.from(out);
  },
  spliceOther: (b, rng, other) => {
    const at = int(rng, Math.min(b.length, other.length));
    const n = 1 + int(rng, 120);
    return concat(b.subarray(0, at), other.subarray(at, at + n), b.subarray(at + n));
  },
  hugeNumber: (b) => {
    // argon2id costs far over the caps: refused before any KDF work
    const text = Buffer.from(b).toString('latin1').replace(/ (\d+) (\d+)\n/, ' 4294967295 99999999999999\n');
    return Uint8Array.from(Buffer.from(text, 'latin1'));
  },
};

type TextMutator = (s: string, rng: Rng) => string;

const ARMOR_SPECIAL = ['\r', '\n', ' ', '\t', '=', '-', '+', '/', 'A', '\u0000', '\u00e9', '\u2028', '\ufeff', '-----'];

export const TEXT_MUTATORS: Record<string, TextMutator> = {
  setChar: (s, rng) => {
    const i = int(rng, s.length);
    return s.slice(0, i) + pick(rng, ARMOR_SPECIAL) + s.slice(i + 1);
  },
  insertChar: (s, rng) => {
    const i = int(rng, s.length + 1);
    return s.slice(0, i) + pick(rng, ARMOR_SPECIAL) + s.slice(i);
  },
  deleteChars: (s, rng) => {
    const i = int(rng, s.length);
    return s.slice(0, i) + s.slice(i + 1 + int(rng, 8));
  },
  truncate: (s, rng) => s.slice(0, int(rng, s.length)),
  crlf: (s) => s.replace(/\n/g, '\r\n'),
  /** tolerated: paste leftovers around the block */
  surroundWhitespace: (s, rng) => `${pick(rng, ['', ' ', '\n', '\t\n', '\r\n'])}${s}${pick(rng, ['', '  ', '\n\n', '\r\n'])}`,
  indentLine: (s, rng) => {
    const lines = s.split('\n');
    const i = int(rng, lines.length);
    lines[i] = ` ${lines[i]}`;
    return lines.join('\n');
  },
  rewrapLines: (s, rng) => {
    const lines = s.split('\n');
    const body = lines.slice(1, -2).join('');
    const width = pick(rng, [60, 63, 65, 76, 80]);
    const out = [lines[0]];
    for (let i = 0; i < body.length; i += width) out.push(body.slice(i, i + width));
    return [...out, ...lines.slice(-2)].join('\n');
  },
  dropPadding: (s) => s.replace(/=+\n-----END/, '\n-----END'),
  lowerCaseLine: (s, rng) => {
    const lines = s.split('\n');
    const i = int(rng, lines.length);
    lines[i] = lines[i]!.toLowerCase();
    return lines.join('\n');
  },
  doubleBlock: (s) => s + s,
};

// ---------------------------------------------------------------------------------------------
// bases and cases

export interface FuzzBase {
  name: string;
  secretKey: string;
  passphrase: string;
  accessToken: string;
  /** the valid sealed files the cases start from */
  files: Uint8Array[];
}

/**
 * A credential sealed three ways (to the key; to the key and a cheap passphrase; to a passphrase,
 * another key and the key), every random choice (keys, file keys, ephemeral shares, salts, nonces)
 * derived from `seed`, so the same seed gives the same bytes on every run.
 */
export async function makeBase(seed: number): Promise<FuzzBase> {
  const derive = (label: string, size = 32): Uint8Array =>
    new Uint8Array(createHash('sha256').update(`oauth-handoff fuzz ${seed} ${label}`).digest().subarray(0, size));
  const secretRaw = derive('key');
  const secretKey = encodeSecretKey(secretRaw);
  const publicRaw = secretKeyParts(secretRaw).publicRaw;
  const otherRaw = secretKeyParts(derive('other key')).publicRaw;
  const passphrase = 'correct horse battery staple';
  const now = Date.parse('2026-01-01T00:00:00Z');
  const src = { endpoints: { token: 'http://127.0.0.1:9/token' }, client: { id: 'fuzz', secret: 's3cret' } };
  const accessToken = 'fuzz-access-token-0123456789';
  const century = 100 * 365 * 86400;
  const settings = settingsFrom(src, { access_token: accessToken, token_type: 'Bearer', expires_in: century, refresh_token: 'fuzz-refresh' }, { name: 'fuzzed', now });
  const plain = encodeSettings(settings);
  const sodium = (await import('libsodium-wrappers-sumo')).default;
  await sodium.ready;

  const x25519Stanza = (recipientRaw: Uint8Array, fileKey: Uint8Array, label: string): Stanza => {
    const { key, publicRaw: share } = secretKeyParts(derive(label));
    const shared = x25519(key, publicKeyObject(recipientRaw))!;
    const wrapKey = hkdfSha256(shared, Buffer.concat([share, recipientRaw]), HKDF_INFO_X25519);
    return { type: 'X25519', args: [fingerprintOfRaw(recipientRaw), encodeBase64Unpadded(share)], body: aeadSeal(wrapKey, fileKey) };
  };
  // the cheapest Argon2id libsodium accepts: the passphrase path runs in every case that reaches it
  const argon2idStanza = (fileKey: Uint8Array, label: string): Stanza => {
    const salt = derive(label, 16);
    const wrapKey = sodium.crypto_pwhash(32, passphrase, salt, 1, 8192, sodium.crypto_pwhash_ALG_ARGON2ID13);
    return { type: 'argon2id', args: [encodeBase64Unpadded(salt), '1', '8192'], body: aeadSeal(wrapKey, fileKey) };
  };
  const file = (label: string, stanzas: (fileKey: Uint8Array) => Stanza[]): Uint8Array => {
    const fileKey = derive(`${label} file key`, 16);
    return assembleFile(fileKey, new Date(now), stanzas(fileKey), plain, { nonce: derive(`${label} nonce`, 16) });
  };
  const files = [
    file('a', (k) => [x25519Stanza(publicRaw, k, 'a share')]),
    file('b', (k) => [x25519Stanza(publicRaw, k, 'b share'), argon2idStanza(k, 'b salt')]),
    file('c', (k) => [argon2idStanza(k, 'c salt'), x25519Stanza(otherRaw, k, 'c share 1'), x25519Stanza(publicRaw, k, 'c share 2')]),
  ];
  return { name: settings.name, secretKey, passphrase, accessToken, files };
}

export type FuzzKind = 'file' | 'armored';

export interface FuzzCase {
  kind: FuzzKind;
  mutators: string[];
  input: Uint8Array;
  /** the identities given: the key always, the passphrase sometimes */
  withPassphrase: boolean;
}

/** Case `index` of `seed`: a base file, one to three mutations, as the binary file or armored text. */
export function makeCase(base: FuzzBase, seed: number, index: number, kind: FuzzKind): FuzzCase {
  const rng = caseRng(seed, index);
  const file = pick(rng, base.files);
  const other = pick(rng, base.files);
  const rounds = 1 + (rng() < 0.3 ? int(rng, 3) : 0);
  const mutators: string[] = [];
  const byteNames = Object.keys(BYTE_MUTATORS);
  const textNames = Object.keys(TEXT_MUTATORS);
  let input: Uint8Array;
  if (kind === 'file') {
    input = file;
    for (let r = 0; r < rounds; r++) {
      const name = pick(rng, byteNames);
      mutators.push(name);
      input = BYTE_MUTATORS[name]!(input, rng, other);
    }
  } else if (rng() < 0.4) {
    // binary mutations carried through the armor, so they reach the header parser as text input
    let bytes: Uint8Array = file;
    for (let r = 0; r < rounds; r++) {
      const name = pick(rng, byteNames);
      mutators.push(`armored(${name})`);
      bytes = BYTE_MUTATORS[name]!(bytes, rng, other);
    }
    input = new TextEncoder().encode(armor(bytes));
  } else {
    let s = armor(file);
    for (let r = 0; r < rounds; r++) {
      const name = pick(rng, textNames);
      mutators.push(name);
      s = TEXT_MUTATORS[name]!(s, rng);
    }
    input = new TextEncoder().encode(s);
  }
  return { kind, mutators, input, withPassphrase: rng() < 0.3 };
}

// ---------------------------------------------------------------------------------------------
// running

/**
 * EMPTY: an armored block cut down to nothing but whitespace is an unset variable to the env
 * source (USAGE: "is not set"), not a damaged file; the judge accepts USAGE for exactly those.
 */
export type Verdict = 'unchanged' | 'BAD_FILE' | 'DECRYPT_FAILED' | 'EMPTY' | 'finding';

export interface CaseResult {
  verdict: Verdict;
  /** for a finding: what happened */
  detail?: string;
}

const ALLOWED = new Set(['BAD_FILE', 'DECRYPT_FAILED']);

/** One case through the library; `dir` is a private directory for the { file } source. */
export async function runCase(base: FuzzBase, c: FuzzCase, dir: string, index: number): Promise<CaseResult> {
  let cred;
  const path = join(dir, `case-${index}.ohs`);
  try {
    if (c.kind === 'file') {
      await writeFile(path, c.input, { mode: 0o600 });
      await chmod(path, 0o600);
      cred = await openCredential({ file: path }, { key: base.secretKey, env: {}, ...(c.withPassphrase ? { passphrase: base.passphrase } : {}) });
    } else {
      const env: NodeJS.ProcessEnv = { OAUTH_HANDOFF_SETTINGS: Buffer.from(c.input).toString('latin1'), OAUTH_HANDOFF_KEY: base.secretKey };
      if (c.withPassphrase) env.OAUTH_HANDOFF_PASSPHRASE = base.passphrase;
      cred = await openCredential({ env: true }, { env });
    }
    const token = await cred.accessToken();
    if (cred.name !== base.name || token !== base.accessToken) {
      return { verdict: 'finding', detail: `opened, but as "${cred.name}" with another token (a partial or altered result)` };
    }
    return { verdict: 'unchanged' };
  } catch (e) {
    if (e instanceof HandoffError && ALLOWED.has(e.code)) return { verdict: e.code as Verdict };
    if (e instanceof HandoffError && e.code === 'USAGE' && c.kind === 'armored' && Buffer.from(c.input).toString('latin1').trim() === '') {
      return { verdict: 'EMPTY' };
    }
    const what = e instanceof HandoffError ? `HandoffError ${e.code}: ${e.message}` : e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return { verdict: 'finding', detail: what };
  } finally {
    await cred?.close();
    await rm(path, { force: true });
  }
}

export interface FuzzReport {
  seed: number;
  cases: number;
  counts: Record<Verdict, number>;
  byKind: Record<FuzzKind, number>;
  /** the first findings, each replayable by seed, index and kind */
  findings: { index: number; kind: FuzzKind; mutators: string[]; detail: string }[];
}

/** Runs `cases` cases (alternating binary files and armored blocks) from `seed`. */
export async function runFuzz(seed: number, cases: number, onProgress?: (done: number) => void): Promise<FuzzReport> {
  const base = await makeBase(seed);
  const dir = await mkdtemp(join(tmpdir(), 'oh-fuzz-'));
  await chmod(dir, 0o700);
  const report: FuzzReport = {
    seed,
    cases,
    counts: { unchanged: 0, BAD_FILE: 0, DECRYPT_FAILED: 0, EMPTY: 0, finding: 0 },
    byKind: { file: 0, armored: 0 },
    findings: [],
  };
  try {
    for (let i = 0; i < cases; i++) {
      const kind: FuzzKind = i % 2 === 0 ? 'file' : 'armored';
      const c = makeCase(base, seed, i, kind);
      const r = await runCase(base, c, dir, i);
      report.counts[r.verdict]++;
      report.byKind[kind]++;
      if (r.verdict === 'finding' && report.findings.length < 20) {
        report.findings.push({ index: i, kind, mutators: c.mutators, detail: r.detail ?? '' });
      }
      if (onProgress && (i + 1) % 1000 === 0) onProgress(i + 1);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return report;
}
