/**
 * `login --paste` end to end with a real browser (Chromium via playwright-core):
 * the headless CLI prints the URL, Chromium approves on the sandbox's page,
 * and what the person would carry back — the relay's output, the address bar
 * of the connection-error page, or the code on Redmine's out-of-band page —
 * goes into the CLI's stdin. The stored credential must yield a working token.
 */
import test from 'ava';
import type { ExecutionContext } from 'ava';
import { spawn } from 'node:child_process';
import { startSandbox } from '../../src/sandbox/index.js';
import type { Sandbox, SandboxOptions } from '../../src/sandbox/index.js';
import { BIN, ROOT, trackChildren } from '../helpers/cli.js';
import { sharedBrowser } from '../helpers/browser.js';
import { machine, startLogin, storedNames, tokenOf } from './helpers.js';
import { freePort } from '../helpers/net.js';

const browser = sharedBrowser(test);

async function sandbox(t: ExecutionContext, opts: SandboxOptions): Promise<Sandbox> {
  const s = await startSandbox(opts);
  t.teardown(() => s.close());
  return s;
}


test('Chromium approves, the laptop relay catches the loopback redirect, and its output piped into login stores a working credential', async (t) => {
  const sb = await sandbox(t, { profile: 'redmine' });
  const m = await machine(t, { OAUTH_HANDOFF_CLIENT_SECRET: sb.client.secret });
  const login = startLogin(t, ['--paste', '--provider', 'redmine', '--site', sb.url, '--client-id', sb.client.id, '--redirect', 'loopback', '--name', 'relayed'], m.env);
  const url = await login.authorizationUrl();
  const relayLine = (await login.waitForStderr(/^ {4}oauth-handoff relay '([^']+)'$/m))[1];
  t.is(relayLine, url, 'the relay command carries the same URL');

  // the laptop: `oauth-handoff relay URL | ssh server oauth-handoff login --paste …`
  const laptop = await machine(t);
  const relay = trackChildren(t)(spawn(process.execPath, [BIN, 'relay', url, '--no-browser', '--timeout', '60'], { env: laptop.env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] }));
  let relayErr = '';
  relay.stderr!.setEncoding('utf8').on('data', (d: string) => (relayErr += d));
  relay.stdout!.pipe(login.child.stdin!);
  for (let i = 0; i < 400 && !/listening on/.test(relayErr); i++) await new Promise((r) => setTimeout(r, 25));
  t.regex(relayErr, /listening on http:\/\/127\.0\.0\.1:\d+\/callback/);

  const page = await (await browser()).newPage(t);
  await page.goto(url);
  await page.click('#approve');
  const r = await login.done;
  t.is(r.code, 0, `${r.stderr}\nrelay: ${relayErr}`);
  t.regex(r.stderr, /relayed {2}\(redmine /);
  const tok = await tokenOf(m, 'relayed');
  t.true(sb.isAccessTokenValid(tok.stdout.trim()), 'the stored access token works');
  t.false(relayErr.includes(tok.stdout.trim()), 'the relay never saw a token: it does not exchange the code');
});

test('without a relay the browser shows a connection error at the loopback URL; that address, pasted, completes the login', async (t) => {
  const sb = await sandbox(t, { profile: 'generic' });
  const m = await machine(t, { OAUTH_HANDOFF_CLIENT_SECRET: sb.client.secret });
  const redirectUri = `http://127.0.0.1:${await freePort()}/callback`;
  const login = startLogin(
    t,
    ['--paste', '--issuer', sb.url, '--client-id', sb.client.id, '--redirect-uri', redirectUri, '--name', 'addressbar'],
    m.env,
  );
  const url = await login.authorizationUrl();
  const page = await (await browser()).newPage(t);
  await page.goto(url);
  // what the address bar shows once the redirect fails to connect
  const landed = page.waitForRequest((req) => req.url().startsWith(redirectUri), { timeout: 15_000 });
  const failed = page.waitForEvent('requestfailed', { predicate: (req) => req.url().startsWith(redirectUri), timeout: 15_000 });
  await page.click('#approve', { noWaitAfter: true });
  const addressBar = (await landed).url();
  t.regex((await failed).failure()?.errorText ?? '', /ERR_CONNECTION_REFUSED/, 'the browser shows a connection error there');
  login.paste(addressBar);
  const r = await login.done;
  t.is(r.code, 0, r.stderr);
  t.true(sb.isAccessTokenValid((await tokenOf(m, 'addressbar')).stdout.trim()));
});

test("Redmine's out-of-band flow: Chromium approves, the code shown on the page is piped in, and the credential works", async (t) => {
  const sb = await sandbox(t, { profile: 'redmine' });
  const m = await machine(t, { OAUTH_HANDOFF_CLIENT_SECRET: sb.client.secret });
  const login = startLogin(t, ['--paste', '--provider', 'redmine', '--site', sb.url, '--client-id', sb.client.id, '--redirect', 'oob', '--name', 'oob'], m.env);
  const url = await login.authorizationUrl();
  const page = await (await browser()).newPage(t);
  await page.goto(url);
  await page.click('#approve');
  await page.waitForURL(/\/oauth\/authorize\/native\?code=/);
  t.regex((await page.textContent('h1')) ?? '', /Authorization code:/);
  const code = ((await page.textContent('#authorization_code')) ?? '').trim();
  t.regex(code, /^\S{20,}$/);
  login.paste(code);
  const r = await login.done;
  t.is(r.code, 0, r.stderr);
  t.deepEqual(await storedNames(m.home), ['oob']);
  t.true(sb.isAccessTokenValid((await tokenOf(m, 'oob')).stdout.trim()));
});
