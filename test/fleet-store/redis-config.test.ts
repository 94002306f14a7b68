/**
 * The Redis settings docs/fleet.md recommends, for real: an ACL user that may
 * run only the listed commands on the prefix's keys, its password from the
 * environment, and TLS (rediss://) with the CA in NODE_EXTRA_CA_CERTS.
 */
import test from 'ava';
import { execFileSync, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startSandbox } from '../../src/sandbox/index.js';
import { seal, x25519Recipient } from '../../src/crypto/index.js';
import { encodeSettings } from '../../src/settings-file/index.js';
import { collect, tempDir } from '../helpers/cli.js';
import { settingsFrom } from '../helpers/fixtures.js';
import { REDIS_SERVER, makeHost, runHostCli, seedFleet, spawnHostCli, startRedis, waitFor } from './helpers.js';

/** docs/fleet.md, "Redis settings": the commands the fleet store sends, and those its scripts run. */
const ACL_COMMANDS = [
  '+hmget', '+hget', '+smembers', '+eval', '+blpop', '+select', '+ping', '+quit',
  '+set', '+get', '+pttl', '+pexpire', '+del', '+lpush', '+ltrim',
  '+hset', '+hsetnx', '+hincrby', '+hgetall', '+hexists', '+hlen', '+hdel', '+sadd', '+srem',
];

test('an ACL user limited to the documented commands and the key prefix runs everything; its password never shows', async (t) => {
  t.timeout(60_000);
  const redis = await startRedis(t);
  const password = 'pw-4b1c-never-printed';
  await redis.client.call('ACL', 'SETUSER', 'fleet', 'on', `>${password}`, 'resetkeys', '~oauth-handoff:*', 'resetchannels', '-@all', ...ACL_COMMANDS);
  await redis.client.call('ACL', 'SETUSER', 'default', 'off');
  const url = `redis://fleet@127.0.0.1:${redis.port}/0`;
  const sandbox = await startSandbox({ profile: 'generic', replayRevokesGrant: true });
  t.teardown(() => sandbox.close());
  const env = { OAUTH_HANDOFF_REDIS_PASSWORD: password };
  const [a, b] = await Promise.all([makeHost(t, url, 'host-a', env), makeHost(t, url, 'host-b', env)]);
  await seedFleet([a], settingsFrom(sandbox, await sandbox.mintGrant(), { name: 'svc', now: Date.now() - 3570_000 }));
  t.is((await runHostCli(t, a, ['fleet', 'add-member', b.publicKey])).code, 0);
  // two hosts at expiry at once: the lease, a wait for it, the write, the wake-up
  const runs = await Promise.all([a, b, a, b].map((h) => collect(spawnHostCli(t, h, ['token', 'svc']))));
  for (const r of runs) t.is(r.code, 0, r.stderr);
  t.is(new Set(runs.map((r) => r.stdout)).size, 1);
  t.is(sandbox.log().filter((e) => e.grantType === 'refresh_token').length, 1);
  const outputs: string[] = runs.map((r) => r.stdout + r.stderr);
  for (const args of [['status'], ['fleet', 'members'], ['fleet', 'restore', 'svc'], ['forget', 'svc']]) {
    const r = await runHostCli(t, b, args);
    outputs.push(r.stdout + r.stderr);
    t.true(r.code === 0 || (args[1] === 'restore' && r.code === 1), `${args.join(' ')}: ${r.stderr}`);
  }
  t.false(outputs.join('\n').includes(password));
  // a password in --store works, is never printed, and is warned about
  const inArgv = await runHostCli(t, a, ['status', '--store', `redis://fleet:${password}@127.0.0.1:${redis.port}/0`], { env: { OAUTH_HANDOFF_REDIS_PASSWORD: '' } });
  t.is(inArgv.code, 0, inArgv.stderr);
  t.regex(inArgv.stderr, /password in --store is visible to other users/);
  t.false((inArgv.stdout + inArgv.stderr).includes(password));
  // a wrong password says so (exit 1), it is not mistaken for an outage
  const wrong = await runHostCli(t, a, ['token', 'svc'], { env: { OAUTH_HANDOFF_REDIS_PASSWORD: 'wrong' } });
  t.is(wrong.code, 1, wrong.stderr);
  t.regex(wrong.stderr, /refused the login \(WRONGPASS/);
  t.regex(wrong.stderr, /check the Redis user and password: .*OAUTH_HANDOFF_REDIS_PASSWORD/, 'the next step fits the failure');
  const ja = await runHostCli(t, a, ['token', 'svc'], { env: { OAUTH_HANDOFF_REDIS_PASSWORD: 'wrong', LANG: 'ja_JP.UTF-8' } });
  t.regex(ja.stderr, /ログインを拒否しました（WRONGPASS/);
});

test('TLS: rediss:// with the CA in NODE_EXTRA_CA_CERTS; without it, the certificate is refused', async (t) => {
  t.timeout(60_000);
  const dir = await tempDir(t, 'oh-redis-tls-');
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  ssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=oauth-handoff test CA');
  ssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  await writeFile(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', 'san.ext');
  const plain = await startRedis(t); // only for a free port; stopped at once
  const port = plain.port;
  await plain.stop();
  const log = join(dir, 'redis.log');
  const server = spawn(REDIS_SERVER, [
    '--port', '0', '--tls-port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--logfile', log,
    '--tls-cert-file', join(dir, 'server.pem'), '--tls-key-file', join(dir, 'server.key'), '--tls-ca-cert-file', join(dir, 'ca.pem'), '--tls-auth-clients', 'no',
  ], { stdio: 'ignore' });
  t.teardown(() => {
    server.kill('SIGKILL');
  });
  await waitFor('redis-server with TLS', async () => (await readFile(log, 'utf8').catch(() => '')).includes('Ready to accept connections'), 10_000, 50);
  const url = `rediss://127.0.0.1:${port}/0`;
  const ca = { NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem') };
  const [a, b] = await Promise.all([makeHost(t, url, 'host-a', ca), makeHost(t, url, 'host-b')]);
  // Node reads NODE_EXTRA_CA_CERTS at start-up only: everything goes through CLI processes here
  const file = join(dir, 'svc.ohs');
  const s = settingsFrom({ endpoints: { token: 'http://127.0.0.1:9/token' }, client: { id: 'c' } }, { access_token: 'at-tls', token_type: 'Bearer', expires_in: 3600 }, { name: 'svc' });
  await writeFile(file, await seal(encodeSettings(s), [x25519Recipient(a.publicKey)]));
  const imported = await runHostCli(t, a, ['import', file]);
  t.is(imported.code, 0, imported.stderr);
  t.is((await runHostCli(t, a, ['fleet', 'add-member', b.publicKey])).code, 0);
  const token = await runHostCli(t, a, ['token', 'svc']);
  t.is(token.stdout, 'at-tls\n', token.stderr);
  const untrusted = await runHostCli(t, b, ['token', 'svc']);
  t.is(untrusted.code, 7, untrusted.stderr);
  t.regex(untrusted.stderr, /the fleet store rediss:\/\/127\.0\.0\.1:\d+\/0 is unreachable \(.*certificate/);
});
