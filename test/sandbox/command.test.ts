import { PassThrough } from 'node:stream';
import test from 'ava';
import { isHandoffError } from '../../src/errors.js';
import { runSandboxCommand, startSandbox, type Sandbox } from '../../src/sandbox/index.js';

function collect(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c: Buffer) => (text += c.toString('utf8')));
  return { stream, text: () => text };
}

test('the sandbox command prints the URL, endpoints and client (on stderr: it is for people), serves until stopped, then closes', async (t) => {
  const out = collect();
  const err = collect();
  const stop = new AbortController();
  t.teardown(() => stop.abort());
  let sandbox: Sandbox | undefined;
  const running = runSandboxCommand({
    profile: 'redmine',
    verbose: true,
    signal: stop.signal,
    stdout: out.stream,
    stderr: err.stream,
    onListening: (s) => (sandbox = s),
  });
  for (let i = 0; i < 100 && sandbox === undefined; i++) await new Promise((r) => setTimeout(r, 10));
  t.truthy(sandbox);
  const s = sandbox!;
  t.is(out.text(), '', 'stdout carries only machine output');
  t.true(err.text().includes(`listening on ${s.url}`));
  t.true(err.text().includes(s.endpoints.token));
  t.true(err.text().includes(s.client.id));
  t.is(s.client.secret, 'sandbox-secret', 'the command\'s client secret is fixed unless chosen');
  t.true(err.text().includes(s.client.secret!));
  t.true(err.text().includes('urn:ietf:wg:oauth:2.0:oob'));
  t.true(err.text().includes(`export REDMINE_URL=${s.url}`));
  t.true(err.text().includes(`export API_URL=${s.url}/issues.json`));
  const tok = await s.mintGrant();
  const r = await fetch(s.endpoints.api, { headers: { Authorization: `Bearer ${tok.access_token}` } });
  t.is(r.status, 200);
  for (let i = 0; i < 50 && !err.text().includes('/api/me'); i++) await new Promise((res) => setTimeout(res, 20));
  t.true(err.text().includes('GET /api/me 200'));
  stop.abort();
  await running;
  await t.throwsAsync(fetch(s.url));
  t.false((out.text() + err.text()).includes(tok.access_token));
});

test('--json prints one JSON object with the url and client', async (t) => {
  const out = collect();
  const stop = new AbortController();
  t.teardown(() => stop.abort());
  const running = runSandboxCommand({
    profile: 'backlog',
    json: true,
    signal: stop.signal,
    stdout: out.stream,
    stderr: collect().stream,
    onListening: () => stop.abort(),
  });
  await running;
  const info = JSON.parse(out.text()) as { url: string; profile: string; client: { redirect_uris: string[] } };
  t.regex(info.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  t.is(info.profile, 'backlog');
  t.true(info.client.redirect_uris.length > 0);
});

test('the sandbox refuses to bind anywhere but 127.0.0.1', async (t) => {
  const e1 = await t.throwsAsync(runSandboxCommand({ host: '0.0.0.0', stdout: collect().stream, stderr: collect().stream }));
  t.true(isHandoffError(e1, 'USAGE'));
  const e2 = await t.throwsAsync(startSandbox({ host: '::' as never }));
  t.true(isHandoffError(e2, 'USAGE'));
});

test('bad options are usage errors', async (t) => {
  t.true(isHandoffError(await t.throwsAsync(startSandbox({ profile: 'gitlab' as never })), 'USAGE'));
  t.true(isHandoffError(await t.throwsAsync(startSandbox({ port: 70000 })), 'USAGE'));
  t.true(isHandoffError(await t.throwsAsync(startSandbox({ accessTokenTtl: 0 })), 'USAGE'));
  t.true(
    isHandoffError(
      await t.throwsAsync(startSandbox({ profile: 'redmine', clients: [{ id: 'x', redirectUris: [] }] })),
      'USAGE',
    ),
    'redmine clients are confidential',
  );
});

test('a port in use is reported, and close() is idempotent', async (t) => {
  const a = await startSandbox();
  t.teardown(() => a.close());
  const port = Number(new URL(a.url).port);
  t.true(isHandoffError(await t.throwsAsync(startSandbox({ port })), 'USAGE'));
  await Promise.all([a.close(), a.close()]);
  await a.close();
  t.pass();
});

test('the verbose request log shows request data with control characters escaped', async (t) => {
  const err = collect();
  const stop = new AbortController();
  t.teardown(() => stop.abort());
  let sandbox: Sandbox | undefined;
  const running = runSandboxCommand({ profile: 'generic', verbose: true, signal: stop.signal, stdout: collect().stream, stderr: err.stream, onListening: (s) => (sandbox = s) });
  for (let i = 0; i < 100 && sandbox === undefined; i++) await new Promise((r) => setTimeout(r, 10));
  const s = sandbox!;
  await fetch(`${s.endpoints.authorization}?client_id=${encodeURIComponent('evil\u001b[2Jclient')}`);
  for (let i = 0; i < 50 && !err.text().includes('GET /authorize'); i++) await new Promise((r) => setTimeout(r, 20));
  t.true(err.text().includes('client=evil\\x1b[2Jclient'), err.text());
  t.false(err.text().includes('\u001b'));
  stop.abort();
  await running;
});
