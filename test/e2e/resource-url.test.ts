/**
 * Any OAuth 2.1 server from one URL (issue 17), with the built CLI, real
 * Chromium and real servers: a protected resource on 127.0.0.1 (RFC 9728
 * metadata, 401 challenges, only tokens whose audience is itself) and
 * oidc-provider with dynamic registration and resource indicators.
 * `authorize --resource URL` on the laptop, `import` / `token` / `refresh` on
 * the server; `login --paste --resource URL` on the server; and the refusals.
 * One Chromium for the whole file.
 */
import test from 'ava';
import type { Page } from 'playwright-core';
import { sharedBrowser } from '../helpers/browser.js';
import { runCli } from '../helpers/cli.js';
import { approveDeviceCode } from '../helpers/oidc-server.js';
import { RESOURCE_SCOPE as SCOPE, startResourceWorld } from '../helpers/protected-resource.js';
import type { ProtectedResource } from '../helpers/protected-resource.js';
import { headlessMachine, laptop, printedAuthorizationUrl, startCli } from '../browser-side/helpers.js';
import { machine, startLogin } from '../headless-side/helpers.js';

const browser = sharedBrowser(test);

const world = startResourceWorld;

/** oidc-provider's sign-in and consent pages, as a person would use them. */
async function signInAndConsent(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.fill('input[name="login"]', 'user-1');
  await page.fill('input[name="password"]', 'any');
  await page.click('button[type="submit"]');
  await page.waitForSelector('input[name="prompt"][value="consent"]', { state: 'attached' });
}

const callResource = (rs: ProtectedResource, token: string) => fetch(rs.url, { headers: { authorization: `Bearer ${token}` } });

test.serial('authorize --resource URL alone: discovery, registration, Chromium approves; import, token and refresh on the server, and the resource accepts the tokens', async (t) => {
  const { rs, op } = await world(t);
  const server = await headlessMachine(t);
  const lap = await laptop(t);
  const cli = startCli(t, ['authorize', '--resource', rs.url, '--name', 'mcp', '--no-browser', '--to', server.publicKey, '-o', `${lap.base}/mcp.ohs`], lap.env);
  const url = await printedAuthorizationUrl(cli);
  t.true(url.href.startsWith(`${op.issuer}/auth?`), 'the authorization server came from the resource metadata');
  t.is(url.searchParams.get('resource'), rs.url, 'RFC 8707 resource indicator');
  t.is(url.searchParams.get('code_challenge_method'), 'S256');
  t.is(url.searchParams.get('scope'), SCOPE, 'the scopes the resource lists');
  t.regex(cli.stderr(), /registered the client \S+ at .*\/reg/);

  const page = await (await browser()).newPage(t);
  await signInAndConsent(page, url.href);
  await page.click('button[type="submit"]');
  await page.waitForSelector('#result[data-result="ok"]');
  const res = await cli.done;
  t.is(res.code, 0, res.stderr);

  const imp = await runCli(['import', `${lap.base}/mcp.ohs`], { env: server.env });
  t.is(imp.code, 0, imp.stderr);
  const status = await runCli(['status', 'mcp', '--json'], { env: server.env });
  const s = JSON.parse(status.stdout) as { resource?: string; client_id?: string; client_secret_expires_at?: string };
  t.is(s.resource, rs.url);
  t.truthy(s.client_id);
  t.is(s.client_secret_expires_at, undefined, 'a public client has no secret to expire');

  const tok = await runCli(['token', 'mcp'], { env: server.env });
  t.is(tok.code, 0, tok.stderr);
  t.is((await callResource(rs, tok.stdout.trim())).status, 200, 'the resource accepts the token');

  const rf = await runCli(['refresh', 'mcp'], { env: server.env });
  t.is(rf.code, 0, rf.stderr);
  const tok2 = await runCli(['token', 'mcp'], { env: server.env });
  t.not(tok2.stdout.trim(), tok.stdout.trim());
  t.is((await callResource(rs, tok2.stdout.trim())).status, 200, 'the refreshed token (with the resource indicator) is accepted too');

  // forget --revoke --delete-client: the grant is revoked and the registered client deleted (RFC 7592)
  const forget = await runCli(['forget', 'mcp', '--revoke', '--delete-client', '--json'], { env: server.env });
  t.is(forget.code, 0, forget.stderr);
  t.deepEqual(JSON.parse(forget.stdout), { name: 'mcp', forgotten: true, revoked: true, client_deleted: true });
  const gone = await fetch(`${op.issuer}/reg/${encodeURIComponent(s.client_id!)}`, { headers: { authorization: 'Bearer x' } });
  t.true(gone.status >= 400, 'the client configuration endpoint no longer serves it');
});

