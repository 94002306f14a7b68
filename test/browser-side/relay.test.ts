/**
 * `relay URL`: the laptop catches the loopback redirect of an authorization
 * request the headless machine made, prints it, and never exchanges the code.
 */
import test from 'ava';
import type { ExecutionContext } from 'ava';
import {
  authorizationCodeGrantRequest,
  buildAuthorizationUrl,
  createHttpClient,
  createPkce,
  createState,
  parseAuthorizationResponse,
  processTokenResponse,
} from '../../src/oauth/index.js';
import { startSandbox } from '../../src/sandbox/index.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { runCli } from '../helpers/cli.js';
import { freePort, get, laptop, startCli } from './helpers.js';

/** What `login --paste` on the headless machine would print: a request with a loopback redirect, PKCE and state. */
async function headlessRequest(t: ExecutionContext, autoApprove = true) {
  const sandbox: Sandbox = await startSandbox({ profile: 'redmine', autoApprove });
  t.teardown(() => sandbox.close());
  const redirectUri = `http://127.0.0.1:${await freePort()}/callback`;
  const pkce = createPkce();
  const state = createState();
  const url = buildAuthorizationUrl(
    { authorization: sandbox.endpoints.authorization, token: sandbox.endpoints.token },
    { clientId: sandbox.client.id, redirectUri, scope: 'view_issues', state, pkce },
  );
  return { sandbox, redirectUri, pkce, state, url };
}

test('relay catches the redirect on the laptop, prints exactly the redirect URL, and never exchanges the code', async (t) => {
  const r = await headlessRequest(t);
  const lap = await laptop(t);
  const cli = startCli(t, ['relay', r.url, '--no-browser', '--timeout', '30'], lap.env);
  await cli.waitForStderr(/listening on http:\/\/127\.0\.0\.1:\d+\/callback/);
  t.true(cli.stderr().includes(r.url), 'the URL is shown to open');

  const landed = await fetch(r.url); // the browser: approval (automatic here), then the redirect to the relay
  t.is(landed.status, 200);
  t.regex(await landed.text(), /You can close this tab/);
  const res = await cli.done;
  t.is(res.code, 0, res.stderr);
  const lines = res.stdout.split('\n');
  t.is(lines.length, 2, 'one line and its newline: safe to pipe into `login --paste`');
  const { code } = parseAuthorizationResponse(lines[0]!, { state: r.state, allowMissingState: false, redirectUri: r.redirectUri });
  t.regex(res.stderr, /caught the redirect/);
  t.false(res.stderr.includes(code), 'the code is only in the line to paste (stdout), not in the messages');
  t.is(r.sandbox.log().filter((e) => e.grantType !== undefined).length, 0, 'relay made no token request');

  // the headless machine, holding the verifier, can exchange it
  const http = await createHttpClient({ timeoutMs: 10_000 });
  const tokens = processTokenResponse(
    await authorizationCodeGrantRequest(http, { token: r.sandbox.endpoints.token }, { id: r.sandbox.client.id, secret: r.sandbox.client.secret!, auth_method: 'client_secret_basic' }, {
      code,
      redirectUri: r.redirectUri,
      codeVerifier: r.pkce.verifier,
    }),
  );
  t.true(r.sandbox.isAccessTokenValid(tokens.access_token));
});

test('relay refuses a redirect with another state and keeps waiting; --json gives the URL and the code', async (t) => {
  const r = await headlessRequest(t);
  const lap = await laptop(t);
  const cli = startCli(t, ['relay', r.url, '--no-browser', '--json', '--timeout', '30'], lap.env);
  await cli.waitForStderr(/listening on/);
  t.like(await get(`${r.redirectUri}?code=forged&state=other`), { status: 400 });
  await cli.waitForStderr(/refused a redirect whose state does not match/);
  await fetch(r.url).then((res) => res.arrayBuffer());
  const res = await cli.done;
  t.is(res.code, 0, res.stderr);
  const j = JSON.parse(res.stdout);
  t.true(j.redirect_url.startsWith(`${r.redirectUri}?`));
  t.is(j.state, r.state);
  t.is(typeof j.code, 'string');
  t.not(j.code, 'forged');
});

test('relay passes a provider error on (stdout) and exits non-zero', async (t) => {
  const r = await headlessRequest(t);
  const lap = await laptop(t);
  const cli = startCli(t, ['relay', r.url, '--no-browser', '--timeout', '30'], lap.env);
  await cli.waitForStderr(/listening on/);
  await get(`${r.redirectUri}?error=access_denied&state=${encodeURIComponent(r.state)}`);
  const res = await cli.done;
  t.is(res.code, 1, res.stderr);
  t.regex(res.stdout, /error=access_denied/);
  t.regex(res.stderr, /access_denied/);
});

test('relay --json with a provider error: one JSON document on stdout, the error inside it (not a second object)', async (t) => {
  const r = await headlessRequest(t);
  const lap = await laptop(t);
  const cli = startCli(t, ['relay', r.url, '--no-browser', '--json', '--timeout', '30'], lap.env);
  await cli.waitForStderr(/listening on/);
  await get(`${r.redirectUri}?error=access_denied&state=${encodeURIComponent(r.state)}`);
  const res = await cli.done;
  t.is(res.code, 1, res.stderr);
  const j = JSON.parse(res.stdout) as { redirect_url: string; code: null; state: string; error: { code: string; exit: number; message: string } };
  t.regex(j.redirect_url, /error=access_denied/);
  t.is(j.code, null);
  t.like(j.error, { code: 'ABORTED', exit: 1 });
  t.regex(j.error.message, /denied/);
});

test('relay refuses what it cannot relay: out-of-band URLs, non-loopback redirects, a redirect URL instead of the request (exit 2)', async (t) => {
  const lap = await laptop(t);
  const oob = await runCli(['relay', 'https://redmine.example.com/oauth/authorize?response_type=code&client_id=a&redirect_uri=urn%3Aietf%3Awg%3Aoauth%3A2.0%3Aoob&state=s'], { env: lap.env });
  t.is(oob.code, 2);
  t.regex(oob.stderr, /out-of-band redirect .*no relay is needed/);
  const remote = await runCli(['relay', 'https://as.example.com/authorize?response_type=code&client_id=a&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb'], { env: lap.env });
  t.is(remote.code, 2);
  t.regex(remote.stderr, /cannot be received on this machine/);
  const redirect = await runCli(['relay', 'http://127.0.0.1:8765/callback?code=abc&state=s'], { env: lap.env });
  t.is(redirect.code, 2);
  t.regex(redirect.stderr, /redirect URL .*not the authorization URL/);
});

test('relay gives up at its time limit with a clear error', async (t) => {
  const r = await headlessRequest(t, false);
  const lap = await laptop(t);
  const res = await runCli(['relay', r.url, '--no-browser', '--timeout', '1'], { env: lap.env });
  t.is(res.code, 1);
  t.regex(res.stderr, /no redirect reached http:\/\/127\.0\.0\.1:\d+\/callback within 1 s/);
  t.is(res.stdout, '');
});
