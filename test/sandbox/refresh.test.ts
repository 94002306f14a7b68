import test from 'ava';
import { refreshTokenId, type SandboxProfileId } from '../../src/sandbox/index.js';
import { callApi, clock, refresh, refreshOk, start } from './helpers.js';

const DAY = 86_400;

test('generic: a refresh rotates the refresh token; the old one is refused and logged as a replay', async (t) => {
  const s = await start(t);
  const first = await s.mintGrant();
  const second = await refreshOk(s, first.refresh_token!);
  t.not(second.refresh_token, first.refresh_token);
  t.not(second.access_token, first.access_token);
  t.true(s.isAccessTokenValid(first.access_token), 'the old access token lives on until it expires');
  const replay = await refresh(s, first.refresh_token!);
  t.is(replay.status, 400);
  t.is(replay.body.error, 'invalid_grant');
  const refreshes = s.log().filter((e) => e.grantType === 'refresh_token');
  t.deepEqual(
    refreshes.map((e) => [e.status, e.replay, e.refreshTokenId]),
    [
      [200, false, refreshTokenId(first.refresh_token!)],
      [400, true, refreshTokenId(first.refresh_token!)],
    ],
  );
  t.is((await refresh(s, second.refresh_token!)).status, 200, 'without replayRevokesGrant the newest token survives');
});

test('generic with replayRevokesGrant: a replay kills the whole grant, newest tokens included', async (t) => {
  const s = await start(t, { replayRevokesGrant: true });
  const first = await s.mintGrant();
  const second = await refreshOk(s, first.refresh_token!);
  t.is((await refresh(s, first.refresh_token!)).body.error, 'invalid_grant');
  t.false(s.isAccessTokenValid(second.access_token));
  t.is((await refresh(s, second.refresh_token!)).body.error, 'invalid_grant');
});

test('two refreshes with one token at once: exactly one wins', async (t) => {
  const s = await start(t, { replayRevokesGrant: true });
  const first = await s.mintGrant();
  const [a, b] = await Promise.all([refresh(s, first.refresh_token!), refresh(s, first.refresh_token!)]);
  t.deepEqual([a.status, b.status].sort(), [200, 400]);
  t.is(s.log().filter((e) => e.replay === true).length, 1);
});

test('redmine: the old refresh token stays valid until the new access token is first used', async (t) => {
  const s = await start(t, { profile: 'redmine' });
  const first = await s.mintGrant();
  const second = await refreshOk(s, first.refresh_token!);
  t.not(second.refresh_token, first.refresh_token);
  t.true(s.isAccessTokenValid(first.access_token));
  // the response was lost: a retry with the old token still works (and yields another pair)
  const retry = await refreshOk(s, first.refresh_token!);
  t.true(s.log().at(-1)!.replay === true);
  // first use of the newest access token revokes the old pair
  t.is((await callApi(s, retry.access_token)).status, 200);
  t.false(s.isAccessTokenValid(first.access_token));
  const late = await refresh(s, first.refresh_token!);
  t.is(late.status, 400);
  t.is(late.body.error, 'invalid_grant');
  t.is((await refresh(s, retry.refresh_token!)).status, 200);
});

test('redmine: inspecting a token does not count as its first use', async (t) => {
  const s = await start(t, { profile: 'redmine' });
  const first = await s.mintGrant();
  const second = await refreshOk(s, first.refresh_token!);
  t.true(s.isAccessTokenValid(second.access_token));
  t.true(s.isAccessTokenValid(first.access_token));
  t.is((await callApi(s, second.access_token)).status, 200);
  t.is((await refresh(s, first.refresh_token!)).body.error, 'invalid_grant');
});

test('redmine: refresh tokens never expire', async (t) => {
  const c = clock();
  const s = await start(t, { profile: 'redmine', now: c.now });
  const tok = await s.mintGrant();
  c.advance(10 * 365 * DAY);
  t.false(s.isAccessTokenValid(tok.access_token));
  t.is((await refresh(s, tok.refresh_token!)).status, 200);
});

