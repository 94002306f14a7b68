/**
 * The file format: the Recipient/Identity interfaces, stanza checks, header and payload (seal,
 * open, readHeader) and the armor. docs/settings-file-format.md §1–§5, §7.
 */
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { HandoffError } from '../errors.js';
import {
  ARGON2ID_MEM_LIMIT_UNIT,
  ARGON2ID_MIN_MEM_LIMIT,
  ARGON2ID_MIN_OPS_LIMIT,
  ARGON2ID_SALT_SIZE,
  ARGON2ID_STANZA_TYPE,
  ARMOR_BEGIN,
  ARMOR_END,
  ARMOR_LINE_LENGTH,
  CREATED_LABEL,
  FILE_KEY_SIZE,
  FINGERPRINT_SIZE,
  FORMAT_ID,
  HKDF_INFO_HEADER,
  HKDF_INFO_PAYLOAD,
  MAC_PREFIX,
  MAC_SIZE,
  MAX_ARGON2ID_STANZAS,
  MAX_ARMOR_SIZE,
  MAX_FILE_SIZE,
  MAX_HEADER_LINE_LENGTH,
  MAX_HEADER_SIZE,
  MAX_STANZA_ARGS,
  MAX_STANZA_BODY_SIZE,
  MAX_STANZAS,
  MIN_PAYLOAD_SIZE,
  PAYLOAD_NONCE_SIZE,
  STANZA_BODY_LINE_LENGTH,
  STANZA_PREFIX,
  VERSION_LINE,
  WRAPPED_FILE_KEY_SIZE,
  X25519_KEY_SIZE,
  X25519_STANZA_TYPE,
} from './constants.js';
import {
  aeadOpen,
  aeadSeal,
  badFile,
  constantTimeEqual,
  decodeBase64,
  decodeBase64Unpadded,
  decryptFailed,
  encodeBase64,
  encodeBase64Unpadded,
  hkdfSha256,
  hmacSha256,
  internal,
  usage,
} from './primitives.js';

// =============================================================================================
// interfaces (docs/settings-file-format.md §3.4)
// =============================================================================================

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

export type RecipientInfo =
  | { type: 'X25519'; fingerprint: string }
  | { type: 'argon2id'; opsLimit: number; memLimit: number }
  | { type: string; args: string[] };

/** What the header says, readable without any key. */
export interface Header {
  version: 1;
  created: Date;
  recipients: RecipientInfo[];
}

/** Argon2id cost: libsodium's opslimit (passes) and memlimit (bytes). */
export interface KdfParams {
  opsLimit: number;
  memLimit: number;
}

/** The most Argon2id work a reader agrees to do for one file. */
export interface KdfCaps {
  maxOpsLimit: number;
  maxMemLimit: number;
}

// =============================================================================================
// stanzas of the known types (§3.4.1, §3.4.2)
// =============================================================================================

export interface X25519StanzaFields {
  fingerprint: string;
  share: Uint8Array;
  body: Uint8Array;
}

export interface Argon2idStanzaFields {
  salt: Uint8Array;
  opsLimit: number;
  memLimit: number;
  body: Uint8Array;
}

const FINGERPRINT_PATTERN = new RegExp(`^[0-9a-f]{${FINGERPRINT_SIZE * 2}}$`);
/** canonical decimal: no sign, no leading zero, small enough to be an exact JavaScript number */
const DECIMAL_PATTERN = /^[1-9][0-9]{0,14}$/;

export function parseX25519Stanza(stanza: Stanza): X25519StanzaFields {
  if (stanza.type !== X25519_STANZA_TYPE) throw badFile('not an X25519 stanza');
  if (stanza.args.length !== 2) throw badFile('X25519 stanza must have 2 arguments');
  const [fingerprint, shareText] = stanza.args as [string, string];
  if (!FINGERPRINT_PATTERN.test(fingerprint)) throw badFile('X25519 stanza fingerprint is malformed');
  const share = decodeBase64Unpadded(shareText);
  if (!share || share.length !== X25519_KEY_SIZE) throw badFile('X25519 stanza ephemeral share is malformed');
  if (stanza.body.length !== WRAPPED_FILE_KEY_SIZE) throw badFile('X25519 stanza body has the wrong length');
  return { fingerprint, share, body: stanza.body };
}

