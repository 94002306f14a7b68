/**
 * Setting a fleet up with the CLI: members, import into Redis, forget.
 */
import test from 'ava';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fingerprint, seal, x25519Recipient } from '../../src/crypto/index.js';
import { encodeSettings } from '../../src/settings-file/index.js';
import { settingsFrom } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/cli.js';
import { makeHost, runHostCli, startRedis } from './helpers.js';

const FAKE = { endpoints: { token: 'http://127.0.0.1:9/token' }, client: { id: 'client' } };

test('set up a fleet: add members, import into Redis sealed to them all, every member reads it, forget removes it for all', async (t) => {
  const redis = await startRedis(t);
  const [a, b] = await Promise.all([makeHost(t, redis.url, 'host-a'), makeHost(t, redis.url, 'host-b')]);
  // host A starts the fleet: on an empty store it becomes the first member itself
  const added = await runHostCli(t, a, ['fleet', 'add-member', b.publicKey, '--label', 'web-b']);
  t.is(added.code, 0, added.stderr);
  t.regex(added.stderr, /had no members: added this host/);
  const members = JSON.parse((await runHostCli(t, b, ['fleet', 'members', '--json'])).stdout) as { fingerprint: string; label?: string; this_host: boolean }[];
  t.deepEqual(members.map((m) => m.fingerprint).sort(), [fingerprint(a.publicKey), fingerprint(b.publicKey)].sort());
  t.is(members.find((m) => m.this_host)?.label, 'web-b');

  // a transfer file sealed to host A only (as `authorize --to` would make it), imported with an explicit --store
  const dir = await tempDir(t);
  const file = join(dir, 'svc.ohs');
  const s = settingsFrom(FAKE, { access_token: 'at-1', token_type: 'Bearer', expires_in: 3600, refresh_token: 'rt-1' }, { name: 'svc' });
  await writeFile(file, await seal(encodeSettings(s), [x25519Recipient(a.publicKey)]));
  const env = { ...a.env, OAUTH_HANDOFF_STORE: '' };
  const imported = await runHostCli(t, a, ['import', file, '--store', redis.url], { env });
  t.is(imported.code, 0, imported.stderr);
  t.regex(imported.stderr, /imported "svc" .* into the fleet store redis:\/\/127\.0\.0\.1:\d+\/0/);
  const read = await runHostCli(t, b, ['token', 'svc']);
  t.is(read.code, 0, read.stderr);
  t.is(read.stdout, 'at-1\n');
  const again = await runHostCli(t, a, ['import', file, '--store', redis.url], { env });
  t.is(again.code, 1, 'a credential of that name exists: --force is needed');

  const forgot = await runHostCli(t, a, ['forget', 'svc']);
  t.is(forgot.code, 0, forgot.stderr);
  const gone = await runHostCli(t, b, ['token', 'svc']);
  t.is(gone.code, 1, gone.stderr);
  t.regex(gone.stderr, /no credential named "svc" in the fleet store/);
  t.is(await redis.client.exists('oauth-handoff:cred:svc'), 0);
});

test('fleet commands on a directory store, and unsupported store URLs, are usage errors', async (t) => {
  const redis = await startRedis(t);
  const a = await makeHost(t, redis.url, 'host-a');
  const onDir = await runHostCli(t, a, ['fleet', 'members', '--store', a.home]);
  t.is(onDir.code, 2, onDir.stderr);
  t.regex(onDir.stderr, /fleet commands work on a fleet store/);
  const pg = await runHostCli(t, a, ['token', 'svc', '--store', 'postgres://127.0.0.1/db']);
  t.is(pg.code, 2, pg.stderr);
  t.regex(pg.stderr, /postgres:\/\/ are not supported \(redis:\/\/ and rediss:\/\/ are\)/);
  const bad = await runHostCli(t, a, ['token', 'svc', '--store', `${redis.url}?lease=0.1`]);
  t.is(bad.code, 2, bad.stderr);
});

test('fleet remove-member names what is wrong: a key that is no member, a string that is no key, this host by its fingerprint in capitals', async (t) => {
  const redis = await startRedis(t);
  const [a, b, stranger] = await Promise.all([makeHost(t, redis.url, 'host-a'), makeHost(t, redis.url, 'host-b'), makeHost(t, redis.url, 'stranger')]);
  t.is((await runHostCli(t, a, ['fleet', 'add-member', b.publicKey])).code, 0);

  const notMember = await runHostCli(t, a, ['fleet', 'remove-member', stranger.publicKey]);
  t.is(notMember.code, 1, notMember.stderr);
  t.regex(notMember.stderr, /ohpub1\S+ is not a member of the fleet store redis:\/\/127\.0\.0\.1:\d+\/0\n/);
  t.regex(notMember.stderr, /`oauth-handoff fleet members` lists the member keys/, 'the next step is the member list, not the credential list');
  const byFingerprint = await runHostCli(t, a, ['fleet', 'remove-member', fingerprint(stranger.publicKey), '--json']);
  t.is(byFingerprint.code, 1, byFingerprint.stderr);

  const garbage = await runHostCli(t, a, ['fleet', 'remove-member', 'web-3']);
  t.is(garbage.code, 2, garbage.stderr);
  t.regex(garbage.stderr, /"web-3" is neither a public key \(ohpub1…\) nor a 16-digit key fingerprint/);

  const self = await runHostCli(t, a, ['fleet', 'remove-member', fingerprint(a.publicKey).toUpperCase()]);
  t.is(self.code, 2, "this host's own key, by its fingerprint in capitals, still needs --force");
  const members = JSON.parse((await runHostCli(t, b, ['fleet', 'members', '--json'])).stdout) as { fingerprint: string }[];
  t.is(members.length, 2, 'nobody was removed');
});