test('confluence: a refresh deletes the old refresh token and its access token at once', async (t) => {
  const s = await start(t, { profile: 'confluence' });
  const first = await s.mintGrant();
  t.is((await callApi(s, first.access_token)).status, 200);
  const second = await refreshOk(s, first.refresh_token!);
  t.is(second.token_type, 'bearer');
  t.is((await callApi(s, first.access_token)).status, 401);
  const replay = await refresh(s, first.refresh_token!);
  t.is(replay.body.error, 'invalid_grant');
  t.true(s.log().at(-1)!.replay === true);
  t.is((await callApi(s, second.access_token)).status, 200);
});

test('confluence: each refresh token lives 90 days from its own issue', async (t) => {
  const c = clock();
  const s = await start(t, { profile: 'jira', now: c.now });
  let tok = await s.mintGrant();
  for (let i = 0; i < 3; i++) {
    c.advance(89 * DAY);
    tok = await refreshOk(s, tok.refresh_token!);
  }
  c.advance(90 * DAY);
  t.is((await refresh(s, tok.refresh_token!)).body.error, 'invalid_grant');
});

test('questetra: an 11th authorization silently discards the oldest refresh token', async (t) => {
  const s = await start(t, { profile: 'questetra' });
  const grants = [];
  for (let i = 0; i < 11; i++) grants.push(await s.mintGrant());
  t.is((await refresh(s, grants[0]!.refresh_token!)).body.error, 'invalid_grant');
  for (const g of grants.slice(1)) t.is((await refresh(s, g.refresh_token!)).status, 200);
  await s.mintGrant();
  t.is((await refresh(s, grants[1]!.refresh_token!)).body.error, 'invalid_grant');
});

test('questetra: a refresh returns the same refresh token, which expires 30 days after the authorization', async (t) => {
  const c = clock();
  const s = await start(t, { profile: 'questetra', now: c.now });
  const first = await s.mintGrant();
  c.advance(20 * DAY);
  const second = await refreshOk(s, first.refresh_token!);
  t.is(second.refresh_token, first.refresh_token);
  t.false(s.isAccessTokenValid(first.access_token));
  t.is(s.log().at(-1)!.replay, false);
  c.advance(10 * DAY);
  t.is((await refresh(s, first.refresh_token!)).body.error, 'invalid_grant');
});

test('backlog: rotation, the old refresh token is refused', async (t) => {
  const s = await start(t, { profile: 'backlog' });
  const first = await s.mintGrant();
  const second = await refreshOk(s, first.refresh_token!);
  t.not(second.refresh_token, first.refresh_token);
  t.is((await refresh(s, first.refresh_token!)).body.error, 'invalid_grant');
});

test('lifetimes are overridable per sandbox: short access and refresh tokens', async (t) => {
  for (const profile of ['generic', 'redmine', 'backlog', 'confluence', 'questetra'] as SandboxProfileId[]) {
    const c = clock();
    const s = await start(t, { profile, accessTokenTtl: 1, refreshTokenTtl: 2, now: c.now });
    const tok = await s.mintGrant();
    t.is(tok.expires_in, 1, profile);
    c.advance(1);
    t.false(s.isAccessTokenValid(tok.access_token), profile);
    c.advance(1);
    t.is((await refresh(s, tok.refresh_token!)).body.error, 'invalid_grant', profile);
  }
});

test('a refresh token works only for the client it was issued to', async (t) => {
  const s = await start(t, { clients: [{ id: 'other', secret: 'other-secret', redirectUris: [] }] });
  const tok = await s.mintGrant();
  const r = await refresh(s, tok.refresh_token!, { id: 'other', secret: 'other-secret', redirectUris: [] });
  t.is(r.body.error, 'invalid_grant');
  t.is((await refresh(s, tok.refresh_token!)).status, 200);
});