export function parseArgon2idStanza(stanza: Stanza): Argon2idStanzaFields {
  if (stanza.type !== ARGON2ID_STANZA_TYPE) throw badFile('not an argon2id stanza');
  if (stanza.args.length !== 3) throw badFile('argon2id stanza must have 3 arguments');
  const [saltText, opsText, memText] = stanza.args as [string, string, string];
  const salt = decodeBase64Unpadded(saltText);
  if (!salt || salt.length !== ARGON2ID_SALT_SIZE) throw badFile('argon2id stanza salt is malformed');
  if (!DECIMAL_PATTERN.test(opsText)) throw badFile('argon2id stanza opslimit is malformed');
  if (!DECIMAL_PATTERN.test(memText)) throw badFile('argon2id stanza memlimit is malformed');
  const opsLimit = Number(opsText);
  const memLimit = Number(memText);
  if (opsLimit < ARGON2ID_MIN_OPS_LIMIT) throw badFile('argon2id stanza opslimit is below the minimum');
  if (memLimit < ARGON2ID_MIN_MEM_LIMIT || memLimit % ARGON2ID_MEM_LIMIT_UNIT !== 0) {
    throw badFile(`argon2id stanza memlimit must be a multiple of ${ARGON2ID_MEM_LIMIT_UNIT} and at least ${ARGON2ID_MIN_MEM_LIMIT}`);
  }
  if (stanza.body.length !== WRAPPED_FILE_KEY_SIZE) throw badFile('argon2id stanza body has the wrong length');
  return { salt, opsLimit, memLimit, body: stanza.body };
}

/** What `inspect` shows about one stanza; BAD_FILE when a known type is malformed. */
export function describeStanza(stanza: Stanza): RecipientInfo {
  switch (stanza.type) {
    case X25519_STANZA_TYPE:
      return { type: X25519_STANZA_TYPE, fingerprint: parseX25519Stanza(stanza).fingerprint };
    case ARGON2ID_STANZA_TYPE: {
      const { opsLimit, memLimit } = parseArgon2idStanza(stanza);
      return { type: ARGON2ID_STANZA_TYPE, opsLimit, memLimit };
    }
    default:
      return { type: stanza.type, args: [...stanza.args] };
  }
}

// =============================================================================================
// header and payload (§3, §4, §5)
// =============================================================================================

const LF = 0x0a;
const EMPTY = new Uint8Array(0);
const STANZA_LINE_START = `${STANZA_PREFIX} `;
const MAC_LINE_START = `${MAC_PREFIX} `;
const CREATED_LINE_START = `${CREATED_LABEL} `;
const CREATED_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;
/** a stanza type or argument: non-empty printable ASCII without space */
const ARG_PATTERN = /^[\x21-\x7e]+$/;
const BODY_LINE_PATTERN = /^[A-Za-z0-9+/]*$/;
/** base64 characters of the largest body: ceil(MAX_STANZA_BODY_SIZE * 4 / 3) */
const MAX_BODY_CHARS = Math.ceil((MAX_STANZA_BODY_SIZE * 4) / 3);
/** the MAC as unpadded base64 */
const MAC_CHARS = Math.ceil((MAC_SIZE * 4) / 3);

/** A file split into its parts; nothing here is authenticated yet. */
export interface ParsedFile {
  created: Date;
  stanzas: Stanza[];
  recipients: RecipientInfo[];
  /** the header from its first byte through the "---" of the MAC line (the MAC input) */
  macInput: Uint8Array;
  mac: Uint8Array;
  /** the whole header, through the LF that ends the MAC line (the payload's associated data) */
  header: Uint8Array;
  payload: Uint8Array;
}

// ---------------------------------------------------------------------------------------------
// created line

/** `YYYY-MM-DDTHH:MM:SSZ` of `date`, truncated to whole seconds. */
export function formatCreated(date: Date): string {
  const time = date instanceof Date ? date.getTime() : Number.NaN;
  if (!Number.isFinite(time)) throw usage('creation time is not a valid date');
  const iso = new Date(Math.floor(time / 1000) * 1000).toISOString();
  if (!/^\d{4}-/.test(iso)) throw usage('creation time is outside the years 0000-9999');
  return `${iso.slice(0, 19)}Z`;
}

