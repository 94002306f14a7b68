/**
 * The header codec: the version line, the created line, the stanzas and the MAC line, written and
 * read strictly. It knows the stanza syntax, not what a stanza of a given type means (the
 * recipient files do) nor how the MAC is computed (file.ts). docs/settings-file-format.md §3.
 */
import { Buffer } from 'node:buffer';
import {
  ARMOR_BEGIN,
  CREATED_LABEL,
  FORMAT_ID,
  MAC_PREFIX,
  MAC_SIZE,
  MAX_HEADER_LINE_LENGTH,
  MAX_HEADER_SIZE,
  MAX_STANZA_ARGS,
  MAX_STANZA_BODY_SIZE,
  MAX_STANZAS,
  STANZA_BODY_LINE_LENGTH,
  STANZA_PREFIX,
  VERSION_LINE,
} from './constants.js';
import { decodeBase64Unpadded, encodeBase64Unpadded, startsWithAscii } from './encoding.js';
import { badFile, internal, usage } from './primitives.js';
import type { Stanza } from './recipient.js';
import { said } from './said.js';

const LF = 0x0a;
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

// =============================================================================================
// created line (§3.3)
// =============================================================================================

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

// =============================================================================================
// writing
// =============================================================================================

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

/** The header from the version line through the "---" of the MAC line: the MAC input (§3.5). */
export function encodeHeaderWithoutMac(created: Date, stanzas: readonly Stanza[]): Uint8Array {
  for (const stanza of stanzas) checkStanzaSyntax(stanza);
  const text = `${VERSION_LINE}\n${CREATED_LINE_START}${formatCreated(created)}\n${stanzas.map(encodeStanza).join('')}${MAC_PREFIX}`;
  return new TextEncoder().encode(text);
}

/** The whole header: `withoutMac`, the MAC and the LF that ends the MAC line. */
export function encodeHeader(withoutMac: Uint8Array, mac: Uint8Array): Uint8Array {
  if (mac.length !== MAC_SIZE) throw internal('header MAC has the wrong length');
  const tail = new TextEncoder().encode(` ${encodeBase64Unpadded(mac)}\n`);
  const header = new Uint8Array(withoutMac.length + tail.length);
  header.set(withoutMac, 0);
  header.set(tail, withoutMac.length);
  if (header.length > MAX_HEADER_SIZE) throw usage('settings file header would be larger than the format allows');
  return header;
}

// =============================================================================================
// reading
// =============================================================================================

/** A header split into its parts; nothing here is authenticated yet. */
export interface ParsedHeader {
  created: Date;
  stanzas: Stanza[];
  /** the header from its first byte through the "---" of the MAC line (the MAC input) */
  macInput: Uint8Array;
  mac: Uint8Array;
  /** the whole header, through the LF that ends the MAC line (the payload's associated data) */
  header: Uint8Array;
  /** everything after the header */
  rest: Uint8Array;
}

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
      if (b < 0x20 || b > 0x7e) throw badFile(said('crypto.header_not_ascii', 'settings file header contains a byte that is not printable ASCII'));
    }
    if (lf < 0) {
      if (end === start + MAX_HEADER_LINE_LENGTH + 1) {
        throw badFile(said('crypto.header_line_long', 'settings file header line is longer than {max} bytes', { max: MAX_HEADER_LINE_LENGTH }));
      }
      if (end === this.bytes.length) throw badFile(said('crypto.header_truncated', 'settings file header is truncated'));
      throw badFile(said('crypto.header_too_large', 'settings file header is larger than {max} bytes', { max: MAX_HEADER_SIZE }));
    }
    this.lineStart = start;
    this.pos = lf + 1;
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset + start, lf - start).toString('latin1');
  }
}

