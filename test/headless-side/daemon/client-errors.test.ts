import test from 'ava';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { FileStore } from '../../../src/settings-file/index.js';
import { runCli } from '../../helpers/cli.js';
import { FAST, fixture, sleep, spawnDaemon, stopDaemon } from './helpers.js';

const CLIENT_ERRORS = ['invalid_client', 'unauthorized_client', 'invalid_scope', 'unsupported_grant_type'] as const;

/** A token endpoint that refuses every request with the OAuth error named by its path (/token/ERROR), and counts them. */
async function refusingServer(t: Parameters<typeof fixture>[0]) {
  const hits = new Map<string, number>();
  const server = createServer((req, res) => {
    const error = (req.url ?? '').split('/')[2] ?? 'invalid_request';
    hits.set(error, (hits.get(error) ?? 0) + 1);
    req.resume();
    req.on('end', () => {
      res.writeHead(error === 'invalid_client' ? 401 : 400, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ error, error_description: `refused on purpose: ${error}` }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
}

test('client errors (invalid_client, unauthorized_client, invalid_scope, unsupported_grant_type) stop retries for that credential, say the client registration is the problem, and run --on-failure once', async (t) => {
  const server = await refusingServer(t);
  const now = Date.now();
  const f = await fixture(t, [...CLIENT_ERRORS.map((e) => e.replaceAll('_', '-')), 'healthy'], {
    accessTokenTtl: 4,
    edit: (s) =>
      s.name === 'healthy'
        ? s
        : {
            ...s,
            endpoints: { ...s.endpoints, token: `${server.url}/token/${s.name.replaceAll('-', '_')}` },
            // due at once: the access token is about to expire
            token: { ...s.token, obtained_at: new Date(now - 3_600_000).toISOString(), expires_at: new Date(now + 30_000).toISOString() },
          },
  });
  const hookFile = `${f.base}/hooks.txt`;
  const hook = `printf '%s|%s\\n' "$OAUTH_HANDOFF_NAME" "$OAUTH_HANDOFF_STATE" >> ${hookFile}`;
  const d = spawnDaemon(t, ['--all', ...FAST, '--on-failure', hook], f.env);
  const rejected = await d.waitForCount((e) => e.event === 'client_rejected', 4, 20_000, 'four client_rejected');
  t.deepEqual(rejected.map((e) => e.error).sort(), [...CLIENT_ERRORS].sort());
  for (const e of rejected) {
    t.is(e.level, 'error');
    t.regex(e.message, /refuses the client registration/);
    t.regex(e.hint as string, /client id and secret/);
  }
  await d.waitForCount((e) => e.event === 'hook', 4, 10_000, 'four hooks');
  // the healthy one goes on refreshing meanwhile; the refused ones are not tried again
  await d.waitForCount((e) => e.event === 'refreshed' && e.name === 'healthy', 2, 20_000, 'healthy refreshed twice');
  await sleep(1000);
  for (const error of CLIENT_ERRORS) t.is(server.hits.get(error), 1, `${error}: one request, no retries`);
  t.is(d.events.filter((e) => e.event === 'retrying' || e.event === 'failing').length, 0);

  for (const error of CLIENT_ERRORS) {
    const s = JSON.parse((await runCli(['status', error.replaceAll('_', '-'), '--json'], { env: f.env })).stdout);
    t.is(s.daemon.state, 'client_rejected');
    t.is(s.daemon.last_error.error, error);
  }
  // SIGHUP (after fixing the registration) tries them again, once
  d.child.kill('SIGHUP');
  await d.waitForCount((e) => e.event === 'client_rejected', 8, 15_000, 'tried again after SIGHUP');
  t.is((await stopDaemon(d)).code, 0);
  for (const error of CLIENT_ERRORS) t.is(server.hits.get(error), 2);

  const lines = (await readFile(hookFile, 'utf8')).trim().split('\n').sort();
  t.deepEqual(
    lines,
    CLIENT_ERRORS.map((e) => `${e.replaceAll('_', '-')}|client_rejected`).sort(),
    'the hook ran once per credential, not again after the reload',
  );
  // the stored tokens are untouched: a client error says nothing about the grant
  const store = await FileStore.open(f.home);
  for (const error of CLIENT_ERRORS) t.is((await store.read(error.replaceAll('_', '-'))).health.state, 'ok');
});
