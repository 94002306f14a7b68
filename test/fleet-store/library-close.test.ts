/**
 * A library user on a fleet store: Credential.close() closes the store's
 * Redis connections (the one for commands and the one it waited for the
 * lease on), and the process then exits by itself. A real child process of
 * the built library, a real redis-server, the sandbox as the provider.
 */
import test from 'ava';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startSandbox } from '../../src/sandbox/index.js';
import { settingsFrom } from '../helpers/fixtures.js';
import { ROOT } from '../helpers/cli.js';
import { makeHost, seedFleet, startRedis, waitFor } from './helpers.js';

const LIBRARY = pathToFileURL(join(ROOT, 'dist', 'src', 'index.js')).href;

test('a library process on a redis:// store closes its connections with close() and exits by itself', async (t) => {
  t.timeout(90_000);
  const redis = await startRedis(t);
  const sandbox = await startSandbox({ profile: 'generic' });
  t.teardown(() => sandbox.close());
  const host = await makeHost(t, redis.url, 'a');
  // due for a refresh (30 s left, the default margin is 60 s)
  const grant = await sandbox.mintGrant();
  await seedFleet([host], settingsFrom(sandbox, { ...grant, expires_in: 3600 }, { name: 'svc', now: Date.now() - 3570_000 }));
  const clients = async (): Promise<string[]> => String(await redis.client.client('LIST')).split('\n').filter((l) => l.trim() !== '');

  // this test holds the lease, so the library process has to wait for it on a connection of its own
  const store = await host.store();
  let release: () => void = () => undefined;
  const released = new Promise<void>((r) => (release = r));
  let holding: () => void = () => undefined;
  const held = new Promise<void>((r) => (holding = r));
  const holder = store.withWriteLock('svc', async () => {
    holding();
    await released;
  });
  t.teardown(() => release());
  await held;
  const baseline = (await clients()).length;

  const script = `
    import { openCredential } from ${JSON.stringify(LIBRARY)};
    import { once } from 'node:events';
    const c = await openCredential({ name: 'svc' }, { store: process.env.OAUTH_HANDOFF_STORE });
    const token = await c.accessToken();
    console.log(token.length > 0 ? 'token' : 'empty');
    // the test looks at Redis, then says when to close; then it looks again and ends stdin
    process.stdin.setEncoding('utf8');
    await once(process.stdin, 'data');
    await c.close();
    console.log('closed');
    process.stdin.on('end', () => console.log('bye'));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env: host.env, cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let out = '';
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  // its exit, or a SIGKILL after 60 s (then the test fails: it did not exit by itself)
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });

  await waitFor('the library process to wait for the lease (BLPOP)', async () => (await clients()).some((l) => /cmd=blpop/.test(l)), 30_000);
  t.true((await clients()).length >= baseline + 2, 'a connection for commands and one for waiting');
  release();
  await holder;
  await waitFor('the library process to have its token', () => out.includes('token'), 30_000);
  const open = (await clients()).length;
  t.true(open > baseline, `still open before close(): ${open} connections, ${baseline} without the library process`);
  child.stdin.write('close\n');
  await waitFor('the library process to close', () => out.includes('closed'), 30_000);
  // the child is alive (reading stdin), and holds no connection any more
  t.is(child.exitCode, null);
  await waitFor('its connections to close', async () => (await clients()).length === baseline, 10_000).catch(() => undefined);
  t.is((await clients()).length, baseline, 'every connection of the library process is closed by close()');

  child.stdin.end();
  const r = await done;
  t.is(r.signal, null, 'it exited by itself, not killed by the time limit');
  t.is(r.code, 0, err);
  t.true(out.includes('bye'), out);
});
