import test from 'ava';
import { writeFile } from 'node:fs/promises';
import { seal, x25519Recipient } from '../../src/crypto/index.js';
import { encodeSettings, validateSettings } from '../../src/settings-file/index.js';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { settingsFrom } from '../helpers/fixtures.js';
import { sendJson, storeFor, tokenEndpoint } from './helpers.js';

const BAD = [
  ['CR LF (a header injection)', 'NEW\r\nX-Injected: 1'],
  ['a control character', 'NEW\u001b[2J'],
  ['non-ASCII', 'NEWé'],
] as const;

for (const [what, value] of BAD) {
  for (const field of ['access_token', 'refresh_token'] as const) {
    test(`a token response whose ${field} has ${what} is refused (exit 5) and the old tokens are kept`, async (t) => {
      const body: Record<string, unknown> = { access_token: 'new-access', token_type: 'Bearer', expires_in: 3600, refresh_token: 'new-refresh' };
      body[field] = value;
      const ep = await tokenEndpoint(t, (_req, res) => sendJson(res, 200, body));
      const { store, home, base } = await storeFor(t, ep, { secondsLeft: -10 });
      const before = await store.read('svc');
      const r = await runCli(['token', 'svc'], { env: cleanEnv(base, { OAUTH_HANDOFF_HOME: home }) });
      t.is(r.code, 5, r.stderr);
      t.is(r.stdout, '');
      t.false(r.stderr.includes('X-Injected') || r.stderr.includes('\u001b'), 'the value is not echoed');
      const after = await store.read('svc');
      t.is(after.token.access_token, before.token.access_token);
      t.is(after.token.refresh_token, before.token.refresh_token);
      t.is(after.health.refresh_started_at, undefined, 'no attempt left marked');
      t.is(ep.refreshes.length, 1);
    });
  }
}

test('a settings file whose access or refresh token has characters outside VSCHAR is a bad file (exit 4)', async (t) => {
  const ep = await tokenEndpoint(t, (_req, res) => sendJson(res, 500, {}));
  const { base } = await storeFor(t, ep);
  const home = `${base}/other`;
  const env = cleanEnv(base, { OAUTH_HANDOFF_HOME: home });
  const kg = await runCli(['keygen'], { env });
  t.is(kg.code, 0, kg.stderr);
  for (const [, value] of BAD) {
    for (const field of ['access_token', 'refresh_token'] as const) {
      const s = settingsFrom({ endpoints: { token: ep.url }, client: { id: 'c', secret: 's' } }, { access_token: 'a', token_type: 'Bearer', refresh_token: 'r' }, { name: 'bad' });
      s.token[field] = value;
      t.throws(() => validateSettings(s), { message: new RegExp(`token\\.${field}`) });
      // a file made by another writer: sealed without our validation
      const raw = new TextEncoder().encode(JSON.stringify(s));
      const file = `${base}/bad-${field}.ohs`;
      await writeFile(file, await seal(raw, [x25519Recipient(kg.stdout.trim())]));
      const r = await runCli(['import', file], { env });
      t.is(r.code, 4, r.stderr);
      t.regex(r.stderr, new RegExp(`token\\.${field}`));
    }
  }
  t.throws(() => encodeSettings({ ...settingsFrom({ endpoints: { token: ep.url }, client: { id: 'c' } }, { access_token: 'a\nb', token_type: 'Bearer' }) }));
});

test('an access token with a space is served, with a warning (an Authorization header cannot carry it safely)', async (t) => {
  const ep = await tokenEndpoint(t, (_req, res) => sendJson(res, 200, { access_token: 'new access', token_type: 'Bearer', expires_in: 3600 }));
  const { home, base } = await storeFor(t, ep, { secondsLeft: -10 });
  const r = await runCli(['token', 'svc'], { env: cleanEnv(base, { OAUTH_HANDOFF_HOME: home }) });
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, 'new access\n');
  t.regex(r.stderr, /warning: .*space/);
});
