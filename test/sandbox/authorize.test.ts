import test from 'ava';
import type { SandboxClient } from '../../src/sandbox/index.js';
import { approve, authorizeUrl, codeFor, decide, exchange, openApprovalPage, pkce, start } from './helpers.js';

const CB = 'http://127.0.0.1:5001/callback';

test('the approval page shows the client and scopes and has approve and deny buttons', async (t) => {
  const s = await start(t);
  const page = await openApprovalPage(s, { redirectUri: CB, scope: 'read write', state: 's1' });
  t.is(page.status, 200);
  t.regex(page.html, /<title>[^<]*Authorize[^<]*<\/title>/);
  t.regex(page.html, /<button[^>]*id="approve"/);
  t.regex(page.html, /<button[^>]*id="deny"/);
  t.regex(page.html, /<form method="post"/);
  t.true(page.html.includes('oauth-handoff sandbox client'));
  t.true(page.html.includes('<li>read</li>') && page.html.includes('<li>write</li>'));
  t.truthy(page.tx);
});

test('approving redirects back to the redirect URI with a code and the state', async (t) => {
  const s = await start(t);
  const back = await approve(s, { redirectUri: CB, state: 'xyz' });
  t.is(`${back.origin}${back.pathname}`, CB);
  t.is(back.searchParams.get('state'), 'xyz');
  t.regex(back.searchParams.get('code') ?? '', /^[A-Za-z0-9_-]{20,}$/);
});

test('denying redirects back with error=access_denied and the state', async (t) => {
  const s = await start(t);
  const page = await openApprovalPage(s, { redirectUri: CB, state: 'st' });
  const d = await decide(s, page.tx!, 'deny');
  const back = new URL(d.location!);
  t.is(back.searchParams.get('error'), 'access_denied');
  t.is(back.searchParams.get('state'), 'st');
  t.is(back.searchParams.get('code'), null);
});

test('an approval page can be answered only once', async (t) => {
  const s = await start(t);
  const page = await openApprovalPage(s, { redirectUri: CB });
  t.is((await decide(s, page.tx!, 'approve')).status, 303);
  const again = await decide(s, page.tx!, 'approve');
  t.is(again.status, 400);
  t.is(again.location, null);
});

test('autoApprove sends the browser straight back with a code', async (t) => {
  const s = await start(t, { autoApprove: true });
  const r = await fetch(authorizeUrl(s, { redirectUri: CB, state: 'a' }), { redirect: 'manual' });
  t.is(r.status, 302);
  const back = new URL(r.headers.get('location')!);
  t.truthy(back.searchParams.get('code'));
  t.is(back.searchParams.get('state'), 'a');
});

test('an unregistered redirect URI gets an error page, never a redirect', async (t) => {
  const s = await start(t, { autoApprove: true });
  for (const uri of ['https://attacker.example/cb', 'http://example.com/cb', 'http://127.0.0.1:5000/cb#frag']) {
    const r = await fetch(authorizeUrl(s, { redirectUri: uri, state: 'x' }), { redirect: 'manual' });
    t.is(r.status, 400, uri);
    t.is(r.headers.get('location'), null, uri);
    t.regex(await r.text(), /redirect_uri is not registered/);
  }
});

test('an unknown client gets an error page', async (t) => {
  const s = await start(t, { autoApprove: true });
  const r = await fetch(authorizeUrl(s, { redirectUri: CB, client: { id: 'nobody', redirectUris: [] } }), { redirect: 'manual' });
  t.is(r.status, 400);
  t.is(r.headers.get('location'), null);
});

test('errors after the redirect URI is known go back to it (unsupported response_type, bad scope)', async (t) => {
  const s = await start(t, { autoApprove: true });
  const r1 = await fetch(authorizeUrl(s, { redirectUri: CB, responseType: 'token', state: 'q' }), { redirect: 'manual' });
  const b1 = new URL(r1.headers.get('location')!);
  t.is(b1.searchParams.get('error'), 'unsupported_response_type');
  t.is(b1.searchParams.get('state'), 'q');
  const r2 = await fetch(authorizeUrl(s, { redirectUri: CB, scope: 'read root' }), { redirect: 'manual' });
  t.is(new URL(r2.headers.get('location')!).searchParams.get('error'), 'invalid_scope');
});

async function redirectAccepted(s: Awaited<ReturnType<typeof start>>, uri: string, client?: SandboxClient): Promise<boolean> {
  const r = await fetch(authorizeUrl(s, client ? { redirectUri: uri, client } : { redirectUri: uri }), { redirect: 'manual' });
  await r.arrayBuffer();
  if (r.status === 400) return false;
  t_assert(r.status === 302, `unexpected status ${r.status}`);
  return true;
}
function t_assert(cond: boolean, msg: string): void {
  if (!cond) throw new Error(msg);
}

test('redmine: 127.0.0.1 registered without a port matches any port; localhost needs the exact port; [::1] is refused', async (t) => {
  const client: SandboxClient = {
    id: 'rm',
    secret: 'rm-secret',
    redirectUris: ['http://127.0.0.1/cb', 'http://localhost:8080/cb', 'http://[::1]:8080/cb', 'http://127.0.0.1:9000/fixed'],
  };
  const s = await start(t, { profile: 'redmine', autoApprove: true, clients: [client] });
  t.true(await redirectAccepted(s, 'http://127.0.0.1/cb', client));
  t.true(await redirectAccepted(s, 'http://127.0.0.1:51234/cb', client));
  t.true(await redirectAccepted(s, 'http://127.0.0.1:1/cb', client));
  t.false(await redirectAccepted(s, 'http://127.0.0.1:51234/other', client), 'the path must match');
  t.true(await redirectAccepted(s, 'http://localhost:8080/cb', client));
  t.false(await redirectAccepted(s, 'http://localhost:8081/cb', client), 'localhost: exact port');
  t.false(await redirectAccepted(s, 'http://localhost/cb', client));
  t.false(await redirectAccepted(s, 'http://[::1]:8080/cb', client), '[::1] is refused even when registered');
  t.true(await redirectAccepted(s, 'http://127.0.0.1:9000/fixed', client));
  t.false(await redirectAccepted(s, 'http://127.0.0.1:9001/fixed', client), 'registered with a port: exact');
});