test.serial('login --paste --resource URL on the server: the address Chromium lands on, pasted back, stores a credential the resource accepts', async (t) => {
  const { rs } = await world(t);
  const m = await machine(t);
  const login = startLogin(t, ['--paste', '--resource', rs.url, '--name', 'mcp'], m.env);
  const url = await login.authorizationUrl();
  const redirect = new URL(url).searchParams.get('redirect_uri')!;
  t.regex(redirect, /^http:\/\/127\.0\.0\.1:\d+\/callback$/, 'a loopback port of its choosing: the client was registered without one');
  t.is(new URL(url).searchParams.get('resource'), rs.url);

  const page = await (await browser()).newPage(t);
  await signInAndConsent(page, url);
  const landed = page.waitForRequest((req) => req.url().startsWith(redirect), { timeout: 15_000 });
  await page.click('button[type="submit"]', { noWaitAfter: true });
  login.paste((await landed).url());
  const r = await login.done;
  t.is(r.code, 0, r.stderr);
  t.regex(r.stderr, /resource: +http:\/\/127\.0\.0\.1:\d+\/mcp/, 'the status table shows the resource');

  const tok = await runCli(['token', 'mcp'], { env: m.env });
  t.is((await callResource(rs, tok.stdout.trim())).status, 200);
  const rf = await runCli(['refresh', 'mcp'], { env: m.env });
  t.is(rf.code, 0, rf.stderr);
  t.is((await callResource(rs, (await runCli(['token', 'mcp'], { env: m.env })).stdout.trim())).status, 200);
});

test.serial('login --resource URL where the server offers the device grant: the registered client may use it, Chromium enters the code, the resource accepts the token', async (t) => {
  const { rs } = await world(t, { deviceFlow: true });
  const m = await machine(t);
  const run = startLogin(t, ['--resource', rs.url, '--name', 'mcp-device'], m.env);
  const shown = await run.waitForStderr(/open (\S+) and enter this code:\n\n {4}(\S+)\n/);
  t.regex(run.stderr(), /using --device/);
  await approveDeviceCode(await (await browser()).newPage(t), shown[1] as string, shown[2] as string);
  const r = await run.done;
  t.is(r.code, 0, r.stderr);
  const tok = await runCli(['token', 'mcp-device'], { env: m.env });
  t.is((await callResource(rs, tok.stdout.trim())).status, 200, 'a device-grant token for the resource (RFC 8707 on the device requests)');
});

/** The same start from a resource URL on both sides: `authorize` on a laptop, `login --paste` on the server. */
const bothSides = (resource: string, serverKey: string): string[][] => [
  ['authorize', '--resource', resource, '--no-browser', '--to', serverKey],
  ['login', '--paste', '--resource', resource],
];

test.serial('a resource whose metadata names a different resource is refused: exit 5, nothing registered', async (t) => {
  const { rs } = await world(t, { resource: { claimResource: 'https://elsewhere.example/mcp' } });
  const lap = await laptop(t);
  const server = await headlessMachine(t);
  for (const args of bothSides(rs.url, server.publicKey)) {
    const r = await runCli(args, { env: lap.env });
    t.is(r.code, 5, r.stderr);
    t.regex(r.stderr, /is for the resource https:\/\/elsewhere\.example\/mcp, not http:\/\/127\.0\.0\.1:\d+\/mcp/);
    t.notRegex(r.stderr, /registered the client/);
  }
});

test.serial('a server without a registration endpoint: exit 2 asking for --client-id', async (t) => {
  const { rs } = await world(t, { registration: false });
  const lap = await laptop(t);
  const server = await headlessMachine(t);
  for (const args of bothSides(rs.url, server.publicKey)) {
    const r = await runCli(args, { env: lap.env });
    t.is(r.code, 2, r.stderr);
    t.regex(r.stderr, /offers no dynamic client registration \(RFC 7591\), so give --client-id/);
  }
});
