import test from 'ava';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { x25519Recipient, generateKeyPair } from '../../src/crypto/index.js';
import { CODES, EXIT, HandoffError, isHandoffError, openCredential } from '../../src/index.js';
import { cleanEnv, collect, runCli, spawnCli, tempDir, trackChildren } from '../helpers/cli.js';
import { storeWith } from '../helpers/fixtures.js';
import { ciSecrets, grantSettings, openArmoredWithKey, refreshes, replays, sandboxFor, sealArmored } from '../headless-side/ci/helpers.js';

async function storeSetup(t: Parameters<typeof sandboxFor>[0], opts: { expired?: boolean } = {}) {
  const sandbox = await sandboxFor(t);
  const { grant, settings } = await grantSettings(sandbox, opts);
  const base = await tempDir(t);
  const home = join(base, 'store');
  await storeWith(home, settings);
  return { sandbox, grant, home, env: cleanEnv(base, { OAUTH_HANDOFF_HOME: home }) };
}

test('a fresh token comes from the store without contacting the provider', async (t) => {
  const { sandbox, grant, home } = await storeSetup(t);
  const cred = await openCredential({ name: 'svc' }, { store: home });
  t.is(cred.name, 'svc');
  t.is(await cred.accessToken(), grant.access_token);
  t.is(await cred.accessToken(), grant.access_token);
  t.is(refreshes(sandbox).length, 0);
});

test('concurrent accessToken() calls in one process share one refresh', async (t) => {
  const { sandbox, grant, home } = await storeSetup(t, { expired: true });
  const cred = await openCredential({ name: 'svc' }, { store: home });
  const tokens = await Promise.all(Array.from({ length: 25 }, () => cred.accessToken()));
  t.is(new Set(tokens).size, 1);
  t.not(tokens[0], grant.access_token);
  t.true(sandbox.isAccessTokenValid(tokens[0] as string));
  t.is(refreshes(sandbox).length, 1);
  t.is(await cred.accessToken(), tokens[0] as string);
  t.is(refreshes(sandbox).length, 1);
});

test('concurrent accessToken() calls on a credential from env share one refresh, and write-back holds the result', async (t) => {
  const sandbox = await sandboxFor(t);
  const { settings } = await grantSettings(sandbox, { expired: true });
  const s = await ciSecrets(settings);
  const dir = await tempDir(t);
  const back = join(dir, 'back.txt');
  const cred = await openCredential({ env: true }, { env: { OAUTH_HANDOFF_SETTINGS: s.armored, OAUTH_HANDOFF_KEY: s.key }, writeBack: back });
  const tokens = await Promise.all(Array.from({ length: 10 }, () => cred.accessToken()));
  t.is(new Set(tokens).size, 1);
  t.is(refreshes(sandbox).length, 1);
  const written = await openArmoredWithKey(await readFile(back, 'utf8'), s.key);
  t.is(written.token.access_token, tokens[0] as string);
});

test('a CLI process and the library refreshing the same expired token at once cause exactly one refresh', async (t) => {
  const { sandbox, home, env } = await storeSetup(t, { expired: true });
  // a slow token endpoint: whoever refreshes first holds the lock while the other arrives
  sandbox.injectFault({ delayMs: 800, grantType: 'refresh_token' });
  const track = trackChildren(t);
  const cli = collect(track(spawnCli(['token', 'svc'], { env })), { timeoutMs: 30_000 });
  const cred = await openCredential({ name: 'svc' }, { store: home });
  const [fromLibrary, fromCli] = await Promise.all([cred.accessToken(), cli]);
  t.is(fromCli.code, 0, fromCli.stderr);
  t.is(fromCli.stdout.trim(), fromLibrary);
  t.true(sandbox.isAccessTokenValid(fromLibrary));
  t.is(refreshes(sandbox).length, 1);
  t.is(replays(sandbox).length, 0);
});

test('after another process refreshed, the next accessToken() returns its token without refreshing again', async (t) => {
  const { sandbox, grant, home, env } = await storeSetup(t);
  const cred = await openCredential({ name: 'svc' }, { store: home });
  t.is(await cred.accessToken(), grant.access_token);
  const r = await runCli(['refresh', 'svc'], { env });
  t.is(r.code, 0, r.stderr);
  const token = await cred.accessToken();
  t.not(token, grant.access_token);
  t.true(sandbox.isAccessTokenValid(token));
  t.is(refreshes(sandbox).length, 1, 'only the CLI refreshed');
});

