/**
 * The single executable (npm run build:sea → dist/sea/oauth-handoff) on a host without Node.js:
 * every command runs in a child whose PATH has no `node`, against the sandbox (run by this test's
 * own Node.js). The executable is built once (scripts/build-sea.mjs does nothing when it is up to
 * date); the first build fetches the Node.js binary from the npm registry.
 */
import test from 'ava';
import type { ExecutionContext } from 'ava';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { passphraseRecipient, seal, x25519Recipient } from '../../src/crypto/index.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { encodeSettings } from '../../src/settings-file/index.js';
import { cleanEnv, collect, ROOT, tempDir } from '../helpers/cli.js';
import type { CliResult } from '../helpers/cli.js';
import { settingsFrom } from '../helpers/fixtures.js';
import { makeHost, REDIS_SERVER, seedFleet, startRedis } from '../fleet-store/helpers.js';

const SEA = join(ROOT, 'dist/sea/oauth-handoff');
const supported = process.platform === 'linux' && process.arch === 'x64';

let built: Promise<void> | undefined;
/** builds the executable once for this file (a no-op when it is up to date) */
function buildSea(): Promise<void> {
  built ??= promisify(execFile)(process.execPath, [join(ROOT, 'scripts/build-sea.mjs')], { cwd: ROOT, timeout: 9 * 60_000, maxBuffer: 16 << 20 }).then(() => undefined);
  return built;
}

