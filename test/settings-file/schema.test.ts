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
