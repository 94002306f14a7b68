import test from 'ava';
import { randomBytes } from 'node:crypto';
import { armor, dearmor, decodeSettingsInput, generateKeyPair, open, seal, x25519Identity, x25519Recipient } from '../../src/crypto/index.js';
import { describe, outcome, utf8 } from './helpers.js';

const BEGIN = '-----BEGIN OAUTH-HANDOFF SETTINGS-----';
const END = '-----END OAUTH-HANDOFF SETTINGS-----';

test('armor and dearmor round-trip every last-line length, with 64-column lines', (t) => {
  for (let n = 1; n <= 200; n++) {
    const bytes = new Uint8Array(randomBytes(n));
    const text = armor(bytes);
    t.true(text.startsWith(`${BEGIN}\n`) && text.endsWith(`\n${END}\n`));
    const lines = text.split('\n').slice(1, -2);
    t.true(lines.slice(0, -1).every((l) => l.length === 64));
    t.true(lines.at(-1)!.length >= 1 && lines.at(-1)!.length <= 64);
    t.deepEqual(dearmor(text), bytes, `n=${n}`);
  }
});

test('an armored settings file pasted with leftovers still opens', async (t) => {
  const machine = generateKeyPair();
  const sealed = await seal(utf8('{"a":1}'), [x25519Recipient(machine.publicKey)]);
  const text = armor(sealed);
  for (const pasted of [
    text,
    text.trimEnd(),
    `\n\n  \t${text}  \n\n`,
    text.replace(/\n/g, '\r\n'),
    `\r\n${text.replace(/\n/g, '\r\n')}\r\n\r\n`,
  ]) {
    t.deepEqual(dearmor(pasted), sealed);
    t.deepEqual(decodeSettingsInput(utf8(pasted)), sealed);
  }
  t.deepEqual(await open(decodeSettingsInput(utf8(text)), [x25519Identity(machine.secretKey)]), utf8('{"a":1}'));
  t.is(decodeSettingsInput(sealed), sealed, 'binary input passes through');
});

/** 4 bytes → "xxxxxx==", 5 bytes → "xxxxxxx=": both have unused bits */
const four = armor(Uint8Array.of(1, 2, 3, 4));
const five = armor(Uint8Array.of(1, 2, 3, 4, 5));
const long = armor(new Uint8Array(100).fill(0xaa));

const nonCanonical: Array<[string, string]> = [
  ['padding removed', four.replace('==\n', '\n')],
  ['one padding character removed', four.replace('==\n', '=\n')],
  ['extra padding', five.replace('=\n', '==\n')],
  ['non-zero unused bits (2 bits)', five.replace('AQIDBAU=', 'AQIDBAV=')],
  ['non-zero unused bits (4 bits)', four.replace('AQIDBA==', 'AQIDBB==')],
  ['padding in the middle', `${BEGIN}\nAQ==AQ==\n${END}\n`],
  ['a character outside base64', four.replace('AQIDBA==', 'AQID-A==')],
  ['URL-safe alphabet', armor(new Uint8Array([0xfb, 0xff])).replace('+/8=', '-_8=')],
  ['a short line in the middle', long.replace(/^(.{64}\n)(.{64})/m, (_m, a: string, b: string) => `${a}${b.slice(0, 60)}\n${b.slice(60)}`)],
  ['two lines joined', long.replace(/\n(?=[^-])/, '')],
  ['a line of 65 characters', long.replace(/^(.{64})\n(.)/m, '$1$2\n')],
  ['junk after END', `${four}junk\n`],
  ['junk on the END line', four.replace(`${END}\n`, `${END} junk\n`)],
  ['a second block after END', `${four}${four}`],
  ['END missing', four.replace(`${END}\n`, '')],
  ['BEGIN missing', four.replace(`${BEGIN}\n`, '')],
  ['text before BEGIN', `Here you go:\n${four}`],
  ['a blank line inside', four.replace(`${BEGIN}\n`, `${BEGIN}\n\n`)],
  ['a trailing space on a data line', four.replace('==\n', '== \n')],
  ['a tab inside a data line', long.replace(/^(.{10})/m, '$1\t')],
  ['a lone CR', four.replace('==\n', '==\r')],
  ['no data lines', `${BEGIN}\n${END}\n`],
  ['lower-case BEGIN', four.replace(BEGIN, BEGIN.toLowerCase())],
];

for (const [what, text] of nonCanonical) {
  test(`non-canonical armor is rejected with BAD_FILE: ${what}`, async (t) => {
    t.is(describe(await outcome(() => dearmor(text))), 'BAD_FILE', JSON.stringify(text));
    t.is(describe(await outcome(() => decodeSettingsInput(utf8(text)))), 'BAD_FILE');
  });
}

test('decodeSettingsInput refuses input that is neither form', async (t) => {
  for (const input of [new Uint8Array(0), utf8('hello'), utf8('  oauth-handoff/v1\n'), utf8(`${four.slice(0, 50)}é${four.slice(50)}`)]) {
    t.is(describe(await outcome(() => decodeSettingsInput(input))), 'BAD_FILE');
  }
  const huge = new Uint8Array(2 * 1024 * 1024 + 1).fill(0x20);
  huge.set(utf8(BEGIN), 0);
  t.is(describe(await outcome(() => decodeSettingsInput(huge))), 'BAD_FILE');
});
