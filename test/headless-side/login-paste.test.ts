/**
 * `oauth-handoff login --paste` as scripts use it: the built CLI reads the
 * code or the redirect URL from a pipe, against the sandbox on 127.0.0.1.
 * The approve button is pressed over HTTP here; test/headless-side/
 * login-browser.test.ts does the same with a real browser.
 */
import test from 'ava';
import type { ExecutionContext } from 'ava';
import { writeFile } from 'node:fs/promises';
import { startSandbox } from '../../src/sandbox/index.js';
import type { Sandbox, SandboxOptions } from '../../src/sandbox/index.js';
import { runCli } from '../helpers/cli.js';
import { decideByHttp, loginOnce, machine, startLogin, storedNames, tokenOf } from './helpers.js';
import type { Machine } from './helpers.js';

async function sandbox(t: ExecutionContext, opts: SandboxOptions): Promise<Sandbox> {
  const s = await startSandbox(opts);
  t.teardown(() => s.close());
  return s;
}

async function setup(t: ExecutionContext, opts: SandboxOptions) {
  const sb = await sandbox(t, opts);
  const m = await machine(t, { OAUTH_HANDOFF_CLIENT_SECRET: sb.client.secret });
  return { sb, m };
}

const redmineArgs = (sb: Sandbox, ...more: string[]) => ['--paste', '--provider', 'redmine', '--site', sb.url, '--client-id', sb.client.id, ...more];

/** The code shown on Redmine's out-of-band page. */
async function codeOnPage(url: string): Promise<string> {
  const html = await (await fetch(url)).text();
  const code = /<code id="authorization_code">([^<]+)<\/code>/.exec(html)?.[1];
  if (!code) throw new Error(`no code on ${url}`);
  return code;
}

async function expectNothingStored(t: ExecutionContext, m: Machine) {
  t.deepEqual(await storedNames(m.home), [], 'nothing was stored');
}

test("Redmine's out-of-band page: the pasted code is exchanged at once and the stored credential yields a working token", async (t) => {
  const { sb, m } = await setup(t, { profile: 'redmine' });
  const run = startLogin(t, redmineArgs(sb, '--name', 'redmine-prod'), m.env);
  const url = await run.authorizationUrl();
  const sent = new URL(url);
  t.is(sent.searchParams.get('redirect_uri'), 'urn:ietf:wg:oauth:2.0:oob', 'Redmine defaults to its out-of-band page');
  t.is(sent.searchParams.get('code_challenge_method'), 'S256');
  t.regex(sent.searchParams.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
  t.truthy(sent.searchParams.get('state'));
  t.false(sent.searchParams.has('code_verifier'), 'the verifier never leaves this machine');
  t.regex(run.stderr(), /page shows an authorization code/);
  t.notRegex(run.stderr(), /oauth-handoff relay/, 'no relay for an out-of-band page');

  const landed = await decideByHttp(url);
  run.paste(await codeOnPage(landed));
  const r = await run.done;
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, "", "stdout stays for machine output");
  t.regex(r.stderr, /redmine-prod {2}\(redmine http:\/\/127\.0\.0\.1:\d+\)/);
  t.regex(r.stderr, /state: +ok/);
  t.regex(r.stderr, /refresh token: +present/);
  const tok = await tokenOf(m, 'redmine-prod');
  t.is(tok.code, 0, tok.stderr);
  t.true(sb.isAccessTokenValid(tok.stdout.trim()), 'the stored token works at the server');
  t.false(r.stdout.includes(tok.stdout.trim()) || r.stderr.includes(tok.stdout.trim()), 'login never prints the token');
  t.deepEqual(await storedNames(m.home), ['redmine-prod']);
});

