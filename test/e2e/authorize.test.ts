/**
 * The admin's journey in a real browser: the built CLI runs `authorize
 * --no-browser`, Chromium opens the URL it printed and approves, the loopback
 * listener receives the code, and the file it writes imports on a headless
 * store and yields a token the authorization server accepts. Once per sandbox
 * profile, once against oidc-provider, and once out of band (Redmine).
 * One Chromium for the whole file.
 */
import test from 'ava';
import type { ExecutionContext } from 'ava';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startSandbox } from '../../src/sandbox/index.js';
import type { Sandbox, SandboxProfileId } from '../../src/sandbox/index.js';
import { sharedBrowser } from '../helpers/browser.js';
import { runCli } from '../helpers/cli.js';
import { startOidcProvider } from '../helpers/oidc-server.js';
import { freePort, headlessMachine, laptop, printedAuthorizationUrl, startCli } from '../browser-side/helpers.js';

const browser = sharedBrowser(test);

interface ProfileCase {
  profile: SandboxProfileId;
  /** the provider's own rules force a fixed, registered loopback URI */
  fixedRedirect?: (port: number) => string;
  /** how the CLI finds the server */
  where: (s: Sandbox) => string[];
  secretVia: 'env' | 'file';
}

const CASES: ProfileCase[] = [
  // generic: endpoints by RFC 8414 discovery; a registered loopback URI without a port (any port)
  { profile: 'generic', where: (s) => ['--issuer', s.endpoints.issuer!, '--redirect-uri', 'http://127.0.0.1/callback'], secretVia: 'file' },
  // redmine: --site; 127.0.0.1 with any port, no --redirect-uri needed
  { profile: 'redmine', where: (s) => ['--site', s.url], secretVia: 'env' },
  // backlog, questetra: hosted services (*.backlog.jp, *.questetra.net), so the sandbox's endpoints are given explicitly
  {
    profile: 'backlog',
    fixedRedirect: (p) => `http://localhost:${p}/callback`,
    where: (s) => ['--authorization-endpoint', s.endpoints.authorization, '--token-endpoint', s.endpoints.token],
    secretVia: 'file',
  },
  { profile: 'confluence', fixedRedirect: (p) => `http://localhost:${p}/callback`, where: (s) => ['--site', s.url], secretVia: 'env' },
  { profile: 'jira', fixedRedirect: (p) => `http://localhost:${p}/callback`, where: (s) => ['--site', s.url], secretVia: 'file' },
  {
    profile: 'questetra',
    fixedRedirect: (p) => `http://localhost:${p}/callback`,
    where: (s) => ['--authorization-endpoint', s.endpoints.authorization, '--token-endpoint', s.endpoints.token],
    secretVia: 'env',
  },
];

async function startProfile(t: ExecutionContext, c: ProfileCase): Promise<{ sandbox: Sandbox; clientId: string; secret: string; redirect: string[] }> {
  if (!c.fixedRedirect) {
    const sandbox = await startSandbox({ profile: c.profile });
    t.teardown(() => sandbox.close());
    return { sandbox, clientId: sandbox.client.id, secret: sandbox.client.secret!, redirect: [] };
  }
  // a client registered with a free port of its own, so parallel runs never fight over one
  const uri = c.fixedRedirect(await freePort());
  const secret = `e2e-secret-${c.profile}`;
  const sandbox = await startSandbox({ profile: c.profile, clients: [{ id: 'e2e-client', secret, redirectUris: [uri] }] });
  t.teardown(() => sandbox.close());
  return { sandbox, clientId: 'e2e-client', secret, redirect: ['--redirect-uri', uri] };
}

for (const c of CASES) {
  test.serial(`${c.profile}: approve in Chromium, the loopback listener gets the code, the file imports and yields a token the server accepts`, async (t) => {
    const { sandbox, clientId, secret, redirect } = await startProfile(t, c);
    const server = await headlessMachine(t);
    const lap = await laptop(t, c.secretVia === 'env' ? { OAUTH_HANDOFF_CLIENT_SECRET: secret } : {});
    const secretArgs: string[] = [];
    if (c.secretVia === 'file') {
      await writeFile(join(lap.base, 'client-secret'), `${secret}\n`, { mode: 0o600 });
      secretArgs.push('--client-secret-file', join(lap.base, 'client-secret'));
    }
    const file = join(lap.base, `${c.profile}.ohs`);
    const name = `${c.profile}-e2e`;
    const cli = startCli(
      t,
      ['authorize', '--provider', c.profile, ...c.where(sandbox), '--client-id', clientId, ...secretArgs, ...redirect, '--name', name, '--no-browser', '--to', server.publicKey, '-o', file],
      lap.env,
    );
    const url = await printedAuthorizationUrl(cli);
    t.truthy(url.searchParams.get('state'));
    t.is(url.searchParams.get('code_challenge_method'), 'S256');

    const page = await (await browser()).newPage(t);
    await page.goto(url.href);
    await page.click('#approve');
    await page.waitForSelector('#result[data-result="ok"]');
    t.regex(await page.textContent('#message') ?? '', /You can close this tab/);

    const res = await cli.done;
    t.is(res.code, 0, res.stderr);
    const imp = await runCli(['import', file], { env: server.env });
    t.is(imp.code, 0, imp.stderr);
    const tok = await runCli(['token', name], { env: server.env });
    t.is(tok.code, 0, tok.stderr);
    t.true(sandbox.isAccessTokenValid(tok.stdout.trim()), 'the sandbox accepts the token');
  });
}

