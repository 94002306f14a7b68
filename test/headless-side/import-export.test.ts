import test from 'ava';
import type { ExecutionContext } from 'ava';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { armor, KDF_PRESETS, passphraseRecipient, seal, x25519Recipient } from '../../src/crypto/index.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { encodeSettings } from '../../src/settings-file/index.js';
import { cleanEnv, runCli, tempDir } from '../helpers/cli.js';
import { settingsFrom } from '../helpers/fixtures.js';

async function server(t: ExecutionContext) {
  const base = await tempDir(t);
  const home = `${base}/store`;
  const env = cleanEnv(base, { OAUTH_HANDOFF_HOME: home });
  const kg = await runCli(['keygen'], { env });
  t.is(kg.code, 0, kg.stderr);
  const publicKey = kg.stdout.trim();
  t.regex(publicKey, /^ohpub1[a-z0-9]+$/);
  return { base, home, env, publicKey };
}

async function grantSettings(t: ExecutionContext, name = 'redmine-prod') {
  const sandbox = await startSandbox({ profile: 'generic' });
  t.teardown(() => sandbox.close());
  const grant = await sandbox.mintGrant();
  return { sandbox, grant, settings: settingsFrom(sandbox, grant, { name }) };
}

test('a file sealed to the server key imports, yields its token, and lands 0600 in a 0700 store', async (t) => {
  const srv = await server(t);
  const { grant, settings } = await grantSettings(t);
  const file = `${srv.base}/handoff.ohs`;
  await writeFile(file, await seal(encodeSettings(settings), [x25519Recipient(srv.publicKey)]));
  const r = await runCli(['import', file], { env: srv.env });
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, '', 'stdout stays for machine output');
  t.regex(r.stderr, /redmine-prod/);
  t.false(r.stdout.includes(grant.access_token) || r.stderr.includes(grant.access_token), 'import never prints a token');
  const tok = await runCli(['token', 'redmine-prod'], { env: srv.env });
  t.is(tok.stdout, `${grant.access_token}\n`);
  t.is((await stat(srv.home)).mode & 0o777, 0o700);
  t.is((await stat(`${srv.home}/credentials`)).mode & 0o777, 0o700);
  t.is((await stat(`${srv.home}/key.txt`)).mode & 0o777, 0o600);
  t.is((await stat(`${srv.home}/credentials/redmine-prod.ohs`)).mode & 0o777, 0o600);
  const again = await runCli(['import', file], { env: srv.env });
  t.is(again.code, 1, 'refuses to overwrite without --force');
  t.regex(again.stderr, /already exists/);
  t.is((await runCli(['import', file, '--force', '--name', 'other'], { env: srv.env })).code, 0);
});

test('the armored block pasted on stdin imports too', async (t) => {
  const srv = await server(t);
  const { grant, settings } = await grantSettings(t, 'pasted');
  const block = armor(await seal(encodeSettings(settings), [x25519Recipient(srv.publicKey)]));
  const r = await runCli(['import', '-'], { env: srv.env, input: `\n  ${block}\n` });
  t.is(r.code, 0, r.stderr);
  t.is((await runCli(['token', 'pasted'], { env: srv.env })).stdout.trim(), grant.access_token);
});

test('a passphrase file opens with OAUTH_HANDOFF_PASSPHRASE or --passphrase-file; a wrong one exits 4', async (t) => {
  const srv = await server(t);
  const { settings } = await grantSettings(t, 'pp');
  const file = `${srv.base}/pp.ohs`;
  await writeFile(file, await seal(encodeSettings(settings), [passphraseRecipient('correct horse battery', KDF_PRESETS.interactive)]));
  const wrong = await runCli(['import', file], { env: { ...srv.env, OAUTH_HANDOFF_PASSPHRASE: 'nope' } });
  t.is(wrong.code, 4, wrong.stderr);
  t.false(wrong.stderr.includes('nope'));
  const noTty = await runCli(['import', file], { env: srv.env });
  t.is(noTty.code, 2, 'no terminal and no passphrase source is a usage error');
  t.regex(noTty.stderr, /--passphrase-file/);
  await writeFile(`${srv.base}/pass.txt`, 'correct horse battery\n');
  const ok = await runCli(['import', file, '--passphrase-file', `${srv.base}/pass.txt`], { env: srv.env });
  t.is(ok.code, 0, ok.stderr);
  // at rest it is re-sealed to the machine key: the daemon never needs the passphrase
  const insp = await runCli(['inspect', `${srv.home}/credentials/pp.ohs`, '--json'], { env: srv.env });
  const header = JSON.parse(insp.stdout);
  t.deepEqual(header.recipients.map((r: { type: string }) => r.type), ['X25519']);
});

