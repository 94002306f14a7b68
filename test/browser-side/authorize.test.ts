/**
 * `authorize` as a real CLI process against the sandbox, with plain HTTP
 * requests standing in for the browser (the real-browser journeys are in
 * test/e2e). Every error path must leave no file behind.
 */
import test from 'ava';
import type { ExecutionContext } from 'ava';
import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startSandbox } from '../../src/sandbox/index.js';
import type { Sandbox, SandboxOptions } from '../../src/sandbox/index.js';
import { runCli } from '../helpers/cli.js';
import { freePort, get, headlessMachine, laptop, printedAuthorizationUrl, startCli } from './helpers.js';

async function sandbox(t: ExecutionContext, opts: SandboxOptions = {}): Promise<Sandbox> {
  const s = await startSandbox({ profile: 'redmine', ...opts });
  t.teardown(() => s.close());
  return s;
}

/** authorize against a Redmine sandbox, sealed to a fresh headless machine, written to FILE. */
async function redmineRun(t: ExecutionContext, s: Sandbox, extra: string[] = []) {
  const server = await headlessMachine(t);
  const lap = await laptop(t, { OAUTH_HANDOFF_CLIENT_SECRET: s.client.secret! });
  const file = join(lap.base, 'handoff.ohs');
  const args = ['authorize', '--provider', 'redmine', '--site', s.url, '--client-id', s.client.id, '--no-browser', '--to', server.publicKey, '-o', file, '--name', 'rm', ...extra];
  const cli = startCli(t, args, lap.env);
  const url = await printedAuthorizationUrl(cli);
  const redirect = url.searchParams.get('redirect_uri')!;
  const state = url.searchParams.get('state')!;
  return { server, lap, file, cli, url, redirect, state };
}

test('a redirect with a wrong or missing state, or to another path, is refused; the run keeps waiting and takes the genuine one', async (t) => {
  const s = await sandbox(t, { autoApprove: true });
  const r = await redmineRun(t, s);
  t.regex(r.redirect, /^http:\/\/127\.0\.0\.1:\d+\/callback$/, 'Redmine: 127.0.0.1 with a random port');

  const wrong = await get(`${r.redirect}?code=forged&state=not-the-state`);
  t.like(wrong, { status: 400 });
  t.regex((wrong as { text: string }).text, /refused/);
  t.regex((wrong as { text: string }).text, /<html lang="en">/, 'the page speaks the CLI\'s language (English here)');
  const missing = await get(`${r.redirect}?code=forged`);
  t.like(missing, { status: 400 });
  const elsewhere = await get(`${new URL(r.redirect).origin}/other?code=x&state=${r.state}`);
  t.like(elsewhere, { status: 404 });
  await r.cli.waitForStderr(/refused a redirect whose state does not match/);
  await r.cli.waitForStderr(/refused a redirect without a state/);

  // the genuine approval still completes: the sandbox approves and redirects to the listener
  const ok = await fetch(r.url);
  const page = await ok.text();
  t.is(ok.status, 200);
  t.regex(page, /You can close this tab/);
  t.notRegex(page, /[\u3040-\u30ff]/, 'no Japanese on the page of an English run');
  t.regex(page, /received the tokens/, 'success is said only after the code exchange');
  const res = await r.cli.done;
  t.is(res.code, 0, res.stderr);
  t.is((await stat(r.file)).mode & 0o777, 0o600);
  t.is(res.stdout, '', 'with -o and no --armor nothing goes to stdout');
  t.regex(res.stderr, /oauth-handoff import handoff\.ohs/, 'prints the command to run on the server');
  t.false(res.stderr.includes(s.client.secret!), 'never prints the client secret');

  const imp = await runCli(['import', r.file], { env: r.server.env });
  t.is(imp.code, 0, imp.stderr);
  const tok = await runCli(['token', 'rm'], { env: r.server.env });
  t.is(tok.code, 0, tok.stderr);
  t.true(s.isAccessTokenValid(tok.stdout.trim()));
  t.false(res.stderr.includes(tok.stdout.trim()), 'authorize never prints the token');
});

