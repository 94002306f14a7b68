/**
 * `exec` children (and daemon hooks) get the token and nothing secret of
 * ours, in both modes, whatever OAUTH_HANDOFF_* secrets exist now or later.
 */
import test from 'ava';
import { join } from 'node:path';
import { childEnv } from '../../src/headless-side/child-env.js';
import { cleanEnv, runCli, tempDir } from '../helpers/cli.js';
import { settingsFrom, storeWith } from '../helpers/fixtures.js';
import { ciSecrets } from './ci/helpers.js';

const SECRETS = {
  OAUTH_HANDOFF_PASSPHRASE: 'secret-passphrase-1',
  OAUTH_HANDOFF_CLIENT_SECRET: 'secret-client-2',
  OAUTH_HANDOFF_REDIS_PASSWORD: 'secret-redis-3',
  // one that does not exist yet: the rule covers it too
  OAUTH_HANDOFF_SOME_FUTURE_SECRET: 'secret-future-4',
};

/** The child prints every variable it got whose name or value is ours. */
const SCRIPT =
  "const seen = Object.entries(process.env).filter(([k, v]) => k.startsWith('OAUTH_') || k === 'API_TOKEN' || /secret-|OH-SECRET-KEY|BEGIN/.test(v)); console.log(JSON.stringify(Object.fromEntries(seen)))";

const settings = () =>
  settingsFrom({ endpoints: { token: 'http://127.0.0.1:9/token' }, client: { id: 'c', secret: 'secret-in-settings-5' } }, { access_token: 'at-1', token_type: 'Bearer', expires_in: 3600 }, { name: 'svc' });

test('exec from a store: the command sees the token, the store location and nothing secret of ours', async (t) => {
  const dir = await tempDir(t);
  const home = join(dir, 'store');
  await storeWith(home, settings());
  const { key, armored } = await ciSecrets(settings());
  const env = cleanEnv(dir, { ...SECRETS, OAUTH_HANDOFF_HOME: home, OAUTH_HANDOFF_SETTINGS: armored, OAUTH_HANDOFF_KEY: key, OAUTH_HANDOFF_LANG: 'en' });
  const r = await runCli(['exec', 'svc', '--', process.execPath, '-e', SCRIPT], { env });
  t.is(r.code, 0, r.stderr);
  t.deepEqual(JSON.parse(r.stdout), { OAUTH_ACCESS_TOKEN: 'at-1', OAUTH_HANDOFF_HOME: home, OAUTH_HANDOFF_LANG: 'en' });
});

test('exec --from-env: the command sees the token and nothing secret of ours (not the client secret either)', async (t) => {
  const dir = await tempDir(t);
  const { key, armored } = await ciSecrets(settings());
  const env = cleanEnv(dir, { ...SECRETS, OAUTH_HANDOFF_SETTINGS: armored, OAUTH_HANDOFF_KEY: key });
  const r = await runCli(['exec', 'svc', '--from-env', '--env-var', 'API_TOKEN', '--', process.execPath, '-e', SCRIPT], { env });
  t.is(r.code, 0, r.stderr);
  t.deepEqual(JSON.parse(r.stdout), { API_TOKEN: 'at-1' });
});

test('the rule: only OAUTH_HANDOFF_HOME, _LANG and a store address without a password pass', (t) => {
  const base = {
    PATH: '/bin',
    OAUTH_HANDOFF_HOME: '/h',
    OAUTH_HANDOFF_LANG: 'ja',
    OAUTH_HANDOFF_DEBUG: '1',
    OAUTH_HANDOFF_ANYTHING: 'x',
    OAUTH_ACCESS_TOKEN_OF_PARENT: 'not ours: passes',
  };
  t.deepEqual(childEnv(base), { PATH: '/bin', OAUTH_HANDOFF_HOME: '/h', OAUTH_HANDOFF_LANG: 'ja', OAUTH_ACCESS_TOKEN_OF_PARENT: 'not ours: passes' });
  t.is(childEnv({ OAUTH_HANDOFF_STORE: '/srv/store' }).OAUTH_HANDOFF_STORE, '/srv/store');
  t.is(childEnv({ OAUTH_HANDOFF_STORE: 'redis://redis.internal:6379/0' }).OAUTH_HANDOFF_STORE, 'redis://redis.internal:6379/0');
  t.is(childEnv({ OAUTH_HANDOFF_STORE: 'redis://user:pw@redis.internal/0' }).OAUTH_HANDOFF_STORE, undefined);
  t.is(childEnv({ OAUTH_HANDOFF_STORE: 'rediss://:pw@redis.internal/0' }).OAUTH_HANDOFF_STORE, undefined);
});