test('confluence and jira: http only for the host localhost with the exact port; 127.0.0.1 is refused', async (t) => {
  for (const profile of ['confluence', 'jira'] as const) {
    const client: SandboxClient = {
      id: 'c',
      secret: 'c-secret',
      redirectUris: ['http://localhost:8765/cb', 'http://127.0.0.1:8765/cb', 'https://app.example/cb'],
    };
    const s = await start(t, { profile, autoApprove: true, clients: [client] });
    t.true(await redirectAccepted(s, 'http://localhost:8765/cb', client), profile);
    t.false(await redirectAccepted(s, 'http://localhost:8766/cb', client), profile);
    t.false(await redirectAccepted(s, 'http://127.0.0.1:8765/cb', client), `${profile}: 127.0.0.1 even when registered`);
    t.true(await redirectAccepted(s, 'https://app.example/cb', client), profile);
  }
});

test('backlog and questetra: the redirect URI must equal the registered one exactly', async (t) => {
  for (const profile of ['backlog', 'questetra'] as const) {
    const s = await start(t, { profile, autoApprove: true });
    const registered = s.client.redirectUris[0]!;
    t.true(await redirectAccepted(s, registered), profile);
    t.false(await redirectAccepted(s, registered.replace('/callback', '/callback2')), profile);
    t.false(await redirectAccepted(s, registered.replace(/:\d+\//, ':1/')), profile);
  }
});

test('generic: any loopback redirect URI is accepted', async (t) => {
  const s = await start(t, { autoApprove: true });
  t.true(await redirectAccepted(s, 'http://127.0.0.1:40000/anything'));
  t.true(await redirectAccepted(s, 'http://localhost:40001/cb'));
  t.true(await redirectAccepted(s, 'http://[::1]:40002/cb'));
  t.false(await redirectAccepted(s, 'http://192.168.1.2:40000/cb'));
});

test('redmine out-of-band: the browser lands on the native page with the code and no state', async (t) => {
  const s = await start(t, { profile: 'redmine' });
  const OOB = 'urn:ietf:wg:oauth:2.0:oob';
  t.true(s.client.redirectUris.includes(OOB));
  const back = await approve(s, { redirectUri: OOB, state: 'must-not-appear' });
  t.is(back.origin, s.url);
  t.is(back.pathname, '/oauth/authorize/native');
  t.is(back.searchParams.get('state'), null);
  t.false(back.toString().includes('must-not-appear'));
  const code = back.searchParams.get('code')!;
  const page = await fetch(back);
  const html = await page.text();
  t.is(page.status, 200);
  t.true(html.includes('Authorization code:'));
  t.true(html.includes(`<code id="authorization_code">${code}</code>`));
  const tok = await exchange(s, code, OOB);
  t.is(tok.status, 200);
  t.truthy(tok.body.refresh_token);
});

test('redmine PKCE: plain and S256 in exact case; a challenge needs its method', async (t) => {
  const s = await start(t, { profile: 'redmine', autoApprove: true });
  const { challenge } = pkce();
  const err = async (method?: string) => {
    const r = await fetch(authorizeUrl(s, method === undefined ? { redirectUri: CB, challenge } : { redirectUri: CB, challenge, method }), {
      redirect: 'manual',
    });
    return new URL(r.headers.get('location')!).searchParams.get('error');
  };
  t.is(await err('S256'), null);
  t.is(await err('plain'), null);
  t.is(await err(undefined), 'invalid_request');
  t.is(await err('s256'), 'invalid_request');
  t.is(await err('PLAIN'), 'invalid_request');
});

test('confluence PKCE methods match case-insensitively; generic accepts only S256', async (t) => {
  const c = await start(t, { profile: 'confluence', autoApprove: true });
  const { verifier, challenge } = pkce();
  const redirectUri = c.client.redirectUris[0]!;
  const code = (await codeFor(c, { redirectUri, challenge, method: 's256' }));
  t.is((await exchange(c, code, redirectUri, { code_verifier: verifier })).status, 200);
  const r = await fetch(authorizeUrl(c, { redirectUri, challenge: verifier, method: 'PLAIN' }), { redirect: 'manual' });
  t.is(new URL(r.headers.get('location')!).searchParams.get('error'), null);

  const g = await start(t, { autoApprove: true });
  const r2 = await fetch(authorizeUrl(g, { redirectUri: CB, challenge: verifier, method: 'plain' }), { redirect: 'manual' });
  t.is(new URL(r2.headers.get('location')!).searchParams.get('error'), 'invalid_request');
});

test('a client that requires PKCE cannot start without a code_challenge', async (t) => {
  const client: SandboxClient = { id: 'pub', redirectUris: ['http://localhost:8765/callback'], requirePkce: true };
  const s = await start(t, { profile: 'questetra', autoApprove: true, clients: [client] });
  const r = await fetch(authorizeUrl(s, { client, redirectUri: 'http://localhost:8765/callback' }), { redirect: 'manual' });
  t.is(new URL(r.headers.get('location')!).searchParams.get('error'), 'invalid_request');
});