function checkVersion(bytes: Uint8Array, reader: LineReader): void {
  if (startsWithAscii(bytes, `${VERSION_LINE}\n`)) {
    reader.next();
    return;
  }
  if (!startsWithAscii(bytes, `${FORMAT_ID}/`)) {
    if (startsWithAscii(bytes, ARMOR_BEGIN)) throw badFile(said('crypto.armored_given', 'armored settings text given where the binary file was expected'));
    throw badFile(said('crypto.not_ours', 'not an oauth-handoff settings file'));
  }
  if (startsWithAscii(bytes, `${VERSION_LINE}\r\n`)) {
    throw badFile(said('crypto.crlf', 'settings file has CRLF line ends (was it copied as text?)'));
  }
  let version = '';
  for (let i = FORMAT_ID.length + 1; i < bytes.length && i < FORMAT_ID.length + 18 && bytes[i] !== LF; i++) {
    version += String.fromCharCode(bytes[i]!);
  }
  const shown = /^[A-Za-z0-9._-]{1,16}$/.test(version) ? version : '?';
  throw badFile(said('crypto.unsupported_version', 'unsupported settings file version "{version}"', { version: shown }));
}

function readStanzaBody(reader: LineReader): Uint8Array {
  let text = '';
  for (;;) {
    const line = reader.next();
    if (!BODY_LINE_PATTERN.test(line) || line.length > STANZA_BODY_LINE_LENGTH) {
      throw badFile(said('crypto.stanza_body_base64', 'stanza body is not canonical base64'));
    }
    text += line;
    if (text.length > MAX_BODY_CHARS) throw badFile(said('crypto.stanza_body_large', 'stanza body is larger than {max} bytes', { max: MAX_STANZA_BODY_SIZE }));
    if (line.length < STANZA_BODY_LINE_LENGTH) break;
  }
  const body = decodeBase64Unpadded(text);
  if (!body) throw badFile(said('crypto.stanza_body_base64', 'stanza body is not canonical base64'));
  return body;
}

/** Splits and strictly checks the header at the start of `bytes` (§5 step 1). BAD_FILE for any defect. */
export function parseHeader(bytes: Uint8Array): ParsedHeader {
  const reader = new LineReader(bytes);
  checkVersion(bytes, reader);

  const createdLine = reader.next();
  if (!createdLine.startsWith(CREATED_LINE_START)) throw badFile(said('crypto.no_created', 'settings file header has no "created" line'));
  const created = parseCreated(createdLine.slice(CREATED_LINE_START.length));
  if (!created) throw badFile(said('crypto.created_malformed', 'settings file "created" time is malformed'));

  const stanzas: Stanza[] = [];
  let line = reader.next();
  while (line.startsWith(STANZA_LINE_START)) {
    if (stanzas.length === MAX_STANZAS) throw badFile(said('crypto.too_many_stanzas', 'settings file has more than {max} stanzas', { max: MAX_STANZAS }));
    const [type, ...args] = line.slice(STANZA_LINE_START.length).split(' ') as [string, ...string[]];
    if (!ARG_PATTERN.test(type) || !args.every((a) => ARG_PATTERN.test(a))) {
      throw badFile(said('crypto.stanza_malformed', 'stanza line is malformed'));
    }
    if (args.length > MAX_STANZA_ARGS) throw badFile(said('crypto.stanza_args', 'stanza has more than {max} arguments', { max: MAX_STANZA_ARGS }));
    stanzas.push({ type, args, body: readStanzaBody(reader) });
    line = reader.next();
  }
  if (!line.startsWith(MAC_PREFIX)) throw badFile(said('crypto.header_stray_line', 'settings file header has a line that is neither a stanza nor the MAC'));
  if (stanzas.length === 0) throw badFile(said('crypto.no_stanza', 'settings file has no recipient stanza'));
  const macText = line.startsWith(MAC_LINE_START) ? line.slice(MAC_LINE_START.length) : '';
  const mac = macText.length === MAC_CHARS ? decodeBase64Unpadded(macText) : undefined;
  if (!mac || mac.length !== MAC_SIZE) throw badFile(said('crypto.mac_malformed', 'settings file MAC line is malformed'));
  const macLineStart = reader.lineStart;
  const headerEnd = reader.pos;
  return {
    created,
    stanzas,
    macInput: bytes.subarray(0, macLineStart + MAC_PREFIX.length),
    mac,
    header: bytes.subarray(0, headerEnd),
    rest: bytes.subarray(headerEnd),
  };
}