test('a loopback redirect takes the whole URL the browser landed on; discovery finds the endpoints; --json reports', async (t) => {
  const { sb, m } = await setup(t, { profile: 'generic' });
  const redirectUri = 'http://127.0.0.1:53682/callback';
  const run = startLogin(
    t,
    ['--paste', '--issuer', sb.url, '--client-id', sb.client.id, '--redirect-uri', redirectUri, '--scope', 'read', '--scope', 'write', '--name', 'gen', '--json'],
    m.env,
  );
  const url = await run.authorizationUrl();
  t.is(new URL(url).searchParams.get('scope'), 'read write');
  t.regex(run.stderr(), /oauth-handoff relay '/, 'the laptop relay command is shown');
  t.regex(run.stderr(), /connection error there: that is expected\. Copy the whole address/);
  const landed = await decideByHttp(url);
  t.true(landed.startsWith(`${redirectUri}?`));
  run.paste(`  "${landed}"  `); // copied with quotes and blanks around it: still fine
  const r = await run.done;
  t.is(r.code, 0, r.stderr);
  const status = JSON.parse(r.stdout);
  t.is(status.name, 'gen');
  t.is(status.state, 'ok');
  t.deepEqual(status.scopes, ['read', 'write']);
  t.is(status.created.via, 'login --paste');
  t.true(sb.isAccessTokenValid((await tokenOf(m, 'gen')).stdout.trim()));
  // the refresh token works too: the grant was stored whole
  const rf = await runCli(['refresh', 'gen'], { env: m.env });
  t.is(rf.code, 0, rf.stderr);
});

test('a redirect URL from another login attempt (wrong state) is refused: exit 3 (authorize again), nothing stored', async (t) => {
  const { sb, m } = await setup(t, { profile: 'redmine' });
  // the same redirect URI for both: only the state tells them apart
  const same = ['--redirect-uri', 'http://127.0.0.1:53682/callback'];
  const a = startLogin(t, redmineArgs(sb, ...same, '--name', 'a'), m.env);
  const b = startLogin(t, redmineArgs(sb, ...same, '--name', 'b'), m.env);
  const landedA = await decideByHttp(await a.authorizationUrl());
  await b.authorizationUrl();
  b.paste(landedA);
  const r = await b.done;
  t.is(r.code, 3, r.stderr);
  t.regex(r.stderr, /state in the response does not match this authorization request/);
  t.regex(r.stderr, /paste the answer to the URL this run printed/);
  a.child.kill();
  await a.done;
  await expectNothingStored(t, m);
});

test('a code issued for another verifier is rejected by the server: exit 3, nothing stored, and login can simply be run again', async (t) => {
  const { sb, m } = await setup(t, { profile: 'redmine' });
  const a = startLogin(t, redmineArgs(sb, '--name', 'x'), m.env);
  const b = startLogin(t, redmineArgs(sb, '--name', 'x'), m.env);
  const codeA = await codeOnPage(await decideByHttp(await a.authorizationUrl()));
  await b.authorizationUrl();
  b.paste(codeA); // an out-of-band code carries no state: only PKCE can tell
  const r = await b.done;
  t.is(r.code, 3, r.stderr);
  t.regex(r.stderr, /authorization code was rejected \(invalid_grant\).*nothing was stored/);
  a.child.kill();
  await a.done;
  await expectNothingStored(t, m);

  const again = startLogin(t, redmineArgs(sb, '--name', 'x'), m.env);
  again.paste(await codeOnPage(await decideByHttp(await again.authorizationUrl())));
  const ok = await again.done;
  t.is(ok.code, 0, ok.stderr);
  t.deepEqual(await storedNames(m.home), ['x']);
});

test('an expired code (Confluence: codes live seconds) is rejected: exit 3, nothing stored, and the warning said to hurry', async (t) => {
  const { sb, m } = await setup(t, { profile: 'confluence', codeTtl: 1 });
  const run = startLogin(
    t,
    ['--paste', '--provider', 'confluence', '--site', sb.url, '--client-id', sb.client.id, '--redirect-uri', sb.client.redirectUris[0] as string],
    m.env,
  );
  const landed = await decideByHttp(await run.authorizationUrl());
  t.regex(run.stderr(), /Confluence Data Center authorization codes expire 10 s after the approval: paste at once/);
  await new Promise((r) => setTimeout(r, 1600));
  run.paste(landed);
  const r = await run.done;
  t.is(r.code, 3, r.stderr);
  t.regex(r.stderr, /rejected \(invalid_grant\).*expired/);
  await expectNothingStored(t, m);
});

test('garbage, a bare code where the URL is needed, the request URL itself and an empty stdin each exit 2 with a clear message', async (t) => {
  const { sb, m } = await setup(t, { profile: 'generic', autoApprove: true });
  const args = ['--paste', '--issuer', sb.url, '--client-id', sb.client.id, '--redirect-uri', 'http://127.0.0.1:53682/callback'];
  const cases: [string, (url: string) => Promise<string>, RegExp][] = [
    ['garbage', async () => 'hello world, this is not it', /not an authorization code, a redirect URL, or a query string/],
    ['bare code', async (url) => new URL(await decideByHttp(url)).searchParams.get('code') as string, /bare code carries no state.*whole redirect URL is needed/],
    ['request URL', async (url) => url, /authorization request URL, not the redirect/],
    ['wrong place', async (url) => (await decideByHttp(url)).replace('/callback', '/elsewhere'), /does not lead to the redirect URI/],
  ];
  await Promise.all(
    cases.map(async ([label, make, message]) => {
      const run = startLogin(t, args, m.env);
      run.paste(await make(await run.authorizationUrl()));
      const r = await run.done;
      t.is(r.code, 2, `${label}: ${r.stderr}`);
      t.regex(r.stderr, message, label);
    }),
  );
  const empty = startLogin(t, args, m.env);
  await empty.authorizationUrl();
  empty.child.stdin!.end();
  const r = await empty.done;
  t.is(r.code, 2, r.stderr);
  t.regex(r.stderr, /standard input ended before a code or URL was given/);
  await expectNothingStored(t, m);
});

test('a denied approval exits 1 and says it was denied', async (t) => {
  const { sb, m } = await setup(t, { profile: 'redmine' });
  const run = startLogin(t, redmineArgs(sb, '--redirect', 'loopback'), m.env);
  run.paste(await decideByHttp(await run.authorizationUrl(), 'deny'));
  const r = await run.done;
  t.is(r.code, 1, r.stderr);
  t.regex(r.stderr, /authorization was denied \(access_denied\)/);
  await expectNothingStored(t, m);
});

test('--timeout ends a login nobody answers: exit 1, nothing stored', async (t) => {
  const { sb, m } = await setup(t, { profile: 'redmine' });
  const run = startLogin(t, redmineArgs(sb, '--timeout', '1'), m.env);
  const r = await run.done;
  t.is(r.code, 1, r.stderr);
  t.regex(r.stderr, /no code or URL arrived on standard input within 1 s/);
  await expectNothingStored(t, m);
});

test('an existing credential is not replaced without --force, and login says so before showing any URL', async (t) => {
  const { sb, m } = await setup(t, { profile: 'redmine', autoApprove: true });
  const first = startLogin(t, redmineArgs(sb, '--name', 'twice'), m.env);
  first.paste(await codeOnPage(await decideByHttp(await first.authorizationUrl())));
  t.is((await first.done).code, 0);
  const before = (await tokenOf(m, 'twice')).stdout;

  const second = await loginOnce(t, [...redmineArgs(sb, '--name', 'twice')], m.env);
  t.is(second.code, 1, second.stderr);
  t.regex(second.stderr, /a credential named "twice" already exists/);
  t.notRegex(second.stderr, /http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize/, 'no URL was shown');
  t.is((await tokenOf(m, 'twice')).stdout, before);

  const forced = startLogin(t, redmineArgs(sb, '--name', 'twice', '--force'), m.env);
  forced.paste(await codeOnPage(await decideByHttp(await forced.authorizationUrl())));
  t.is((await forced.done).code, 0);
  t.not((await tokenOf(m, 'twice')).stdout, before, 'replaced with --force');
});

test('presets that match the redirect URI exactly ask for --redirect-uri; unknown --redirect values are usage errors', async (t) => {
  const { sb, m } = await setup(t, { profile: 'confluence' });
  const r = await loginOnce(t, ['--paste', '--provider', 'confluence', '--site', sb.url, '--client-id', sb.client.id], m.env);
  t.is(r.code, 2, r.stderr);
  t.regex(r.stderr, /matches the redirect URI exactly: give --redirect-uri as registered on the system \(e\.g\. http:\/\/localhost:PORT\/callback\)/);
  const bad = await loginOnce(t, [...redmineArgs(sb, '--redirect', 'carrier-pigeon')], m.env);
  t.is(bad.code, 2);
  t.regex(bad.stderr, /unknown --redirect/);
  const both = await loginOnce(t, ['--paste', '--device', '--provider', 'redmine'], m.env);
  t.is(both.code, 2);
  await expectNothingStored(t, m);
});

test('the client secret comes from a file or the environment; on the command line it works but warns; missing, it is a usage error', async (t) => {
  const sb = await sandbox(t, { profile: 'redmine', autoApprove: true });
  const m = await machine(t);
  const missing = await loginOnce(t, [...redmineArgs(sb)], m.env);
  t.is(missing.code, 2, missing.stderr);
  t.regex(missing.stderr, /--client-secret-file or \$OAUTH_HANDOFF_CLIENT_SECRET/);

  const run = startLogin(t, redmineArgs(sb, `--client-secret=${sb.client.secret as string}`), m.env);
  run.paste(await codeOnPage(await decideByHttp(await run.authorizationUrl())));
  const r = await run.done;
  t.is(r.code, 0, r.stderr);
  t.regex(r.stderr, /warning: a client secret given on the command line can be seen by other users/);
  t.false(r.stderr.includes(sb.client.secret as string), 'the secret is never echoed');

  await writeFile(`${m.base}/secret.txt`, `${sb.client.secret}\n`, { mode: 0o600 });
  const fromFile = startLogin(t, redmineArgs(sb, '--client-secret-file', `${m.base}/secret.txt`, '--name', 'from-file'), m.env);
  fromFile.paste(await codeOnPage(await decideByHttp(await fromFile.authorizationUrl())));
  const f = await fromFile.done;
  t.is(f.code, 0, f.stderr);
  t.notRegex(f.stderr, /warning/);
  t.deepEqual(await storedNames(m.home), ['from-file', 'redmine']);
});

test('without a terminal the wait still shows: a plain "waiting … left" line now and then on stderr, and a code piped in later still logs in', async (t) => {
  const { sb, m } = await setup(t, { profile: 'redmine' });
  const run = startLogin(t, redmineArgs(sb, '--name', 'later', '--timeout', '20s'), m.env);
  const url = await run.authorizationUrl();
  // 20 s of waiting: a line every 5 s (a quarter of the wait, at least 5 s); no terminal, so no redrawing
  const line = await run.waitForStderr(/^oauth-handoff: waiting for the code or address on standard input: (\d+):(\d\d) left/m, 15_000);
  t.true(Number(line[1]) * 60 + Number(line[2]) < 20);
  t.false(run.stderr().includes('\r'), 'plain lines, nothing redrawn');
  run.paste(await codeOnPage(await decideByHttp(url)));
  const r = await run.done;
  t.is(r.code, 0, r.stderr);
  t.deepEqual(await storedNames(m.home), ['later']);
});