/** an environment whose PATH holds no node: an empty directory only */
async function noNodeEnv(t: ExecutionContext, base: string, extra: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> {
  const bin = join(base, 'bin');
  await mkdir(bin, { recursive: true });
  const env = { ...cleanEnv(base, extra), PATH: bin };
  t.false(existsSync(join(bin, 'node')));
  return env;
}

function runSea(args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<CliResult> {
  const child = spawn(SEA, args, { env, cwd: env.HOME, stdio: ['pipe', 'pipe', 'pipe'] });
  return collect(child, { timeoutMs: 60_000, ...(input === undefined ? {} : { input }) });
}

const refreshes = (sandbox: { log(): readonly { grantType?: string }[] }): number => sandbox.log().filter((e) => e.grantType === 'refresh_token').length;

(supported ? test.serial : test.skip)('without node on PATH: keygen, import (key and passphrase), token, refresh, status, daemon', async (t) => {
  t.timeout(10 * 60_000);
  await buildSea();
  const sandbox = await startSandbox({ profile: 'generic', accessTokenTtl: 3600 });
  t.teardown(() => sandbox.close());
  const base = await tempDir(t, 'oh-sea-');
  const home = join(base, 'store');
  const env = await noNodeEnv(t, base, { OAUTH_HANDOFF_HOME: home });

  const keygen = await runSea(['keygen'], env);
  t.is(keygen.code, 0, keygen.stderr);
  const publicKey = keygen.stdout.trim();
  t.regex(publicKey, /^ohpub1/);

  // a file sealed to the executable's machine key
  const grant = await sandbox.mintGrant();
  const file = join(base, 'svc.ohs');
  await writeFile(file, await seal(encodeSettings(settingsFrom(sandbox, grant, { name: 'svc' })), [x25519Recipient(publicKey)]));
  const imported = await runSea(['import', file], env);
  t.is(imported.code, 0, imported.stderr);

  const token = await runSea(['token', 'svc'], env);
  t.is(token.code, 0, token.stderr);
  t.is(token.stdout, `${grant.access_token}\n`);
  t.is(refreshes(sandbox), 0);

  const refreshed = await runSea(['refresh', 'svc', '--json'], env);
  t.is(refreshed.code, 0, refreshed.stderr);
  t.true(JSON.parse(refreshed.stdout).rotated);
  t.is(refreshes(sandbox), 1);
  const after = await runSea(['token', 'svc'], env);
  t.is(after.code, 0, after.stderr);
  t.not(after.stdout.trim(), grant.access_token);
  t.true(sandbox.isAccessTokenValid(after.stdout.trim()));

  const status = await runSea(['status', 'svc', '--json'], env);
  t.is(status.code, 0, status.stderr);
  const s = JSON.parse(status.stdout);
  t.is(s.state, 'ok');
  t.false(status.stdout.includes(after.stdout.trim()), 'status never prints a token');

  // the Argon2id path: libsodium's WebAssembly inside the executable
  const pwGrant = await sandbox.mintGrant();
  const pwFile = join(base, 'pw.ohs');
  await writeFile(pwFile, await seal(encodeSettings(settingsFrom(sandbox, pwGrant, { name: 'pw' })), [passphraseRecipient('a passphrase', { opsLimit: 1, memLimit: 8192 })]));
  const pwImport = await runSea(['import', pwFile], { ...env, OAUTH_HANDOFF_PASSPHRASE: 'a passphrase' });
  t.is(pwImport.code, 0, pwImport.stderr);
  t.is((await runSea(['token', 'pw'], env)).stdout, `${pwGrant.access_token}\n`);
  const wrong = await runSea(['import', '--force', pwFile], { ...env, OAUTH_HANDOFF_PASSPHRASE: 'not it' });
  t.not(wrong.code, 0);

  // the daemon: a token within its refresh margin is refreshed, then SIGTERM stops it
  const dueGrant = await sandbox.mintGrant();
  const dueFile = join(base, 'due.ohs');
  const due = settingsFrom(sandbox, { ...dueGrant, expires_in: 30 }, { name: 'due' });
  await writeFile(dueFile, await seal(encodeSettings(due), [x25519Recipient(publicKey)]));
  t.is((await runSea(['import', dueFile], env)).code, 0);
  const before = refreshes(sandbox);
  const daemon = spawn(SEA, ['daemon', 'due'], { env, cwd: base, stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => {
    if (daemon.exitCode === null && daemon.signalCode === null) daemon.kill('SIGKILL');
  });
  const done = collect(daemon, { timeoutMs: 120_000 });
  for (let i = 0; i < 600 && refreshes(sandbox) === before && daemon.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
  t.is(refreshes(sandbox), before + 1, 'the daemon refreshed the due credential');
  daemon.kill('SIGTERM');
  const d = await done;
  t.is(d.code, 0, d.stderr);
});

(supported && existsSync(REDIS_SERVER) ? test.serial : test.skip)('without node on PATH: token from a Redis fleet store (ioredis inside the executable)', async (t) => {
  t.timeout(10 * 60_000);
  await buildSea();
  const sandbox = await startSandbox({ profile: 'generic', accessTokenTtl: 3600 });
  t.teardown(() => sandbox.close());
  const redis = await startRedis(t);
  const host = await makeHost(t, redis.url, 'sea');
  const grant = await sandbox.mintGrant();
  await seedFleet([host], settingsFrom(sandbox, grant, { name: 'svc' }));
  const env = await noNodeEnv(t, await tempDir(t, 'oh-sea-fleet-'), { OAUTH_HANDOFF_HOME: host.home, OAUTH_HANDOFF_STORE: redis.url });
  const r = await runSea(['token', 'svc'], env);
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, `${grant.access_token}\n`);
  const status = await runSea(['status', '--json'], env);
  t.is(status.code, 0, status.stderr);
});

const hasDpkgDeb = ['/usr/bin/dpkg-deb', '/bin/dpkg-deb'].some((p) => existsSync(p));

/** dpkg, waiting out another dpkg or apt-get holding its lock (bounded) */
async function dpkg(args: string[]): Promise<string> {
  for (let i = 0; ; i++) {
    try {
      return (await promisify(execFile)('dpkg', args, { timeout: 5 * 60_000 })).stdout;
    } catch (e) {
      if (i < 30 && /lock/i.test(String((e as { stderr?: string }).stderr))) await new Promise((r) => setTimeout(r, 2000));
      else throw e;
    }
  }
}

(supported && hasDpkgDeb ? test.serial : test.skip)('the Debian package holds the executable and the unit, and dpkg -i installs a working oauth-handoff', async (t) => {
  t.timeout(10 * 60_000);
  await buildSea();
  const version = (JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  await promisify(execFile)(process.execPath, [join(ROOT, 'scripts/build-deb.mjs')], { cwd: ROOT, timeout: 9 * 60_000 });
  const deb = join(ROOT, `dist/oauth-handoff_${version}_amd64.deb`);
  const contents = (await promisify(execFile)('dpkg-deb', ['--contents', deb])).stdout;
  t.regex(contents, /-rwxr-xr-x root\/root\s+\d+ .* \.\/usr\/bin\/oauth-handoff\n/);
  t.regex(contents, /\.\/lib\/systemd\/system\/oauth-handoff\.service\n/);
  t.regex((await promisify(execFile)('dpkg-deb', ['--field', deb, 'Package', 'Version', 'Architecture'])).stdout, new RegExp(`Package: oauth-handoff\\nVersion: ${version.replace(/\./g, '\\.')}\\nArchitecture: amd64`));

  if (process.getuid?.() !== 0) {
    t.log('dpkg -i needs root: the package contents were checked, not installed');
    return;
  }
  const owned = await dpkg(['-S', '/usr/bin/oauth-handoff']).then(
    () => true,
    () => false,
  );
  if (existsSync('/usr/bin/oauth-handoff') && !owned) {
    t.log('/usr/bin/oauth-handoff exists and is not from this package: not installing over it');
    return;
  }
  t.teardown(() => dpkg(['--purge', 'oauth-handoff']).then(() => undefined, () => undefined));
  await dpkg(['-i', deb]);
  t.regex(await dpkg(['-s', 'oauth-handoff']), /Status: install ok installed/);
  const installed = await promisify(execFile)('/usr/bin/oauth-handoff', ['--version'], { env: { PATH: '/nonexistent', HOME: '/nonexistent' } });
  t.is(installed.stdout.trim(), version);
  t.true(existsSync('/lib/systemd/system/oauth-handoff.service'));
  const st = await stat('/var/lib/oauth-handoff');
  t.is(st.mode & 0o777, 0o700);
  await dpkg(['--purge', 'oauth-handoff']);
  t.false(existsSync('/usr/bin/oauth-handoff'));
});
