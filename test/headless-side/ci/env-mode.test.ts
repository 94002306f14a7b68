import test from 'ava';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dearmor, readHeader, open, passphraseIdentity, generateKeyPair, x25519Recipient } from '../../../src/crypto/index.js';
import { refreshTokenId } from '../../../src/sandbox/index.js';
import { decodeSettings } from '../../../src/settings-file/index.js';
import { runCli } from '../../helpers/cli.js';
import { ciJob, ciSecrets, grantSettings, openArmoredWithKey, refreshes, replays, runMerged, sandboxFor, sealArmored, sealedToPassphrase } from './helpers.js';

async function listAll(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.map(String);
}

test('a CI job with the settings and key in env prints the token and leaves nothing on disk', async (t) => {
  const sandbox = await sandboxFor(t);
  const { grant, settings } = await grantSettings(sandbox);
  const s = await ciSecrets(settings);
  const job = await ciJob(t, { OAUTH_HANDOFF_SETTINGS: s.armored, OAUTH_HANDOFF_KEY: `${s.key}\n` });
  const r = await runCli(['token', 'svc', '--from-env'], { env: job.env, cwd: job.home });
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, `${grant.access_token}\n`);
  t.is(r.stderr, '');
  t.deepEqual(await listAll(job.home), [], 'no config dir, no key, no credential written');
  t.is(refreshes(sandbox).length, 0);
});

test('a refresh that rotates the refresh token is written back; the next job uses the new one and never the old', async (t) => {
  const sandbox = await sandboxFor(t);
  const { grant, settings } = await grantSettings(sandbox, { expired: true });
  const s = await ciSecrets(settings);
  const job1 = await ciJob(t, { OAUTH_HANDOFF_SETTINGS: s.armored, OAUTH_HANDOFF_KEY: s.key });
  const back = join(job1.dir, 'settings.txt');
  const r1 = await runCli(['token', 'svc', '--from-env', '--write-back', back], { env: job1.env });
  t.is(r1.code, 0, r1.stderr);
  const token1 = r1.stdout.trim();
  t.true(sandbox.isAccessTokenValid(token1));
  t.not(token1, grant.access_token);
  t.false(r1.stderr.includes('lost'), 'no rotation warning with --write-back');
  t.is((await stat(back)).mode & 0o777, 0o600);

  const written = await readFile(back, 'utf8');
  t.regex(written, /^-----BEGIN /);
  const reopened = await openArmoredWithKey(written, s.key);
  t.not(reopened.token.refresh_token, grant.refresh_token);
  t.is(reopened.token.access_token, token1);
  t.is(reopened.health.refresh_started_at, undefined);

  // the next job starts from the written-back secret, an hour later (aged here, so that it is due): it refreshes again
  const hourLater = { ...reopened, token: { ...reopened.token, obtained_at: new Date(Date.now() - 3590_000).toISOString(), expires_at: new Date(Date.now() + 10_000).toISOString() } };
  const job2 = await ciJob(t, { OAUTH_HANDOFF_SETTINGS: await sealArmored(hourLater, [x25519Recipient(s.publicKey)]), OAUTH_HANDOFF_KEY: s.key });
  const back2 = join(job2.dir, 'settings.txt');
  const r2 = await runCli(['token', 'svc', '--from-env', '--write-back', back2, '--min-valid', '86400'], { env: job2.env });
  t.is(r2.code, 0, r2.stderr);
  t.true(sandbox.isAccessTokenValid(r2.stdout.trim()));

  const used = refreshes(sandbox).map((e) => e.refreshTokenId);
  t.deepEqual(used, [refreshTokenId(grant.refresh_token as string), refreshTokenId(reopened.token.refresh_token as string)]);
  t.is(replays(sandbox).length, 0, 'the old refresh token was never presented again');
  t.is(refreshes(sandbox).filter((e) => e.status !== 200).length, 0);
});

test('without --write-back, a rotated refresh token is announced on stderr as lost and nothing is written', async (t) => {
  const sandbox = await sandboxFor(t);
  const { settings } = await grantSettings(sandbox, { expired: true });
  const s = await ciSecrets(settings);
  const job = await ciJob(t, { OAUTH_HANDOFF_SETTINGS: s.armored, OAUTH_HANDOFF_KEY: s.key });
  const r = await runCli(['token', 'svc', '--from-env'], { env: job.env, cwd: job.dir });
  t.is(r.code, 0, r.stderr);
  t.true(sandbox.isAccessTokenValid(r.stdout.trim()));
  t.regex(r.stderr, /warning: .*replaced the refresh token.*--write-back/);
  t.false(r.stderr.includes(r.stdout.trim()), 'the warning does not show the token');
  t.deepEqual(await listAll(job.home), []);
  t.deepEqual((await listAll(job.dir)).sort(), ['home']);
});

