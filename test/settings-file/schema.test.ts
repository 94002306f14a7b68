import test from 'ava';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { seal, x25519Recipient } from '../../src/crypto/index.js';
import { CODES, HandoffError } from '../../src/errors.js';
import { createMachineKey, decodeSettings, storeLayout } from '../../src/settings-file/index.js';
import { cleanEnv, runCli, tempDir } from '../helpers/cli.js';
import { settingsFrom } from '../helpers/fixtures.js';

const base = () =>
  settingsFrom({ endpoints: { token: 'http://127.0.0.1:9/token' }, client: { id: 'c' } }, { access_token: 'at', token_type: 'Bearer', expires_in: 3600 }, { name: 'svc' });

const bytes = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));

test('an invalid credential name inside a decrypted file is a bad file (BAD_FILE), not a usage error', (t) => {
  for (const name of ['../evil', '', '.hidden', 'a/b', 'x'.repeat(65)]) {
    const e = t.throws(() => decodeSettings(bytes({ ...base(), name })));
    t.true(e instanceof HandoffError && e.code === CODES.BAD_FILE, `${JSON.stringify(name)}: ${e?.message}`);
  }
});

test('import of a file whose credential name is invalid exits 4', async (t) => {
  const dir = await tempDir(t);
  const home = join(dir, 'store');
  const key = await createMachineKey(storeLayout(home));
  const file = join(dir, 'evil.ohs');
  await writeFile(file, await seal(bytes({ ...base(), name: '../../evil' }), [x25519Recipient(key.publicKey)]));
  const r = await runCli(['import', file], { env: cleanEnv(dir, { OAUTH_HANDOFF_HOME: home }) });
  t.is(r.code, 4, r.stderr);
  t.regex(r.stderr, /settings\.name/);
});

test('the schema checks token_type, dates and identifiers strictly (BAD_FILE, and the message never echoes the value)', (t) => {
  const s = base();
  const bad: Array<[string, Record<string, unknown>]> = [
    ['token.token_type', { token: { ...s.token, token_type: 'mac' } }],
    ['token.token_type', { token: { ...s.token, token_type: 'Bearer\u001b[2J' } }],
    ['token.obtained_at', { token: { ...s.token, obtained_at: 'tomorrow' } }],
    ['token.expires_at', { token: { ...s.token, expires_at: '2030-01-01' } }],
    ['token.expires_at', { token: { ...s.token, expires_at: 'Tue, 01 Jan 2030 00:00:00 GMT' } }],
    ['created.at', { created: { ...s.created, at: '1' } }],
    ['settings.provider', { provider: 'generic\u001b]52;c;aGk=\u0007' }],
    ['settings.provider', { provider: 'Generic Provider' }],
    ['client.id', { client: { ...s.client, id: 'c\nX-Injected: 1' } }],
    ['client.id', { client: { ...s.client, id: 'クライアント' } }],
    ['settings.scopes', { scopes: ['read write'] }],
    ['settings.scopes', { scopes: ['a"b'] }],
    ['created.by', { created: { ...s.created, by: 'me\u001b[2J' } }],
    ['created.host', { created: { ...s.created, host: 'host\u202egpj.exe' } }],
    ['endpoints.token', { endpoints: { token: 'http://127.0.0.1:9/to\tken' } }],
    ['endpoints.issuer', { endpoints: { ...s.endpoints, issuer: 'https://x\u0007' } }],
    ['settings.redirect_uri', { redirect_uri: 'http://127.0.0.1/cb\r\n' }],
  ];
  for (const [path, change] of bad) {
    const e = t.throws(() => decodeSettings(bytes({ ...s, ...change })), undefined, `${path} ${JSON.stringify(change)}`);
    t.true(e instanceof HandoffError && e.code === CODES.BAD_FILE, `${path}: ${e?.message}`);
    t.true(e?.message.startsWith(`invalid settings: ${path} `), `${path}: ${e?.message}`);
    t.notRegex(e?.message ?? '', /[\u0000-\u001f\u202e]/);
  }
});

test('what real servers and writers produce passes: Bearer in any case, offsets, URL scopes, Unicode names', (t) => {
  const s = base();
  const ok = decodeSettings(
    bytes({
      ...s,
      token: { ...s.token, token_type: 'bearer', expires_at: '2030-01-31T12:00:00.123+09:00', scope: 'openid  https://api.example/read' },
      scopes: ['openid', 'https://api.example/read', 'write:issues'],
      created: { ...s.created, by: '山田 太郎', host: 'srv-01.example' },
      redirect_uri: 'urn:ietf:wg:oauth:2.0:oob',
      client: { ...s.client, id: 'a client id with spaces' },
    }),
  );
  t.is(ok.token.token_type, 'Bearer');
  t.is(ok.created.by, '山田 太郎');
});