test.serial('redmine out of band: the browser lands on the code page, the code pasted on stdin is exchanged', async (t) => {
  const sandbox = await startSandbox({ profile: 'redmine' });
  t.teardown(() => sandbox.close());
  const server = await headlessMachine(t);
  const lap = await laptop(t, { OAUTH_HANDOFF_CLIENT_SECRET: sandbox.client.secret! });
  const file = join(lap.base, 'oob.ohs');
  const cli = startCli(
    t,
    ['authorize', '--provider', 'redmine', '--site', sandbox.url, '--client-id', sandbox.client.id, '--redirect', 'oob', '--name', 'oob', '--no-browser', '--to', server.publicKey, '-o', file],
    lap.env,
  );
  const url = await printedAuthorizationUrl(cli);
  t.is(url.searchParams.get('redirect_uri'), 'urn:ietf:wg:oauth:2.0:oob');
  await cli.waitForStderr(/paste it on standard input/);

  const page = await (await browser()).newPage(t);
  await page.goto(url.href);
  await page.click('#approve');
  await page.waitForSelector('#authorization_code');
  t.false(new URL(page.url()).searchParams.has('state'), 'Redmine\'s code page carries no state');
  const code = (await page.textContent('#authorization_code'))!.trim();
  cli.write(`${code}\n`);

  const res = await cli.done;
  t.is(res.code, 0, res.stderr);
  const imp = await runCli(['import', file], { env: server.env });
  t.is(imp.code, 0, imp.stderr);
  const tok = await runCli(['token', 'oob'], { env: server.env });
  t.true(sandbox.isAccessTokenValid(tok.stdout.trim()));
});

test.serial('oidc-provider: Chromium signs in and consents; a confidential client with PKCE on loopback gets a grant that works and refreshes', async (t) => {
  const op = await startOidcProvider();
  t.teardown(() => op.close());
  const server = await headlessMachine(t);
  const lap = await laptop(t, { OAUTH_HANDOFF_CLIENT_SECRET: op.client.secret });
  const file = join(lap.base, 'op.ohs');
  const cli = startCli(
    t,
    [
      'authorize', '--provider', 'generic', '--issuer', op.issuer, '--client-id', op.client.id,
      '--redirect-uri', 'http://127.0.0.1/callback', '--scope', 'openid offline_access', '--param', 'prompt=consent',
      '--name', 'op', '--no-browser', '--to', server.publicKey, '-o', file,
    ],
    lap.env,
  );
  const url = await printedAuthorizationUrl(cli);
  t.true(url.href.startsWith(`${op.issuer}/auth?`), 'the authorization endpoint came from discovery');

  const page = await (await browser()).newPage(t);
  await page.goto(url.href);
  await page.fill('input[name="login"]', 'user-1');
  await page.fill('input[name="password"]', 'any');
  await page.click('button[type="submit"]');
  await page.waitForSelector('input[name="prompt"][value="consent"]', { state: 'attached' });
  await page.click('button[type="submit"]');
  await page.waitForSelector('#result[data-result="ok"]');

  const res = await cli.done;
  t.is(res.code, 0, res.stderr);
  t.is((await runCli(['import', file], { env: server.env })).code, 0);
  const tok = await runCli(['token', 'op'], { env: server.env });
  t.is(tok.code, 0, tok.stderr);
  const me = await fetch(`${op.issuer}/me`, { headers: { authorization: `Bearer ${tok.stdout.trim()}` } });
  t.is(me.status, 200, 'the userinfo endpoint accepts the access token');
  t.is(((await me.json()) as { sub: string }).sub, 'user-1');
  const rf = await runCli(['refresh', 'op'], { env: server.env });
  t.is(rf.code, 0, rf.stderr);
});