test('a passphrase-sealed secret opens with OAUTH_HANDOFF_PASSPHRASE and is written back sealed to the same passphrase', async (t) => {
  const sandbox = await sandboxFor(t);
  const { grant, settings } = await grantSettings(sandbox, { expired: true });
  const job = await ciJob(t, { OAUTH_HANDOFF_SETTINGS: await sealedToPassphrase(settings, 'correct horse'), OAUTH_HANDOFF_PASSPHRASE: 'correct horse' });
  const back = join(job.dir, 'back.txt');
  const r = await runCli(['token', 'svc', '--from-env', '--write-back', back], { env: job.env });
  t.is(r.code, 0, r.stderr);
  const sealed = dearmor(await readFile(back, 'utf8'));
  const header = readHeader(sealed);
  t.deepEqual(
    header.recipients.map((x) => x.type),
    ['argon2id'],
  );
  const reopened = decodeSettings(await open(sealed, [passphraseIdentity('correct horse')]));
  t.is(reopened.token.access_token, r.stdout.trim());
  t.not(reopened.token.refresh_token, grant.refresh_token);
});

test('status --from-env describes the credential without any token', async (t) => {
  const sandbox = await sandboxFor(t);
  const { grant, settings } = await grantSettings(sandbox);
  const s = await ciSecrets(settings);
  const job = await ciJob(t, { OAUTH_HANDOFF_SETTINGS: s.armored, OAUTH_HANDOFF_KEY: s.key });
  const r = await runCli(['status', '--from-env', '--json'], { env: job.env });
  t.is(r.code, 0, r.stderr);
  const list = JSON.parse(r.stdout);
  t.is(list.length, 1);
  t.is(list[0].name, 'svc');
  t.is(list[0].state, 'ok');
  t.regex(list[0].stored_in, /OAUTH_HANDOFF_SETTINGS/);
  t.false(r.stdout.includes(grant.access_token));
  t.false(r.stdout.includes(grant.refresh_token as string));
});

test('a wrong key exits 4, missing settings exit 2, another name is not found; none prints a secret', async (t) => {
  const sandbox = await sandboxFor(t);
  const { settings } = await grantSettings(sandbox);
  const s = await ciSecrets(settings);
  const other = generateKeyPair();
  const wrong = await ciJob(t, { OAUTH_HANDOFF_SETTINGS: s.armored, OAUTH_HANDOFF_KEY: other.secretKey });
  const r1 = await runCli(['token', 'svc', '--from-env'], { env: wrong.env });
  t.is(r1.code, 4, r1.stderr);
  t.is(r1.stdout, '');
  t.false(r1.stderr.includes(other.secretKey));
  t.regex(r1.stderr, /check that OAUTH_HANDOFF_KEY/, 'a hint about the CI secrets, not about this machine\'s key');
  t.false(r1.stderr.includes('oauth-handoff keygen'));

  const missing = await ciJob(t, { OAUTH_HANDOFF_KEY: s.key });
  const r2 = await runCli(['token', 'svc', '--from-env'], { env: missing.env });
  t.is(r2.code, 2, r2.stderr);
  t.regex(r2.stderr, /OAUTH_HANDOFF_SETTINGS is not set/);

  const good = await ciJob(t, { OAUTH_HANDOFF_SETTINGS: s.armored, OAUTH_HANDOFF_KEY: s.key });
  const r3 = await runCli(['token', 'other', '--from-env'], { env: good.env });
  t.is(r3.code, 1, r3.stderr);
  t.regex(r3.stderr, /holds the credential "svc", not "other"/);

  const r4 = await runCli(['token', 'svc', '--write-back', join(good.dir, 'x')], { env: good.env });
  t.is(r4.code, 2, 'write-back needs --from-env');
});