/** Parses `YYYY-MM-DDTHH:MM:SSZ` strictly (a real calendar date); undefined otherwise. */
export function parseCreated(text: string): Date | undefined {
  if (!CREATED_PATTERN.test(text)) return undefined;
  const date = new Date(text);
  if (!Number.isFinite(date.getTime()) || formatCreated(date) !== text) return undefined;
  return date;
}

// ---------------------------------------------------------------------------------------------
// writing

function checkStanzaSyntax(stanza: Stanza): void {
  if (!ARG_PATTERN.test(stanza.type)) throw internal('a recipient produced a stanza with an invalid type');
  if (stanza.args.length > MAX_STANZA_ARGS) throw internal('a recipient produced a stanza with too many arguments');
  for (const arg of stanza.args) {
    if (typeof arg !== 'string' || !ARG_PATTERN.test(arg)) throw internal('a recipient produced a stanza with an invalid argument');
  }
  if (!(stanza.body instanceof Uint8Array) || stanza.body.length > MAX_STANZA_BODY_SIZE) {
    throw internal('a recipient produced a stanza with an invalid body');
  }
  if (`${STANZA_LINE_START}${[stanza.type, ...stanza.args].join(' ')}`.length > MAX_HEADER_LINE_LENGTH) {
    throw internal('a recipient produced a stanza line that is too long');
  }
}

function encodeStanza(stanza: Stanza): string {
  const body = encodeBase64Unpadded(stanza.body);
  const lines: string[] = [];
  for (let i = 0; i <= body.length; i += STANZA_BODY_LINE_LENGTH) {
    lines.push(body.slice(i, i + STANZA_BODY_LINE_LENGTH));
  }
  // the loop ends with a line shorter than 64 (empty when the body fills whole lines)
  return `${STANZA_LINE_START}${[stanza.type, ...stanza.args].join(' ')}\n${lines.join('\n')}\n`;
}

export interface AssembleOptions {
  /** the payload nonce; random when absent (tests and vectors only) */
  nonce?: Uint8Array;
}

/**
 * Builds a sealed file from a file key and ready stanzas. Checks stanza syntax only; `seal`
 * adds the checks of what the recipients produced. Exposed for the test-vector generator.
 */
export function assembleFile(
  fileKey: Uint8Array,
  created: Date,
  stanzas: readonly Stanza[],
  plaintext: Uint8Array,
  options: AssembleOptions = {},
): Uint8Array {
  if (fileKey.length !== FILE_KEY_SIZE) throw internal('file key has the wrong length');
  for (const stanza of stanzas) checkStanzaSyntax(stanza);
  const macInputText = `${VERSION_LINE}\n${CREATED_LINE_START}${formatCreated(created)}\n${stanzas.map(encodeStanza).join('')}${MAC_PREFIX}`;
  const macInput = new TextEncoder().encode(macInputText);
  const mac = hmacSha256(hkdfSha256(fileKey, EMPTY, HKDF_INFO_HEADER), macInput);
  const header = new TextEncoder().encode(`${macInputText} ${encodeBase64Unpadded(mac)}\n`);
  if (header.length > MAX_HEADER_SIZE) throw usage('settings file header would be larger than the format allows');
  const nonce = options.nonce ?? new Uint8Array(randomBytes(PAYLOAD_NONCE_SIZE));
  if (nonce.length !== PAYLOAD_NONCE_SIZE) throw internal('payload nonce has the wrong length');
  const ciphertext = aeadSeal(hkdfSha256(fileKey, nonce, HKDF_INFO_PAYLOAD), plaintext, header);
  const total = header.length + nonce.length + ciphertext.length;
  if (total > MAX_FILE_SIZE) throw usage(`settings would make a file larger than ${MAX_FILE_SIZE} bytes`);
  const out = new Uint8Array(total);
  out.set(header, 0);
  out.set(nonce, header.length);
  out.set(ciphertext, header.length + nonce.length);
  return out;
}

