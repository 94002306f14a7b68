/** RFC 8628 device authorization grant over HTTP, and the imitated systems' own API calls. */
import test from 'ava';
import { DEVICE_CODE_GRANT, normalizeUserCode, type Sandbox } from '../../src/sandbox/index.js';
import { clock, getWithToken, postForm, start, type Reply } from './helpers.js';

async function startDevice(s: Sandbox, extra: Record<string, string> = {}): Promise<Reply> {
  return postForm(s.endpoints.deviceAuthorization!, { client_id: s.client.id, client_secret: s.client.secret, scope: 'read', ...extra });
}

const poll = (s: Sandbox, deviceCode: string) =>
  postForm(s.endpoints.token, { grant_type: DEVICE_CODE_GRANT, device_code: deviceCode, client_id: s.client.id, client_secret: s.client.secret });

test('device grant: pending, slow_down, approval on the page, one token, then the code is spent', async (t) => {
  const c = clock();
  const s = await start(t, { profile: 'generic', deviceGrant: true, now: c.now });
  const meta = (await (await fetch(`${s.url}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
  t.is(meta.device_authorization_endpoint, s.endpoints.deviceAuthorization);
  t.true((meta.grant_types_supported as string[]).includes(DEVICE_CODE_GRANT));

  const da = await startDevice(s);
  t.is(da.status, 200, da.text);
  t.regex(da.body.user_code, /^[B-DF-HJ-NP-TV-XZ]{4}-[B-DF-HJ-NP-TV-XZ]{4}$/);
  t.is(da.body.verification_uri, `${s.url}/device`);
  t.is(da.body.verification_uri_complete, `${s.url}/device?user_code=${encodeURIComponent(da.body.user_code)}`);
  t.is(da.body.interval, 1);

  t.is((await poll(s, da.body.device_code)).body.error, 'authorization_pending');
  t.is((await poll(s, da.body.device_code)).body.error, 'slow_down', 'at once again: too fast');
  c.advance(10);
  t.is((await poll(s, da.body.device_code)).body.error, 'authorization_pending');

  // the person types the code (lower case, no dash), sees the approval page, approves
  const entry = await postForm(`${s.url}/device`, { user_code: da.body.user_code.replace('-', '').toLowerCase() });
  t.is(entry.status, 200);
  t.true(entry.text.includes(`<code id="user_code">${da.body.user_code}</code>`));
  const done = await postForm(`${s.url}/device`, { user_code: da.body.user_code, decision: 'approve' });
  t.is(done.status, 200);
  t.true(done.text.includes('Device connected'));
  c.advance(10);
  const tok = await poll(s, da.body.device_code);
  t.is(tok.status, 200, tok.text);
  t.is(tok.body.scope, 'read');
  t.is((await getWithToken(s.endpoints.api, tok.body.access_token)).status, 200);
  c.advance(10);
  t.is((await poll(s, da.body.device_code)).body.error, 'invalid_grant');
  t.is((await postForm(`${s.url}/device`, { user_code: da.body.user_code, decision: 'approve' })).status, 400, 'a decided code is not shown again');
});

test('device grant: denial, expiry, another client, unknown codes', async (t) => {
  const c = clock();
  const s = await start(t, { profile: 'generic', deviceGrant: true, now: c.now, clients: [{ id: 'other', secret: 'other-secret', redirectUris: [] }] });
  const denied = await startDevice(s);
  await postForm(`${s.url}/device`, { user_code: denied.body.user_code, decision: 'deny' });
  t.is((await poll(s, denied.body.device_code)).body.error, 'access_denied');

  const stolen = await startDevice(s);
  const r = await postForm(s.endpoints.token, { grant_type: DEVICE_CODE_GRANT, device_code: stolen.body.device_code, client_id: 'other', client_secret: 'other-secret' });
  t.is(r.body.error, 'invalid_grant');

  const late = await startDevice(s);
  c.advance(601);
  t.is((await poll(s, late.body.device_code)).body.error, 'expired_token');
  const page = await fetch(`${s.url}/device?user_code=${late.body.user_code}`);
  t.is(page.status, 400);
  t.true((await page.text()).includes('unknown, expired or already used'));
  t.is((await poll(s, 'nonsense')).body.error, 'invalid_grant');
  t.is(normalizeUserCode('bcdf ghjk'), 'BCDF-GHJK');
});

test('device grant with auto-approve: opening verification_uri_complete approves; without the option the grant is unsupported', async (t) => {
  const s = await start(t, { profile: 'oauth21', deviceGrant: true, autoApprove: true });
  const da = await startDevice(s, { client_secret: s.client.secret!, resource: s.endpoints.resource! });
  const page = await fetch(da.body.verification_uri_complete);
  t.is(page.status, 200);
  const tok = await poll(s, da.body.device_code);
  t.is(tok.status, 200, tok.text);
  t.is((await getWithToken(s.endpoints.resource!, tok.body.access_token)).status, 200, 'the device token is bound to the resource');

  const plain = await start(t, { profile: 'generic' });
  t.is(plain.endpoints.deviceAuthorization, undefined);
  const r = await postForm(plain.endpoints.token, { grant_type: DEVICE_CODE_GRANT, device_code: 'x', client_id: plain.client.id, client_secret: plain.client.secret });
  t.is(r.body.error, 'unsupported_grant_type');
  t.is((await fetch(`${plain.url}/device`)).status, 404);
});

test('Redmine answers /issues.json and /users/current.json with a Bearer token; /issues.json needs view_issues', async (t) => {
  const s = await start(t, { profile: 'redmine' });
  t.is(s.endpoints.example, `${s.url}/issues.json`);
  const tok = await s.mintGrant({ scope: 'view_issues' });
  const issues = await getWithToken(`${s.url}/issues.json`, tok.access_token);
  t.is(issues.status, 200);
  t.is(issues.body.total_count, issues.body.issues.length);
  t.true(issues.body.issues.length > 0);
  const me = await getWithToken(`${s.url}/users/current.json`, tok.access_token);
  t.is(me.body.user.login, 'alice');
  t.is((await getWithToken(`${s.url}/issues.json`, undefined)).status, 401);
  const narrow = await s.mintGrant({ scope: 'view_project' });
  const forbidden = await getWithToken(`${s.url}/issues.json`, narrow.access_token);
  t.is(forbidden.status, 403);
  t.regex(forbidden.headers.get('www-authenticate') ?? '', /error="insufficient_scope".*scope="view_issues"/);
  const generic = await start(t, { profile: 'generic' });
  t.is((await fetch(`${generic.url}/issues.json`)).status, 404, 'only Redmine has it');
});