test('when only refused redirects arrive, the time limit ends the run with a clear error and no file', async (t) => {
  const s = await sandbox(t);
  const r = await redmineRun(t, s, ['--timeout', '4']);
  const started = Date.now();
  t.like(await get(`${r.redirect}?code=forged&state=wrong`), { status: 400 });
  const res = await r.cli.done;
  t.is(res.code, 1, res.stderr);
  t.regex(res.stderr, /no redirect reached http:\/\/127\.0\.0\.1:\d+\/callback within 4 s; 1 redirect with a wrong or missing state was refused/);
  t.regex(res.stderr, /Redmine/, 'names the system whose redirect rules apply');
  t.false(existsSync(r.file));
  t.true(Date.now() - started < 10_000);
});

test('a second callback after the accepted one gets nothing: the listener is gone and the first code stands', async (t) => {
  const s = await sandbox(t, { autoApprove: true });
  const r = await redmineRun(t, s);
  const first = await fetch(r.url);
  t.is(first.status, 200);
  const callbackUrl = first.url; // where the redirect landed: the listener, with code and state
  t.true(callbackUrl.startsWith(r.redirect));
  const res = await r.cli.done;
  t.is(res.code, 0, res.stderr);
  const again = await get(callbackUrl);
  t.true('error' in again || (again as { status: number }).status === 409, JSON.stringify(again));
  t.is(s.log().filter((e) => e.grantType === 'authorization_code').length, 1, 'the code was exchanged exactly once');
});

test('a redirect URI that is not on a loopback address is refused before anything else (exit 2, no file)', async (t) => {
  const s = await sandbox(t);
  const server = await headlessMachine(t);
  const lap = await laptop(t, { OAUTH_HANDOFF_CLIENT_SECRET: s.client.secret! });
  const file = join(lap.base, 'x.ohs');
  for (const uri of ['http://example.com:8080/callback', 'http://192.168.1.10:8080/callback', 'https://127.0.0.1:8443/callback']) {
    const res = await runCli(
      ['authorize', '--provider', 'redmine', '--site', s.url, '--client-id', s.client.id, '--no-browser', '--redirect-uri', uri, '--to', server.publicKey, '-o', file],
      { env: lap.env },
    );
    t.is(res.code, 2, res.stderr);
    t.regex(res.stderr, /loopback|cannot be received on this machine/);
    t.false(res.stderr.includes('response_type=code'), 'no authorization URL was shown');
  }
  t.false(existsSync(file));
  t.is(s.log().length, 0, 'nothing reached the provider');
});

test('without a recipient, or with an exact-match provider and no --redirect-uri, it stops before the browser (exit 2)', async (t) => {
  const s = await sandbox(t, { profile: 'confluence' });
  const lap = await laptop(t, { OAUTH_HANDOFF_CLIENT_SECRET: 'x' });
  const noRecipient = await runCli(
    ['authorize', '--provider', 'confluence', '--site', s.url, '--client-id', 'c', '--redirect-uri', 'http://localhost:8765/callback', '--no-browser', '-o', join(lap.base, 'a')],
    { env: lap.env },
  );
  t.is(noRecipient.code, 2);
  t.regex(noRecipient.stderr, /--to KEY/);
  const server = await headlessMachine(t);
  const noRedirect = await runCli(['authorize', '--provider', 'confluence', '--site', s.url, '--client-id', 'c', '--no-browser', '--to', server.publicKey], { env: lap.env });
  t.is(noRedirect.code, 2);
  t.regex(noRedirect.stderr, /matches the redirect URI exactly: give --redirect-uri as registered on the system/);
  const badKey = await runCli(
    ['authorize', '--provider', 'confluence', '--site', s.url, '--client-id', 'c', '--redirect-uri', 'http://localhost:8765/callback', '--no-browser', '--to', 'ohpub1nope'],
    { env: lap.env },
  );
  t.is(badKey.code, 4, 'a mistyped key is caught before the approval');
  t.is(s.log().length, 0);
});