/** Encrypts `plaintext` to every recipient with a fresh file key (§2). */
export async function seal(
  plaintext: Uint8Array,
  recipients: readonly Recipient[],
  opts: { now?: Date } = {},
): Promise<Uint8Array> {
  if (!(plaintext instanceof Uint8Array)) throw usage('plaintext must be bytes');
  if (recipients.length === 0) throw usage('no recipients to seal the settings file to');
  const created = opts.now ?? new Date();
  formatCreated(created);
  const fileKey = new Uint8Array(randomBytes(FILE_KEY_SIZE));
  try {
    const stanzas: Stanza[] = [];
    for (const recipient of recipients) stanzas.push(...(await recipient.wrap(fileKey)));
    if (stanzas.length === 0) throw internal('recipients produced no stanza');
    if (stanzas.length > MAX_STANZAS) throw usage(`a settings file can have at most ${MAX_STANZAS} recipients`);
    if (stanzas.filter((s) => s.type === ARGON2ID_STANZA_TYPE).length > MAX_ARGON2ID_STANZAS) {
      throw usage('a settings file can be sealed to at most one passphrase');
    }
    for (const stanza of stanzas) {
      try {
        describeStanza(stanza);
      } catch (cause) {
        throw internal('a recipient produced a malformed stanza', cause);
      }
    }
    return assembleFile(fileKey, created, stanzas, plaintext);
  } finally {
    fileKey.fill(0);
  }
}

// ---------------------------------------------------------------------------------------------
// reading

/** Reads LF-terminated printable-ASCII lines from the start of `bytes`, within the header cap. */
class LineReader {
  pos = 0;
  private readonly limit: number;

  constructor(private readonly bytes: Uint8Array) {
    this.limit = Math.min(bytes.length, MAX_HEADER_SIZE);
  }

  /** start offset of the line `next` returned last */
  lineStart = 0;

  next(): string {
    const start = this.pos;
    const end = Math.min(this.limit, start + MAX_HEADER_LINE_LENGTH + 1);
    let lf = -1;
    for (let i = start; i < end; i++) {
      const b = this.bytes[i]!;
      if (b === LF) {
        lf = i;
        break;
      }
      if (b < 0x20 || b > 0x7e) throw badFile('settings file header contains a byte that is not printable ASCII');
    }
    if (lf < 0) {
      if (end === start + MAX_HEADER_LINE_LENGTH + 1) {
        throw badFile(`settings file header line is longer than ${MAX_HEADER_LINE_LENGTH} bytes`);
      }
      if (end === this.bytes.length) throw badFile('settings file header is truncated');
      throw badFile(`settings file header is larger than ${MAX_HEADER_SIZE} bytes`);
    }
    this.lineStart = start;
    this.pos = lf + 1;
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset + start, lf - start).toString('latin1');
  }
}

function startsWithAscii(bytes: Uint8Array, prefix: string, at = 0): boolean {
  if (bytes.length - at < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[at + i] !== prefix.charCodeAt(i)) return false;
  return true;
}

function checkVersion(bytes: Uint8Array, reader: LineReader): void {
  if (startsWithAscii(bytes, `${VERSION_LINE}\n`)) {
    reader.next();
    return;
  }
  if (!startsWithAscii(bytes, `${FORMAT_ID}/`)) {
    if (startsWithAscii(bytes, ARMOR_BEGIN)) throw badFile('armored settings text given where the binary file was expected');
    throw badFile('not an oauth-handoff settings file');
  }
  if (startsWithAscii(bytes, `${VERSION_LINE}\r\n`)) {
    throw badFile('settings file has CRLF line ends (was it copied as text?)');
  }
  let version = '';
  for (let i = FORMAT_ID.length + 1; i < bytes.length && i < FORMAT_ID.length + 18 && bytes[i] !== LF; i++) {
    version += String.fromCharCode(bytes[i]!);
  }
  const shown = /^[A-Za-z0-9._-]{1,16}$/.test(version) ? version : '?';
  throw badFile(`unsupported settings file version "${shown}"`);
}

function readStanzaBody(reader: LineReader): Uint8Array {
  let text = '';
  for (;;) {
    const line = reader.next();
    if (!BODY_LINE_PATTERN.test(line) || line.length > STANZA_BODY_LINE_LENGTH) {
      throw badFile('stanza body is not canonical base64');
    }
    text += line;
    if (text.length > MAX_BODY_CHARS) throw badFile(`stanza body is larger than ${MAX_STANZA_BODY_SIZE} bytes`);
    if (line.length < STANZA_BODY_LINE_LENGTH) break;
  }
  const body = decodeBase64Unpadded(text);
  if (!body) throw badFile('stanza body is not canonical base64');
  return body;
}

