import test from 'ava';
import { refreshTokenId, type LogEntry } from '../../src/sandbox/index.js';
import { approve, callApi, clock, exchange, postForm, refresh, start } from './helpers.js';

test('queued status faults answer the next matching token requests, then the server is back', async (t) => {
  const s = await start(t);
  const tok = await s.mintGrant();
  s.injectFault({ status: 503, count: 2, retryAfter: 7 });
  const a = await refresh(s, tok.refresh_token!);
  const b = await refresh(s, tok.refresh_token!);
  t.is(a.status, 503);
  t.is(a.headers.get('retry-after'), '7');
  t.is(a.body.error, 'temporarily_unavailable');
  t.is(b.status, 503);
  t.is((await refresh(s, tok.refresh_token!)).status, 200, 'a fault does not spend the refresh token');
  t.deepEqual(
    s.log().map((e) => [e.status, e.fault]),
    [
      [503, 'status'],
      [503, 'status'],
      [200, undefined],
    ],
  );
});

test('a fault can target one grant type; a custom body is sent as given', async (t) => {
  const s = await start(t, { autoApprove: true });
  s.injectFault({ status: 500, grantType: 'refresh_token', body: '<html>Internal Server Error</html>' });
  const cb = 'http://127.0.0.1:5010/cb';
  const code = (await approve(s, { redirectUri: cb })).searchParams.get('code')!;
  const ex = await exchange(s, code, cb);
  t.is(ex.status, 200, 'the code exchange does not match the fault');
  const r = await refresh(s, ex.body.refresh_token);
  t.is(r.status, 500);
  t.is(r.text, '<html>Internal Server Error</html>');
  t.regex(r.headers.get('content-type') ?? '', /text\/html/);
});

test('a 429 fault carries Retry-After', async (t) => {
  const s = await start(t);
  const tok = await s.mintGrant();
  s.injectFault({ status: 429, retryAfter: 3 });
  const r = await refresh(s, tok.refresh_token!);
  t.is(r.status, 429);
  t.is(r.headers.get('retry-after'), '3');
});

test('a delay fault slows the answer down, then processes the request', async (t) => {
  const s = await start(t);
  const tok = await s.mintGrant();
  s.injectFault({ delayMs: 300 });
  const t0 = Date.now();
  const r = await refresh(s, tok.refresh_token!);
  t.true(Date.now() - t0 >= 290);
  t.is(r.status, 200);
  t.is(s.log().at(-1)!.fault, 'delay');
});

test('a reset fault drops the connection without an answer', async (t) => {
  const s = await start(t);
  const tok = await s.mintGrant();
  s.injectFault({ reset: true });
  await t.throwsAsync(refresh(s, tok.refresh_token!));
  t.is((await refresh(s, tok.refresh_token!)).status, 200, 'the reset request was not processed');
  t.deepEqual(s.log()[0], { ...s.log()[0]!, status: 0, fault: 'reset' });
});

test('a reset after processing loses the response of a rotation that happened', async (t) => {
  const g = await start(t);
  const gt = await g.mintGrant();
  g.injectFault({ reset: true, afterProcessing: true });
  await t.throwsAsync(refresh(g, gt.refresh_token!));
  t.is((await refresh(g, gt.refresh_token!)).body.error, 'invalid_grant', 'generic: the token was rotated');

  const rm = await start(t, { profile: 'redmine' });
  const rt = await rm.mintGrant();
  rm.injectFault({ reset: true, afterProcessing: true });
  await t.throwsAsync(refresh(rm, rt.refresh_token!));
  t.is((await refresh(rm, rt.refresh_token!)).status, 200, 'redmine: the old token works until the new one is used');
});

test('a garbage fault answers 200 with a body that is not JSON', async (t) => {
  const s = await start(t);
  const tok = await s.mintGrant();
  s.injectFault({ status: 200, garbage: true });
  const r = await refresh(s, tok.refresh_token!);
  t.is(r.status, 200);
  t.is(r.body, undefined);
  t.true(r.text.length > 0);
});

test('invalid faults are refused', (t) => {
  return start(t).then((s) => {
    t.throws(() => s.injectFault({ status: 404 } as never));
    t.throws(() => s.injectFault({ delayMs: -1 }));
    t.throws(() => s.injectFault({ reset: true, count: 0 }));
  });
});