test('an existing -o file is kept unless --force, and checked before the browser opens', async (t) => {
  const s = await sandbox(t);
  const server = await headlessMachine(t);
  const lap = await laptop(t, { OAUTH_HANDOFF_CLIENT_SECRET: s.client.secret! });
  const file = join(lap.base, 'exists.ohs');
  await writeFile(file, 'keep me');
  const res = await runCli(['authorize', '--provider', 'redmine', '--site', s.url, '--client-id', s.client.id, '--no-browser', '--to', server.publicKey, '-o', file], { env: lap.env });
  t.is(res.code, 1, res.stderr);
  t.regex(res.stderr, /already exists/);
  t.is(await readFile(file, 'utf8'), 'keep me');
});

test('the time limit with nothing arriving: exit 1, a clear message, no file', async (t) => {
  const s = await sandbox(t);
  const r = await redmineRun(t, s, ['--timeout', '2']);
  const started = Date.now();
  const res = await r.cli.done;
  t.is(res.code, 1);
  t.regex(res.stderr, /error: no redirect reached .* within 2 s/);
  t.regex(res.stderr, /if the browser showed an error page instead of coming back/);
  // the likely suspects, in order: the site, the client id, the redirect URI registration
  t.regex(res.stderr, /check in this order: 1\. the site: http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize must be Redmine's own authorization endpoint.*2\. the client id "[^"]+" must be registered there; 3\. the redirect URI: the redirect URI sent was/s);
  t.false(existsSync(r.file));
  t.true(Date.now() - started < 10_000);
});

test('the provider\'s access_denied ends the run with a message naming the system (exit 1, no file)', async (t) => {
  const s = await sandbox(t);
  const r = await redmineRun(t, s);
  const answer = await get(`${r.redirect}?error=access_denied&error_description=the+user+denied&state=${encodeURIComponent(r.state)}`);
  t.like(answer, { status: 400 });
  t.regex((answer as { text: string }).text, /Authorization not granted/);
  const res = await r.cli.done;
  t.is(res.code, 1, res.stderr);
  t.regex(res.stderr, /access_denied/);
  t.regex(res.stderr, /denied on Redmine/);
  t.false(existsSync(r.file));
});

test('an unknown scope comes back as invalid_scope with the scopes the system knows (exit 5), before anyone opens the URL', async (t) => {
  const s = await sandbox(t, { autoApprove: true });
  const server = await headlessMachine(t);
  const lap = await laptop(t, { OAUTH_HANDOFF_CLIENT_SECRET: s.client.secret! });
  const file = join(lap.base, 'handoff.ohs');
  const cli = startCli(t, ['authorize', '--provider', 'redmine', '--site', s.url, '--client-id', s.client.id, '--no-browser', '--to', server.publicKey, '-o', file, '--scope', 'view_everything'], lap.env);
  const res = await cli.done;
  t.regex(res.stderr, /"view_everything" is not a scope Redmine is known to have/, 'warned before the browser step');
  t.is(res.code, 5, res.stderr);
  t.regex(res.stderr, /invalid_scope.*likely cause: the request asked for "view_everything"; Redmine knows .*view_issues/);
  t.notRegex(res.stderr, /response_type=code/, 'the URL was never shown: the server refused it first');
  t.false(existsSync(file));
});

test('a wrong client secret is named as the likely cause (invalid_client, exit 5)', async (t) => {
  const s = await sandbox(t, { autoApprove: true });
  const server = await headlessMachine(t);
  const lap = await laptop(t);
  const secretFile = join(lap.base, 'secret.txt');
  await writeFile(secretFile, 'wrong-secret\n');
  const file = join(lap.base, 'x.ohs');
  const cli = startCli(t, ['authorize', '--provider', 'redmine', '--site', s.url, '--client-id', s.client.id, '--client-secret-file', secretFile, '--no-browser', '--to', server.publicKey, '-o', file], lap.env);
  // the tab is answered after the code exchange: it says the exchange failed, never "received"
  const landed = await fetch((await printedAuthorizationUrl(cli)).href);
  const page = await landed.text();
  t.is(landed.status, 400);
  t.regex(page, /data-result="error"/);
  t.regex(page, /Authorization failed/);
  t.regex(page, /invalid_client/);
  t.regex(page, /Nothing was stored/);
  t.notRegex(page, /Authorization received|Authorized</);
  t.false(page.includes('wrong-secret'));
  const res = await cli.done;
  t.is(res.code, 5, res.stderr);
  t.regex(res.stderr, /invalid_client.*likely cause: the client id or secret is wrong/);
  t.false(res.stderr.includes('wrong-secret'));
  t.false(existsSync(file));
});

test('an expired code (Confluence: 10 s, here 1 s and a slow token endpoint) is explained: authorize again (exit 3, as for login --paste)', async (t) => {
  const port = await freePort();
  const redirect = `http://localhost:${port}/callback`;
  const s = await sandbox(t, {
    profile: 'confluence',
    autoApprove: true,
    codeTtl: 1,
    clients: [{ id: 'conf', secret: 'conf-secret', redirectUris: [redirect] }],
  });
  s.injectFault({ delayMs: 1500, grantType: 'authorization_code' });
  const server = await headlessMachine(t);
  const lap = await laptop(t, { OAUTH_HANDOFF_CLIENT_SECRET: 'conf-secret' });
  const file = join(lap.base, 'c.ohs');
  const cli = startCli(t, ['authorize', '--provider', 'confluence', '--site', s.url, '--client-id', 'conf', '--redirect-uri', redirect, '--no-browser', '--to', server.publicKey, '-o', file], lap.env);
  await fetch((await printedAuthorizationUrl(cli)).href).then((res) => res.arrayBuffer());
  const res = await cli.done;
  t.is(res.code, 3, res.stderr);
  t.regex(res.stderr, /invalid_grant.*likely cause: the authorization code was refused: it expired \(codes live 10 s on Confluence Data Center\)/);
  t.false(existsSync(file));
});

test('--armor with a passphrase prints a block that `import -` opens with the passphrase', async (t) => {
  const s = await sandbox(t, { autoApprove: true });
  const lap = await laptop(t, { OAUTH_HANDOFF_CLIENT_SECRET: s.client.secret! });
  const passFile = join(lap.base, 'pass.txt');
  await writeFile(passFile, 'correct horse battery staple\n');
  const cli = startCli(t, ['authorize', '--provider', 'redmine', '--site', s.url, '--client-id', s.client.id, '--no-browser', '--passphrase-file', passFile, '--armor', '--name', 'armored'], lap.env);
  await fetch((await printedAuthorizationUrl(cli)).href).then((res) => res.arrayBuffer());
  const res = await cli.done;
  t.is(res.code, 0, res.stderr);
  t.regex(res.stdout, /^-----BEGIN OAUTH-HANDOFF SETTINGS-----\n[\s\S]+\n-----END OAUTH-HANDOFF SETTINGS-----\n$/);
  t.regex(res.stderr, /oauth-handoff import -/);
  const server = await headlessMachine(t);
  const imp = await runCli(['import', '-'], { env: { ...server.env, OAUTH_HANDOFF_PASSPHRASE: 'correct horse battery staple' }, input: res.stdout });
  t.is(imp.code, 0, imp.stderr);
  const tok = await runCli(['token', 'armored'], { env: server.env });
  t.true(s.isAccessTokenValid(tok.stdout.trim()));
});

test('--json reports the file and recipients, never a token', async (t) => {
  const s = await sandbox(t, { autoApprove: true });
  const r = await redmineRun(t, s, ['--json']);
  await fetch(r.url).then((res) => res.arrayBuffer());
  const res = await r.cli.done;
  t.is(res.code, 0, res.stderr);
  const j = JSON.parse(res.stdout);
  t.is(j.name, 'rm');
  t.is(j.provider, 'redmine');
  t.is(j.file, r.file);
  t.is(j.recipients.length, 1);
  t.is(j.recipients[0].type, 'X25519');
  t.true(j.has_refresh_token);
  t.false(res.stdout.includes('access_token"'));
  // every documented field is there; absent ones are null (snake_case names)
  t.deepEqual(Object.keys(j).sort(), ['access_token_expires_at', 'armor', 'file', 'has_refresh_token', 'name', 'next', 'provider', 'recipients', 'refresh_token_expires_at', 'scope', 'site'].sort());
  t.is(j.armor, null, 'with -o and no --armor there is no block');
});
