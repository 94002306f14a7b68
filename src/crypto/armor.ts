/**
 * The armor: a sealed file as text to paste (docs/settings-file-format.md §7), and the reader of
 * what a user gives (a binary file or an armored block).
 */
import { Buffer } from 'node:buffer';
import { ARMOR_BEGIN, ARMOR_END, ARMOR_LINE_LENGTH, FORMAT_ID, MAX_ARMOR_SIZE, MAX_FILE_SIZE } from './constants.js';
import { decodeBase64, encodeBase64, startsWithAscii } from './encoding.js';
import { badFile } from './primitives.js';
import { said } from './said.js';

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
  if (text.length > MAX_ARMOR_SIZE) throw badFile(said('crypto.armor_too_large', 'armored settings are larger than {max} bytes', { max: MAX_ARMOR_SIZE }));
  const lf = text.replace(/\r\n/g, '\n');
  if (lf.includes('\r')) throw badFile(said('crypto.armor_stray_cr', 'armored settings contain a CR that does not end a line'));
  // whitespace tolerated before BEGIN and after END (no CR is left: CRLF became LF)
  let start = 0;
  while (start < lf.length && isWhitespace(lf.charCodeAt(start))) start++;
  let end = lf.length;
  while (end > start && isWhitespace(lf.charCodeAt(end - 1))) end--;
  const block = lf.slice(start, end);
  if (!block.startsWith(`${ARMOR_BEGIN}\n`)) throw badFile(said('crypto.armor_no_begin', 'armored settings do not start with the BEGIN line'));
  const endAt = block.indexOf(`\n${ARMOR_END}`);
  if (endAt < 0) throw badFile(said('crypto.armor_no_end', 'armored settings have no END line'));
  if (endAt + 1 + ARMOR_END.length !== block.length) throw badFile(said('crypto.armor_after_end', 'armored settings have data after the END line'));
  const body = block.slice(ARMOR_BEGIN.length + 1, endAt);
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const length = lines[i]!.length;
    const last = i === lines.length - 1;
    if (last ? length < 1 || length > ARMOR_LINE_LENGTH : length !== ARMOR_LINE_LENGTH) {
      throw badFile(said('crypto.armor_line_length', 'armored settings line {line} has the wrong length', { line: i + 2 }));
    }
  }
  const bytes = decodeBase64(lines.join(''));
  if (!bytes) throw badFile(said('crypto.armor_base64', 'armored settings are not canonical base64'));
  if (bytes.length > MAX_FILE_SIZE) throw badFile(said('crypto.file_too_large', 'settings file is larger than {max} bytes', { max: MAX_FILE_SIZE }));
  return bytes;
}

function isWhitespace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
}

/** What a user gave (a file or pasted text) as the binary file: dearmors armored input. */
export function decodeSettingsInput(input: Uint8Array): Uint8Array {
  if (!(input instanceof Uint8Array)) throw badFile('settings input must be bytes');
  if (startsWithAscii(input, `${FORMAT_ID}/`)) {
    if (input.length > MAX_FILE_SIZE) throw badFile(said('crypto.file_too_large', 'settings file is larger than {max} bytes', { max: MAX_FILE_SIZE }));
    return input;
  }
  let at = 0;
  while (at < input.length && isWhitespace(input[at]!)) at++;
  if (!startsWithAscii(input, ARMOR_BEGIN, at)) {
    throw badFile(said('crypto.not_ours_or_armor', 'not an oauth-handoff settings file or armored settings block'));
  }
  if (input.length > MAX_ARMOR_SIZE) throw badFile(said('crypto.armor_too_large', 'armored settings are larger than {max} bytes', { max: MAX_ARMOR_SIZE }));
  for (const b of input) if (b > 0x7f) throw badFile(said('crypto.armor_not_ascii', 'armored settings contain a byte that is not ASCII'));
  return dearmor(Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('latin1'));
}
