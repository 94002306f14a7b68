/**
 * The environment goes wrong (missing or directory paths, a read-only store,
 * a damaged stored file, an unreadable credential): every message names what
 * was wrong and one next step that fits it, never a raw Node error, and the
 * exit code is the README's.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { chmod, chown, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { seal, x25519Recipient } from '../../src/crypto/index.js';
import { CODES, HandoffError } from '../../src/errors.js';
import { encodeSettings } from '../../src/settings-file/index.js';
import { hintFor } from '../../src/terminal/index.js';
import { ROOT, cleanEnv, runCli, tempDir } from '../helpers/cli.js';
import { settingsFrom, storeWith } from '../helpers/fixtures.js';
import { grantSettings, refreshes, sandboxFor } from './ci/helpers.js';

const RAW = /ENOENT|EISDIR|EACCES|EROFS|looks like a bug|passphrase/;

async function fixture(t: Parameters<typeof tempDir>[0], opts: { expiresIn?: number; ageSeconds?: number } = {}) {
  const dir = await tempDir(t);
  const home = join(dir, 'store');
  const now = Date.now() - (opts.ageSeconds ?? 0) * 1000;
  const s = settingsFrom(
    { endpoints: { token: 'http://127.0.0.1:9/token' }, client: { id: 'c' } },
    { access_token: 'at-ok', token_type: 'Bearer', expires_in: opts.expiresIn ?? 3600, refresh_token: 'rt' },
    { name: 'svc', now },
  );
  const store = await storeWith(home, s);
  return { dir, home, store, settings: s, env: cleanEnv(dir, { OAUTH_HANDOFF_HOME: home }) };
}

test('import of a missing file or a directory: exit 1, the path named, "check the path"', async (t) => {
  const f = await fixture(t);
  for (const [path, what] of [
    [join(f.dir, 'nope.ohs'), /the settings file .*nope\.ohs does not exist/],
    [f.dir, /the settings file .* is a directory, not a file/],
  ] as const) {
    const r = await runCli(['import', path], { env: f.env });
    t.is(r.code, 1, r.stderr);
    t.regex(r.stderr, what);
    t.regex(r.stderr, /check the path/);
    t.notRegex(r.stderr, RAW);
  }
  const pass = await runCli(['import', join(f.dir, 'x.ohs'), '--passphrase-file', join(f.dir, 'missing.txt')], { env: f.env });
  t.is(pass.code, 1, pass.stderr);
});

test('a damaged stored credential: exit 4, named, and the next step is to import it again or forget it (not "check the passphrase")', async (t) => {
  const f = await fixture(t);
  const file = f.store.pathOf('svc');
  const bytes = await readFile(file);
  bytes[bytes.length - 5] = (bytes[bytes.length - 5] as number) ^ 0x01;
  await writeFile(file, bytes);
  for (const args of [['token', 'svc'], ['status', 'svc']]) {
    const r = await runCli(args, { env: f.env });
    t.is(r.code, 4, `${args.join(' ')}: ${r.stderr}`);
    t.regex(r.stdout + r.stderr, /the stored credential "svc" \(.*svc\.ohs\) cannot be opened/);
    if (args[0] === 'token') t.regex(r.stderr, /oauth-handoff import FILE --force.*oauth-handoff forget svc/);
    t.notRegex(r.stdout + r.stderr, RAW);
  }
});

test('status NAME exits with the code of what made it unreadable: 1 for permissions, per the README table', async (t) => {
  const f = await fixture(t);
  await chmod(f.store.pathOf('svc'), 0o644);
  const r = await runCli(['status', 'svc', '--json'], { env: f.env });
  t.is(r.code, 1, r.stderr);
  const j = JSON.parse(r.stdout);
  t.is(j.state, 'unreadable');
  t.is(j.error_code, 'PERMISSIONS');
});

/** run the CLI as the user nobody (the store given to nobody, its credentials directory read-only) */
async function readOnlyStore(t: Parameters<typeof tempDir>[0], opts: { expiresIn?: number; ageSeconds?: number }) {
  const f = await fixture(t, opts);
  for (const p of [f.dir, f.home, join(f.home, 'credentials'), join(f.home, 'key.txt'), f.store.pathOf('svc')]) await chown(p, 65534, 65534);
  await chmod(join(f.home, 'credentials'), 0o500);
  return f;
}