test('GitHub Actions: ::add-mask:: comes before the token in the log, and --github-output writes it to $GITHUB_OUTPUT', async (t) => {
  const sandbox = await sandboxFor(t);
  const { settings } = await grantSettings(sandbox, { expired: true });
  const s = await ciSecrets(settings);
  const job = await ciJob(t, { OAUTH_HANDOFF_SETTINGS: s.armored, OAUTH_HANDOFF_KEY: s.key, GITHUB_ACTIONS: 'true' });
  const outputs = join(job.dir, 'github_output');
  await writeFile(outputs, 'earlier=1\n');
  job.env.GITHUB_OUTPUT = outputs;
  const r = await runMerged(['token', 'svc', '--from-env', '--github-output', 'api_token'], job.env, join(job.dir, 'log'));
  t.is(r.code, 0, r.log);
  const lines = r.log.split('\n');
  const masks = lines.filter((l) => l.startsWith('::add-mask::')).map((l) => l.slice('::add-mask::'.length));
  const tokenLine = lines.findIndex((l) => !l.startsWith('::') && !l.startsWith('oauth-handoff:') && l !== '');
  t.true(tokenLine >= 0, r.log);
  const token = lines[tokenLine] as string;
  t.true(sandbox.isAccessTokenValid(token));
  const maskLine = lines.indexOf(`::add-mask::${token}`);
  t.true(maskLine >= 0 && maskLine < tokenLine, 'masked before printed');
  t.true(masks.length >= 2, 'the refresh tokens are masked too');
  t.is(await readFile(outputs, 'utf8'), `earlier=1\napi_token=${token}\n`);
});

test('outside GitHub Actions no mask lines are printed, and --no-github-actions turns them off inside', async (t) => {
  const sandbox = await sandboxFor(t);
  const { grant, settings } = await grantSettings(sandbox);
  const s = await ciSecrets(settings);
  const job = await ciJob(t, { OAUTH_HANDOFF_SETTINGS: s.armored, OAUTH_HANDOFF_KEY: s.key, GITHUB_ACTIONS: 'true' });
  const off = await runCli(['token', 'svc', '--from-env', '--no-github-actions'], { env: job.env });
  t.is(off.stderr, '');
  t.is(off.stdout, `${grant.access_token}\n`);
  const on = await runCli(['token', 'svc', '--from-env'], { env: job.env });
  t.regex(on.stderr, /^::add-mask::/m);
  t.is(on.stdout, `${grant.access_token}\n`, 'stdout stays only the token, so $(…) works');
});

test('a secret sealed to the CI key and another machine is written back to the CI key only, and says so in status', async (t) => {
  const sandbox = await sandboxFor(t);
  const { settings } = await grantSettings(sandbox, { expired: true });
  const ciKey = generateKeyPair();
  const admin = generateKeyPair();
  const armored = await sealArmored(settings, [x25519Recipient(ciKey.publicKey), x25519Recipient(admin.publicKey)]);
  const job = await ciJob(t, { OAUTH_HANDOFF_SETTINGS: armored, OAUTH_HANDOFF_KEY: ciKey.secretKey });
  const back = join(job.dir, 'back.txt');
  const r = await runCli(['token', 'svc', '--from-env', '--write-back', back], { env: job.env });
  t.is(r.code, 0, r.stderr);
  t.is(readHeader(dearmor(await readFile(back, 'utf8'))).recipients.length, 1);
  t.truthy(await openArmoredWithKey(await readFile(back, 'utf8'), ciKey.secretKey));
  const status = await runCli(['status', 'svc', '--from-env', '--json'], { env: job.env });
  t.regex(JSON.parse(status.stdout).stored_in, /also sealed to 1 recipient that a write-back cannot include/);
});

test('a write-back file that cannot be written fails the job before the provider is asked, so nothing is rotated', async (t) => {
  const sandbox = await sandboxFor(t);
  const { settings } = await grantSettings(sandbox, { expired: true });
  const s = await ciSecrets(settings);
  const job = await ciJob(t, { OAUTH_HANDOFF_SETTINGS: s.armored, OAUTH_HANDOFF_KEY: s.key });
  const r = await runCli(['token', 'svc', '--from-env', '--write-back', join(job.dir, 'missing-dir', 'settings.txt')], { env: job.env });
  t.is(r.code, 7, 'a store failure (the write-back file is where this credential is kept)');
  t.is(r.stdout, '');
  t.regex(r.stderr, /cannot write the updated settings to .*missing-dir/);
  t.false(r.stderr.includes('looks like a bug'));
  t.is(refreshes(sandbox).length, 0, 'the refresh marker is written (back) before the request, so the failure comes first');
});