/** Splits and strictly checks a sealed file (§5 step 1–2). BAD_FILE for any defect. */
export function parseFile(sealed: Uint8Array): ParsedFile {
  if (!(sealed instanceof Uint8Array)) throw badFile('settings file must be bytes');
  if (sealed.length > MAX_FILE_SIZE) throw badFile(`settings file is larger than ${MAX_FILE_SIZE} bytes`);
  const reader = new LineReader(sealed);
  checkVersion(sealed, reader);

  const createdLine = reader.next();
  if (!createdLine.startsWith(CREATED_LINE_START)) throw badFile('settings file header has no "created" line');
  const created = parseCreated(createdLine.slice(CREATED_LINE_START.length));
  if (!created) throw badFile('settings file "created" time is malformed');

  const stanzas: Stanza[] = [];
  let line = reader.next();
  while (line.startsWith(STANZA_LINE_START)) {
    if (stanzas.length === MAX_STANZAS) throw badFile(`settings file has more than ${MAX_STANZAS} stanzas`);
    const [type, ...args] = line.slice(STANZA_LINE_START.length).split(' ') as [string, ...string[]];
    if (!ARG_PATTERN.test(type) || !args.every((a) => ARG_PATTERN.test(a))) {
      throw badFile('stanza line is malformed');
    }
    if (args.length > MAX_STANZA_ARGS) throw badFile(`stanza has more than ${MAX_STANZA_ARGS} arguments`);
    stanzas.push({ type, args, body: readStanzaBody(reader) });
    line = reader.next();
  }
  if (!line.startsWith(MAC_PREFIX)) throw badFile('settings file header has a line that is neither a stanza nor the MAC');
  if (stanzas.length === 0) throw badFile('settings file has no recipient stanza');
  const macText = line.startsWith(MAC_LINE_START) ? line.slice(MAC_LINE_START.length) : '';
  const mac = macText.length === MAC_CHARS ? decodeBase64Unpadded(macText) : undefined;
  if (!mac || mac.length !== MAC_SIZE) throw badFile('settings file MAC line is malformed');
  const macLineStart = reader.lineStart;
  const headerEnd = reader.pos;

  const payload = sealed.subarray(headerEnd);
  if (payload.length < MIN_PAYLOAD_SIZE) throw badFile('settings file payload is truncated');

  const recipients = stanzas.map(describeStanza);
  if (stanzas.filter((s) => s.type === ARGON2ID_STANZA_TYPE).length > MAX_ARGON2ID_STANZAS) {
    throw badFile('settings file has more than one argon2id stanza');
  }
  return {
    created,
    stanzas,
    recipients,
    macInput: sealed.subarray(0, macLineStart + MAC_PREFIX.length),
    mac,
    header: sealed.subarray(0, headerEnd),
    payload,
  };
}

/** The header of a sealed file, without any key (for `inspect`). BAD_FILE when malformed. */
export function readHeader(sealed: Uint8Array): Header {
  const { created, recipients } = parseFile(sealed);
  return { version: 1, created, recipients };
}

async function unwrapFileKey(stanzas: readonly Stanza[], identities: readonly Identity[]): Promise<Uint8Array> {
  for (const identity of identities) {
    let fileKey: Uint8Array;
    try {
      fileKey = await identity.unwrap(stanzas);
    } catch (error) {
      if (error instanceof NotMineError) continue;
      if (error instanceof HandoffError) throw error;
      throw internal('an identity failed while unwrapping the file key', error);
    }
    if (!(fileKey instanceof Uint8Array) || fileKey.length !== FILE_KEY_SIZE) {
      throw internal('an identity returned a file key of the wrong length');
    }
    return fileKey;
  }
  throw decryptFailed('no identity matched any recipient');
}

