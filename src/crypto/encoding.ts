/**
 * Text encodings without knowledge of the file layout: canonical base64 (RFC 4648 §4), Bech32
 * (BIP 173) and an ASCII prefix check on bytes.
 */
import { Buffer } from 'node:buffer';

// =============================================================================================
// canonical base64 (RFC 4648 §4)
// =============================================================================================

/**
 * Canonical base64 (RFC 4648 §4, standard alphabet). Decoders return undefined for anything that
 * re-encoding would not give back exactly: stray characters, whitespace, wrong padding, non-zero
 * unused bits.
 */

const UNPADDED = /^[A-Za-z0-9+/]*$/;
const PADDED = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

export function encodeBase64Unpadded(bytes: Uint8Array): string {
  return encodeBase64(bytes).replace(/=+$/, '');
}

/** Canonical padded base64, or undefined. */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (!PADDED.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text) return undefined;
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Canonical unpadded base64, or undefined. */
export function decodeBase64Unpadded(text: string): Uint8Array | undefined {
  if (!UNPADDED.test(text) || text.length % 4 === 1) return undefined;
  const bytes = Buffer.from(text, 'base64');
  if (encodeBase64Unpadded(bytes) !== text) return undefined;
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

// =============================================================================================
// Bech32 (BIP 173)
// =============================================================================================

/**
 * Bech32 (BIP 173, the original checksum constant 1, not Bech32m). Kept in-tree because loading
 * the `bech32` package costs about 5 ms per process on the `token` hot path; the tests check this
 * implementation against that package.
 */

const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3] as const;
const CHECKSUM_LENGTH = 6;

function polymod(values: readonly number[]): number {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= GENERATOR[i]!;
  }
  return chk;
}

function hrpExpand(hrp: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < hrp.length; i++) out.push(hrp.charCodeAt(i) >>> 5);
  out.push(0);
  for (let i = 0; i < hrp.length; i++) out.push(hrp.charCodeAt(i) & 31);
  return out;
}

function toWords(bytes: Uint8Array): number[] {
  const words: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = ((acc << 8) | b) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      words.push((acc >>> bits) & 31);
    }
  }
  if (bits > 0) words.push((acc << (5 - bits)) & 31);
  return words;
}

/** 5-bit words to bytes; undefined when the padding is longer than 4 bits or not zero. */
function fromWords(words: readonly number[]): Uint8Array | undefined {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const w of words) {
    acc = ((acc << 5) | w) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >>> bits) & 0xff);
    }
  }
  if (bits >= 5 || (acc & ((1 << bits) - 1)) !== 0) return undefined;
  return Uint8Array.from(out);
}

/** Lower-case Bech32 of `data` under `hrp` (hrp must be lower-case printable ASCII). */
export function bech32Encode(hrp: string, data: Uint8Array): string {
  const words = toWords(data);
  const mod = polymod([...hrpExpand(hrp), ...words, 0, 0, 0, 0, 0, 0]) ^ 1;
  let out = `${hrp}1`;
  for (const w of words) out += CHARSET[w];
  for (let i = 0; i < CHECKSUM_LENGTH; i++) out += CHARSET[(mod >>> (5 * (5 - i))) & 31];
  return out;
}

export type Bech32Result =
  | { ok: true; hrp: string; data: Uint8Array }
  | { ok: false; reason: 'mixed-case' | 'format' | 'charset' | 'checksum' | 'padding' };

/** Decodes `text` (all lower or all upper case). The returned hrp is lower-case. */
export function bech32Decode(text: string): Bech32Result {
  const lower = text.toLowerCase();
  if (lower !== text && text.toUpperCase() !== text) return { ok: false, reason: 'mixed-case' };
  const sep = lower.lastIndexOf('1');
  if (sep < 1 || lower.length - sep - 1 < CHECKSUM_LENGTH) return { ok: false, reason: 'format' };
  const hrp = lower.slice(0, sep);
  for (let i = 0; i < hrp.length; i++) {
    const c = hrp.charCodeAt(i);
    if (c < 33 || c > 126) return { ok: false, reason: 'format' };
  }
  const values: number[] = [];
  for (let i = sep + 1; i < lower.length; i++) {
    const v = CHARSET.indexOf(lower[i]!);
    if (v < 0) return { ok: false, reason: 'charset' };
    values.push(v);
  }
  if (polymod([...hrpExpand(hrp), ...values]) !== 1) return { ok: false, reason: 'checksum' };
  const data = fromWords(values.slice(0, values.length - CHECKSUM_LENGTH));
  if (!data) return { ok: false, reason: 'padding' };
  return { ok: true, hrp, data };
}

// =============================================================================================
// bytes
// =============================================================================================

/** Whether `bytes` holds the ASCII string `prefix` at offset `at`. */
export function startsWithAscii(bytes: Uint8Array, prefix: string, at = 0): boolean {
  if (bytes.length - at < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[at + i] !== prefix.charCodeAt(i)) return false;
  return true;
}
