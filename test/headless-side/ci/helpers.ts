import type { ExecutionContext } from 'ava';
import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { armor, generateKeyPair, open, dearmor, passphraseRecipient, seal, x25519Identity, x25519Recipient } from '../../../src/crypto/index.js';
import type { KdfParams, Recipient } from '../../../src/crypto/index.js';
import { startSandbox } from '../../../src/sandbox/index.js';
import type { Sandbox, SandboxProfileId, TokenResponse } from '../../../src/sandbox/index.js';
import { decodeSettings, encodeSettings } from '../../../src/settings-file/index.js';
import type { Settings } from '../../../src/settings-file/index.js';
import { BIN, ROOT, cleanEnv, tempDir } from '../../helpers/cli.js';
import { settingsFrom } from '../../helpers/fixtures.js';

/** the cheapest Argon2id the format allows: tests need the stanza, not the cost */
export const TEST_KDF: KdfParams = { opsLimit: 1, memLimit: 8 * 1024 };

export async function sandboxFor(t: ExecutionContext, profile: SandboxProfileId = 'generic'): Promise<Sandbox> {
  const sandbox = await startSandbox({ profile, accessTokenTtl: 3600, replayRevokesGrant: profile === 'generic' });
  t.teardown(() => sandbox.close());
  return sandbox;
}

export const refreshes = (sandbox: Sandbox) => sandbox.log().filter((e) => e.grantType === 'refresh_token');
export const replays = (sandbox: Sandbox) => sandbox.log().filter((e) => e.replay === true);
export const apiCalls = (sandbox: Sandbox) => sandbox.log().filter((e) => e.path === '/api/me');

/** Settings for a fresh grant; `expired` makes the access token two hours old. */
export async function grantSettings(sandbox: Sandbox, opts: { name?: string; expired?: boolean; accessToken?: string } = {}): Promise<{ grant: TokenResponse; settings: Settings }> {
  const grant = await sandbox.mintGrant();
  const now = opts.expired ? Date.now() - 2 * 3600_000 : Date.now();
  const settings = settingsFrom(sandbox, opts.accessToken ? { ...grant, access_token: opts.accessToken } : grant, { name: opts.name ?? 'svc', now });
  return { grant, settings };
}

export async function sealArmored(settings: Settings, recipients: Recipient[]): Promise<string> {
  return armor(await seal(encodeSettings(settings), recipients));
}

/** A CI job's secrets: the armored settings sealed to a fresh key, and that key. */
export async function ciSecrets(settings: Settings): Promise<{ key: string; publicKey: string; armored: string }> {
  const { publicKey, secretKey } = generateKeyPair();
  return { key: secretKey, publicKey, armored: await sealArmored(settings, [x25519Recipient(publicKey)]) };
}

export async function sealedToPassphrase(settings: Settings, passphrase: string): Promise<string> {
  return sealArmored(settings, [passphraseRecipient(passphrase, TEST_KDF)]);
}

export async function openArmoredWithKey(text: string, key: string): Promise<Settings> {
  return decodeSettings(await open(dearmor(text), [x25519Identity(key)]));
}

/** A runner's clean environment: a fresh empty HOME and nothing but the given secrets. */
export async function ciJob(t: ExecutionContext, secrets: Record<string, string>): Promise<{ home: string; dir: string; env: NodeJS.ProcessEnv }> {
  const dir = await tempDir(t, 'oh-ci-');
  const home = join(dir, 'home');
  const { mkdir } = await import('node:fs/promises');
  await mkdir(home, { mode: 0o700 });
  return { home, dir, env: cleanEnv(home, secrets) };
}

/**
 * Runs the CLI with stdout and stderr on ONE file, so the order in which the
 * two streams were written is the order in the file (what a CI log shows).
 */
export function runMerged(args: string[], env: NodeJS.ProcessEnv, file: string, timeoutMs = 30_000): Promise<{ code: number | null; log: string }> {
  const fd = openSync(file, 'w');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, cwd: ROOT, stdio: ['ignore', fd, fd] });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      closeSync(fd);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      closeSync(fd);
      resolve({ code, log: readFileSync(file, 'utf8') });
    });
  });
}