/** Decrypts a sealed file with the first identity that has a stanza in it (§5). */
export async function open(sealed: Uint8Array, identities: readonly Identity[]): Promise<Uint8Array> {
  // a private copy: the caller's buffer may change while identities are awaited
  const file = parseFile(sealed instanceof Uint8Array ? Uint8Array.from(sealed) : sealed);
  const fileKey = await unwrapFileKey(file.stanzas, identities);
  try {
    const expected = hmacSha256(hkdfSha256(fileKey, EMPTY, HKDF_INFO_HEADER), file.macInput);
    if (!constantTimeEqual(expected, file.mac)) throw decryptFailed('header MAC mismatch');
    const nonce = file.payload.subarray(0, PAYLOAD_NONCE_SIZE);
    const plaintext = aeadOpen(
      hkdfSha256(fileKey, nonce, HKDF_INFO_PAYLOAD),
      file.payload.subarray(PAYLOAD_NONCE_SIZE),
      file.header,
    );
    if (!plaintext) throw decryptFailed('payload authentication failed');
    return plaintext;
  } finally {
    fileKey.fill(0);
  }
}

// =============================================================================================
// armor (§7)
// =============================================================================================


/** The armored block for `sealed`; LF line ends, ends with '\n'. */
export function armor(sealed: Uint8Array): string {
  const b64 = encodeBase64(sealed);
  const lines = [ARMOR_BEGIN];
  for (let i = 0; i < b64.length; i += ARMOR_LINE_LENGTH) lines.push(b64.slice(i, i + ARMOR_LINE_LENGTH));
  lines.push(ARMOR_END);
  return `${lines.join('\n')}\n`;
}

/** The bytes of an armored block; BAD_FILE for anything but the canonical form and paste leftovers. */
export function dearmor(text: string): Uint8Array {
  if (typeof text !== 'string') throw badFile('armored settings must be text');
  if (text.length > MAX_ARMOR_SIZE) throw badFile(`armored settings are larger than ${MAX_ARMOR_SIZE} bytes`);
  const lf = text.replace(/\r\n/g, '\n');
  if (lf.includes('\r')) throw badFile('armored settings contain a CR that does not end a line');
  // whitespace tolerated before BEGIN and after END (no CR is left: CRLF became LF)
  let start = 0;
  while (start < lf.length && isWhitespace(lf.charCodeAt(start))) start++;
  let end = lf.length;
  while (end > start && isWhitespace(lf.charCodeAt(end - 1))) end--;
  const block = lf.slice(start, end);
  if (!block.startsWith(`${ARMOR_BEGIN}\n`)) throw badFile('armored settings do not start with the BEGIN line');
  const endAt = block.indexOf(`\n${ARMOR_END}`);
  if (endAt < 0) throw badFile('armored settings have no END line');
  if (endAt + 1 + ARMOR_END.length !== block.length) throw badFile('armored settings have data after the END line');
  const body = block.slice(ARMOR_BEGIN.length + 1, endAt);
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const length = lines[i]!.length;
    const last = i === lines.length - 1;
    if (last ? length < 1 || length > ARMOR_LINE_LENGTH : length !== ARMOR_LINE_LENGTH) {
      throw badFile(`armored settings line ${i + 2} has the wrong length`);
    }
  }
  const bytes = decodeBase64(lines.join(''));
  if (!bytes) throw badFile('armored settings are not canonical base64');
  if (bytes.length > MAX_FILE_SIZE) throw badFile(`settings file is larger than ${MAX_FILE_SIZE} bytes`);
  return bytes;
}

function isWhitespace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
}

/** What a user gave (a file or pasted text) as the binary file: dearmors armored input. */
export function decodeSettingsInput(input: Uint8Array): Uint8Array {
  if (!(input instanceof Uint8Array)) throw badFile('settings input must be bytes');
  if (startsWithAscii(input, `${FORMAT_ID}/`)) {
    if (input.length > MAX_FILE_SIZE) throw badFile(`settings file is larger than ${MAX_FILE_SIZE} bytes`);
    return input;
  }
  let at = 0;
  while (at < input.length && isWhitespace(input[at]!)) at++;
  if (!startsWithAscii(input, ARMOR_BEGIN, at)) {
    throw badFile('not an oauth-handoff settings file or armored settings block');
  }
  if (input.length > MAX_ARMOR_SIZE) throw badFile(`armored settings are larger than ${MAX_ARMOR_SIZE} bytes`);
  for (const b of input) if (b > 0x7f) throw badFile('armored settings contain a byte that is not ASCII');
  return dearmor(Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('latin1'));
}