test('a file sealed to another machine exits 4 and names the keys it is sealed to', async (t) => {
  const srv = await server(t);
  const other = await server(t);
  const { settings } = await grantSettings(t);
  const file = `${srv.base}/x.ohs`;
  await writeFile(file, await seal(encodeSettings(settings), [x25519Recipient(other.publicKey)]));
  const r = await runCli(['import', file], { env: srv.env });
  t.is(r.code, 4);
  t.regex(r.stderr, /not sealed to this machine's key/);
});

test('flipped bytes and truncations of an imported file exit 4, never a crash or output', async (t) => {
  const srv = await server(t);
  const { settings } = await grantSettings(t);
  const good = await seal(encodeSettings(settings), [x25519Recipient(srv.publicKey)]);
  const file = `${srv.base}/bad.ohs`;
  // a sample across the header and the payload (every offset is covered at the API level in test/crypto)
  const offsets = [0, 5, 20, 40, 80, Math.floor(good.length / 2), good.length - 17, good.length - 1];
  for (const at of offsets) {
    const bad = Uint8Array.from(good);
    bad[at] = (bad[at] as number) ^ 0x01;
    await writeFile(file, bad);
    const r = await runCli(['import', file, '--force'], { env: srv.env });
    t.is(r.code, 4, `flip at ${at}: ${r.stderr}`);
    t.is(r.stdout, '');
  }
  await writeFile(file, good.subarray(0, good.length - 1));
  t.is((await runCli(['import', file], { env: srv.env })).code, 4);
});

test('a key file readable by group or others is refused with a clear message', async (t) => {
  const srv = await server(t);
  await chmod(`${srv.home}/key.txt`, 0o644);
  const r = await runCli(['status'], { env: srv.env });
  t.is(r.code, 1);
  t.regex(r.stderr, /key file .* readable by group or others \(mode 0644\)/);
  t.regex(r.stderr, /chmod 600/);
});

test('keygen refuses to replace a key without --force; --show prints it again', async (t) => {
  const srv = await server(t);
  const again = await runCli(['keygen'], { env: srv.env });
  t.is(again.code, 1);
  t.regex(again.stderr, /already exists/);
  t.regex(again.stderr, /keygen --show/);
  const show = await runCli(['keygen', '--show'], { env: srv.env });
  t.is(show.stdout.trim(), srv.publicKey);
  const before = await readFile(`${srv.home}/key.txt`, 'utf8');
  t.is((await runCli(['keygen', '--force'], { env: srv.env })).code, 0);
  t.not(await readFile(`${srv.home}/key.txt`, 'utf8'), before);
});

test('export moves a credential to another machine; forget removes it', async (t) => {
  const a = await server(t);
  const b = await server(t);
  const { grant, settings } = await grantSettings(t, 'moving');
  const file = `${a.base}/in.ohs`;
  await writeFile(file, await seal(encodeSettings(settings), [x25519Recipient(a.publicKey)]));
  t.is((await runCli(['import', file], { env: a.env })).code, 0);
  const ex = await runCli(['export', 'moving', '--to', b.publicKey], { env: a.env });
  t.is(ex.code, 0, ex.stderr);
  t.regex(ex.stdout, /^-----BEGIN OAUTH-HANDOFF SETTINGS-----\n/);
  t.regex(ex.stderr, /forget moving/);
  const im = await runCli(['import', '-'], { env: b.env, input: ex.stdout });
  t.is(im.code, 0, im.stderr);
  t.is((await runCli(['token', 'moving'], { env: b.env })).stdout.trim(), grant.access_token);
  const f = await runCli(['forget', 'moving'], { env: a.env });
  t.is(f.code, 0, f.stderr);
  const gone = await runCli(['token', 'moving'], { env: a.env });
  t.is(gone.code, 1);
  t.regex(gone.stderr, /no credential named "moving"/);
});

test('forget --revoke revokes the grant at the provider (RFC 7009)', async (t) => {
  const srv = await server(t);
  const { sandbox, settings } = await grantSettings(t, 'rev');
  const file = `${srv.base}/in.ohs`;
  await writeFile(file, await seal(encodeSettings(settings), [x25519Recipient(srv.publicKey)]));
  t.is((await runCli(['import', file], { env: srv.env })).code, 0);
  const r = await runCli(['forget', 'rev', '--revoke'], { env: srv.env });
  t.is(r.code, 0, r.stderr);
  t.true(sandbox.log().some((e) => e.path.includes('revoke') && (e as { status?: number }).status === 200));
});

test('unknown commands and missing arguments exit 2', async (t) => {
  const r = await runCli(['frobnicate']);
  t.is(r.code, 2);
  const r2 = await runCli(['token']);
  t.is(r2.code, 2);
});