test('backlog: beyond the per-minute limit, 429 with X-RateLimit headers; the next minute is fine', async (t) => {
  const c = clock(Date.UTC(2030, 0, 1, 0, 0, 10));
  const s = await start(t, { profile: 'backlog', rateLimitPerMinute: 3, now: c.now });
  const tok = await s.mintGrant();
  let rt = tok.refresh_token!;
  for (let i = 0; i < 3; i++) {
    const r = await refresh(s, rt);
    t.is(r.status, 200);
    t.is(r.headers.get('x-ratelimit-remaining'), String(2 - i));
    rt = r.body.refresh_token;
  }
  const limited = await refresh(s, rt);
  t.is(limited.status, 429);
  t.is(limited.headers.get('x-ratelimit-limit'), '3');
  t.is(limited.headers.get('x-ratelimit-remaining'), '0');
  t.is(limited.headers.get('x-ratelimit-reset'), String(Date.UTC(2030, 0, 1, 0, 1, 0) / 1000));
  t.is((await callApi(s, tok.access_token)).status, 429, 'the API shares the limit');
  c.advance(50);
  t.is((await refresh(s, rt)).status, 200);
});

test('the control API works over HTTP for tests in other processes', async (t) => {
  const s = await start(t, { profile: 'redmine' });
  const info = (await (await fetch(`${s.url}/_sandbox/info`)).json()) as { profile: string; client: { id: string; redirect_uris: string[] }; endpoints: { token_info: string } };
  t.is(info.profile, 'redmine');
  t.is(info.client.id, s.client.id);
  t.deepEqual(info.client.redirect_uris, s.client.redirectUris);
  t.is(info.endpoints.token_info, s.endpoints.tokenInfo!);

  const minted = await fetch(`${s.url}/_sandbox/grants`, { method: 'POST', body: JSON.stringify({ scope: 'view_issues log_time' }) });
  t.is(minted.status, 200);
  const { token, client } = (await minted.json()) as { token: { refresh_token: string; scope: string }; client: { secret?: string } };
  t.is(token.scope, 'view_issues log_time');
  t.is(client.secret, s.client.secret);

  const queued = await fetch(`${s.url}/_sandbox/faults`, { method: 'POST', body: JSON.stringify([{ status: 500 }, { delay_ms: 10 }]) });
  t.is(queued.status, 200);
  t.is((await refresh(s, token.refresh_token)).status, 500);
  t.is((await refresh(s, token.refresh_token)).status, 200);
  const bad = await fetch(`${s.url}/_sandbox/faults`, { method: 'POST', body: JSON.stringify({ status: 418 }) });
  t.is(bad.status, 400);

  // the JSON it prints is snake_case, as all oauth-handoff JSON is
  const log = (await (await fetch(`${s.url}/_sandbox/log`)).json()) as (Omit<LogEntry, 'refreshTokenId'> & { refresh_token_id?: string })[];
  t.deepEqual(
    log.map((e) => [e.path, e.status, e.refresh_token_id]),
    [
      ['/oauth/token', 500, refreshTokenId(token.refresh_token)],
      ['/oauth/token', 200, refreshTokenId(token.refresh_token)],
    ],
    'control requests are not logged',
  );
  t.is((await fetch(`${s.url}/_sandbox/reset-log`, { method: 'POST' })).status, 204);
  t.deepEqual(await (await fetch(`${s.url}/_sandbox/log`)).json(), []);
});

test('the request log never contains a token, code or secret', async (t) => {
  const s = await start(t, { profile: 'redmine' });
  const secrets: string[] = [s.client.secret!];
  const OOB = 'urn:ietf:wg:oauth:2.0:oob';
  const back = await approve(s, { redirectUri: OOB });
  const code = back.searchParams.get('code')!;
  secrets.push(code);
  await (await fetch(back)).text();
  const tok = (await exchange(s, code, OOB)).body;
  await exchange(s, code, OOB);
  secrets.push(tok.access_token, tok.refresh_token);
  const next = (await refresh(s, tok.refresh_token)).body;
  secrets.push(next.access_token, next.refresh_token);
  await callApi(s, next.access_token);
  await refresh(s, tok.refresh_token);
  await fetch(s.endpoints.tokenInfo!, { headers: { Authorization: `Bearer ${next.access_token}` } });
  await postForm(s.endpoints.revocation!, { token: next.refresh_token, ...{ client_id: s.client.id, client_secret: s.client.secret } });

  const log = s.log();
  t.true(log.length >= 8);
  const text = JSON.stringify(log) + (await (await fetch(`${s.url}/_sandbox/log`)).text());
  for (const secret of secrets) t.false(text.includes(secret));
  t.true(log.some((e) => e.refreshTokenId === refreshTokenId(tok.refresh_token) && e.replay === true));
});