test('refresh({ rejected }) takes the token another process already refreshed instead of refreshing again', async (t) => {
  const { sandbox, grant, home, env } = await storeSetup(t);
  const cred = await openCredential({ name: 'svc' }, { store: home });
  const old = await cred.accessToken();
  t.is(old, grant.access_token);
  t.is((await runCli(['refresh', 'svc'], { env })).code, 0);
  const token = await cred.refresh({ rejected: old });
  t.not(token, old);
  t.true(sandbox.isAccessTokenValid(token));
  t.is(refreshes(sandbox).length, 1);
});

test('concurrent refresh({ rejected }) calls for the same token refresh once', async (t) => {
  const { sandbox, grant, home } = await storeSetup(t);
  const cred = await openCredential({ name: 'svc' }, { store: home });
  const tokens = await Promise.all(Array.from({ length: 8 }, () => cred.refresh({ rejected: grant.access_token })));
  t.is(new Set(tokens).size, 1);
  t.is(refreshes(sandbox).length, 1);
  t.is(await cred.accessToken(), tokens[0] as string);
});

test('errors are HandoffErrors with the CLI codes: unknown name, dead grant', async (t) => {
  const { home } = await storeSetup(t);
  const missing = await t.throwsAsync(openCredential({ name: 'nope' }, { store: home }));
  t.true(isHandoffError(missing, CODES.NOT_FOUND));
  t.is((missing as HandoffError).exitCode, EXIT.ERROR);

  const sandbox = await sandboxFor(t);
  const { settings } = await grantSettings(sandbox, { expired: true, name: 'dead' });
  settings.token.refresh_token = 'not-a-refresh-token';
  await storeWith(join(home, '..', 'store2'), settings);
  const cred = await openCredential({ name: 'dead' }, { store: join(home, '..', 'store2') });
  const e = await t.throwsAsync(cred.accessToken());
  t.true(e instanceof HandoffError);
  t.is((e as HandoffError).code, CODES.REAUTH_REQUIRED);
  t.is((e as HandoffError).exitCode, EXIT.REAUTH);
  t.is((await cred.status()).state, 'reauthorization_required');
});

test('status() reports like `status --json` and never holds a token; close() ends the credential', async (t) => {
  const { grant, home } = await storeSetup(t);
  const cred = await openCredential({ name: 'svc' }, { store: home });
  const s = await cred.status();
  t.is(s.name, 'svc');
  t.is(s.state, 'ok');
  t.true(s.has_refresh_token);
  t.false(JSON.stringify(s).includes(grant.access_token));
  await cred.close();
  await t.throwsAsync(cred.accessToken(), { instanceOf: HandoffError });
});

test('a settings file opened with a key is refreshed in place, armored as it was, and the next opener sees the result', async (t) => {
  const sandbox = await sandboxFor(t);
  const { grant, settings } = await grantSettings(sandbox, { expired: true });
  const key = generateKeyPair();
  const dir = await tempDir(t);
  const file = join(dir, 'svc.txt');
  await writeFile(file, await sealArmored(settings, [x25519Recipient(key.publicKey)]), { mode: 0o600 });
  const cred = await openCredential({ file }, { key: key.secretKey, env: {} });
  const token = await cred.accessToken();
  t.true(sandbox.isAccessTokenValid(token));
  const text = await readFile(file, 'utf8');
  t.regex(text, /^-----BEGIN /);
  const stored = await openArmoredWithKey(text, key.secretKey);
  t.is(stored.token.access_token, token);
  t.not(stored.token.refresh_token, grant.refresh_token);
  const second = await openCredential({ file }, { env: { OAUTH_HANDOFF_KEY: key.secretKey } });
  t.is(await second.accessToken(), token);
  t.is(refreshes(sandbox).length, 1);
});

const indexUrl = pathToFileURL(fileURLToPath(new URL('../../src/index.js', import.meta.url))).href;

test('importing the library runs nothing and loads neither axios, libsodium, yargs nor proper-lockfile', async (t) => {
  const hooks = `export async function resolve(specifier, context, next) {
    if (/^(axios|libsodium-wrappers-sumo|yargs|proper-lockfile)(\\/|$)/.test(specifier)) throw new Error('HEAVY ' + specifier);
    return next(specifier, context);
  }`;
  const register = `import { register } from 'node:module'; register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hooks)}));`;
  const main = `const m = await import(${JSON.stringify(indexUrl)}); console.log(Object.keys(m).sort().join(','), 'default' in m);`;
  const { stdout, stderr } = await promisify(execFile)(
    process.execPath,
    ['--no-warnings', '--import', `data:text/javascript,${encodeURIComponent(register)}`, '--input-type=module', '-e', main],
    { timeout: 20_000, env: { PATH: process.env.PATH } },
  );
  t.is(stderr, '');
  t.is(stdout.trim(), 'CODES,DEFAULT_MIN_VALID_SECONDS,EXIT,HandoffError,attachTo,isHandoffError,openCredential false');
});