function runAsNobody(args: string[], env: NodeJS.ProcessEnv): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, join(ROOT, 'bin/oauth-handoff.cjs'), ...args], {
    env,
    cwd: '/',
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('a read-only store (EACCES): a still-valid token is served with a warning; an expired one exits 7 naming what could not be written', async (t) => {
  if (process.getuid?.() !== 0) {
    t.pass('needs root to run as another user');
    return;
  }
  // due for a refresh (30 s left, --min-valid 60) but valid
  const due = await readOnlyStore(t, { expiresIn: 3600, ageSeconds: 3600 - 30 });
  const r1 = runAsNobody(['token', 'svc'], due.env);
  t.is(r1.code, 0, r1.stderr);
  t.is(r1.stdout, 'at-ok\n');
  t.regex(r1.stderr, /warning: .*cannot lock .*svc\.ohs\.lock: permission denied/);
  const expired = await readOnlyStore(t, { expiresIn: 60, ageSeconds: 7200 });
  const r2 = runAsNobody(['token', 'svc'], expired.env);
  t.is(r2.code, 7, r2.stderr);
  t.regex(r2.stderr, /cannot lock .*svc\.ohs\.lock: permission denied/);
  t.regex(r2.stderr, /make the store directory writable for this user/);
  t.notRegex(r2.stderr, RAW);
  const forget = runAsNobody(['forget', 'svc'], expired.env);
  t.is(forget.code, 7, forget.stderr);
  t.notRegex(forget.stderr, RAW);
});

test('import --verify does not keep a credential whose verification failed, and the hint does not say --force', async (t) => {
  const sandbox = await sandboxFor(t);
  const { settings } = await grantSettings(sandbox, { name: 'svc' });
  settings.token.refresh_token = 'not-a-refresh-token-the-server-knows';
  const f = await fixture(t);
  const file = join(f.dir, 'dead.ohs');
  await writeFile(file, await seal(encodeSettings({ ...settings, name: 'fresh' }), [x25519Recipient(f.store.publicKey)]));
  const r = await runCli(['import', file, '--verify'], { env: f.env });
  t.is(r.code, 3, r.stderr);
  t.regex(r.stderr, /verification of "fresh" failed, so it was not kept/);
  t.notRegex(r.stderr, /--force/);
  t.is((await runCli(['status', 'fresh'], { env: f.env })).code, 1, 'not in the store');
  t.is(refreshes(sandbox).length, 1);
  // replacing an existing credential: the earlier copy is put back
  await writeFile(file, await seal(encodeSettings(settings), [x25519Recipient(f.store.publicKey)]));
  const r2 = await runCli(['import', file, '--verify', '--force', '--name', 'svc'], { env: f.env });
  t.is(r2.code, 3, r2.stderr);
  t.regex(r2.stderr, /the earlier copy was put back/);
  const kept = await runCli(['token', 'svc'], { env: f.env });
  t.is(kept.stdout, 'at-ok\n', kept.stderr);
});

test('after a rejected authorization code nothing was stored: the hint starts again without --force', (t) => {
  const fresh = hintFor(new HandoffError('the authorization code was rejected (invalid_grant); nothing was stored', { code: CODES.REAUTH_REQUIRED }));
  t.notRegex(fresh ?? '', /--force|import FILE/);
  t.regex(fresh ?? '', /start the authorization again/);
  const stored = hintFor(new HandoffError('credential "svc" needs re-authorization', { code: CODES.REAUTH_REQUIRED, credential: 'svc' }));
  t.regex(stored ?? '', /--force/);
});
