import test from 'ava';
import { isHandoffError } from '../../src/errors.js';
import {
  buildAuthorizationUrl,
  createPkce,
  createState,
  parseAuthorizationResponse,
  pkceChallenge,
  PKCE_VERIFIER_PATTERN,
} from '../../src/oauth/index.js';

test('PKCE S256 reproduces the RFC 7636 Appendix B test vector', (t) => {
  const octets = [
    116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214, 191, 240,
    91, 88, 5, 88, 83, 132, 141, 121,
  ];
  const verifier = Buffer.from(octets).toString('base64url');
  t.is(verifier, 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk');
  t.is(pkceChallenge(verifier), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
});

test('createPkce gives a fresh 43-character verifier with its S256 challenge', (t) => {
  const a = createPkce();
  const b = createPkce();
  t.regex(a.verifier, PKCE_VERIFIER_PATTERN);
  t.is(a.verifier.length, 43);
  t.is(a.method, 'S256');
  t.is(a.challenge, pkceChallenge(a.verifier));
  t.not(a.verifier, b.verifier);
  t.throws(() => pkceChallenge('too-short'), { message: /43 to 128/ });
});

test('createState is unguessable base64url and differs each time', (t) => {
  const s = createState();
  t.regex(s, /^[A-Za-z0-9_-]{43}$/);
  t.not(s, createState());
});

test('the authorization URL carries every parameter, keeps the endpoint query and encodes spaces as %20', (t) => {
  const url = buildAuthorizationUrl(
    { authorization: 'https://redmine.example/oauth/authorize?locale=ja', token: 'https://redmine.example/oauth/token' },
    {
      clientId: 'client id',
      redirectUri: 'http://127.0.0.1:8123/callback',
      scope: 'view_issues add_issues',
      state: 'st-1',
      pkce: { challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', method: 'S256' },
      extra: { prompt: 'consent' },
    },
  );
  t.true(url.startsWith('https://redmine.example/oauth/authorize?locale=ja&response_type=code&'));
  t.true(url.includes('scope=view_issues%20add_issues'));
  t.true(url.includes('client_id=client%20id'));
  const q = new URL(url).searchParams;
  t.is(q.get('locale'), 'ja');
  t.is(q.get('redirect_uri'), 'http://127.0.0.1:8123/callback');
  t.is(q.get('state'), 'st-1');
  t.is(q.get('code_challenge'), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  t.is(q.get('code_challenge_method'), 'S256');
  t.is(q.get('prompt'), 'consent');

  const plain = new URL(buildAuthorizationUrl({ authorization: 'https://x.example/auth', token: 'https://x.example/t' }, { clientId: 'c', redirectUri: 'urn:ietf:wg:oauth:2.0:oob' }));
  t.false(plain.searchParams.has('state'));
  t.false(plain.searchParams.has('code_challenge'));
  t.false(plain.searchParams.has('scope'));
});

test('the authorization URL refuses a missing endpoint and extras that override core parameters', (t) => {
  t.true(isHandoffError(t.throws(() => buildAuthorizationUrl({ token: 'https://x/t' }, { clientId: 'c', redirectUri: 'r' })), 'USAGE'));
  const e = t.throws(() =>
    buildAuthorizationUrl({ authorization: 'https://x/a', token: 'https://x/t' }, { clientId: 'c', redirectUri: 'r', extra: { state: 'x' } }),
  );
  t.true(isHandoffError(e, 'USAGE'));
});

const EXPECT = { state: 'abc', allowMissingState: false, redirectUri: 'http://127.0.0.1:8123/callback' };

test('a pasted full redirect URL gives the code and checks state', (t) => {
  t.deepEqual(parseAuthorizationResponse('  http://127.0.0.1:8123/callback?code=C0de%2B1&state=abc\n', EXPECT), {
    code: 'C0de+1',
    state: 'abc',
  });
});

test('a pasted query string, with or without "?", gives the code', (t) => {
  t.deepEqual(parseAuthorizationResponse('?code=xyz&state=abc', EXPECT), { code: 'xyz', state: 'abc' });
  t.deepEqual(parseAuthorizationResponse('state=abc&code=xyz', EXPECT), { code: 'xyz', state: 'abc' });
});

test('a bare code is accepted only when a missing state is allowed', (t) => {
  t.deepEqual(parseAuthorizationResponse('Xy9_-.~abc==', { ...EXPECT, allowMissingState: true }), { code: 'Xy9_-.~abc==' });
  const e = t.throws(() => parseAuthorizationResponse('Xy9abc', EXPECT));
  t.true(isHandoffError(e, 'USAGE'));
  t.regex(e!.message, /no state/);
  // no state was sent at all: nothing to check
  t.deepEqual(parseAuthorizationResponse('Xy9abc', { allowMissingState: false }), { code: 'Xy9abc' });
});

test('Redmine OOB: the native page URL without state is accepted when allowed', (t) => {
  const expect = { state: 'abc', allowMissingState: true, redirectUri: 'urn:ietf:wg:oauth:2.0:oob' };
  t.deepEqual(parseAuthorizationResponse('https://redmine.example/oauth/authorize/native?code=n4t1ve', expect), { code: 'n4t1ve' });
  const strict = t.throws(() => parseAuthorizationResponse('https://redmine.example/oauth/authorize/native?code=n4t1ve', { ...expect, allowMissingState: false }));
  t.true(isHandoffError(strict, 'USAGE'));
});

test('a state mismatch is refused, even when a missing state would be allowed', (t) => {
  for (const allowMissingState of [false, true]) {
    const e = t.throws(() => parseAuthorizationResponse('http://127.0.0.1:8123/callback?code=c&state=evil', { ...EXPECT, allowMissingState }));
    t.true(isHandoffError(e, 'FOREIGN_RESPONSE'));
    t.is((e as { exitCode?: number }).exitCode, 3);
    t.regex(e!.message, /does not match/);
    t.false(e!.message.includes('evil'));
  }
});

test('error=access_denied is reported as the user\'s refusal, with the server description', (t) => {
  const e = t.throws(() =>
    parseAuthorizationResponse('http://127.0.0.1:8123/callback?error=access_denied&error_description=User+said+no&state=abc', EXPECT),
  );
  t.true(isHandoffError(e, 'ABORTED'));
  t.is(e!.message, 'the authorization was denied (access_denied): User said no');
  t.deepEqual((e as { oauth?: unknown }).oauth, { error: 'access_denied', error_description: 'User said no' });
  const other = t.throws(() => parseAuthorizationResponse('error=invalid_scope&state=abc', EXPECT));
  t.true(isHandoffError(other, 'PROVIDER_ERROR'));
  const busy = t.throws(() => parseAuthorizationResponse('error=temporarily_unavailable', EXPECT));
  t.true(isHandoffError(busy, 'PROVIDER_UNAVAILABLE'));
  // an error from some other request is foreign, not this one's answer
  const foreign = t.throws(() => parseAuthorizationResponse('error=access_denied&state=zzz', EXPECT));
  t.regex(foreign!.message, /does not match/);
});

test('input that is not a response is refused with a message saying what it is', (t) => {
  const cases: [string, RegExp][] = [
    ['', /nothing was given/],
    ['https://redmine.example/oauth/authorize?response_type=code&client_id=c&redirect_uri=x', /authorization request URL/],
    ['http://127.0.0.1:8123/callback', /no "code" or "error"/],
    ['http://127.0.0.1:9999/other?code=c&state=abc', /does not lead to the redirect URI/],
    ['two words', /not an authorization code/],
    ['code=a&code=b&state=abc', /repeats the "code"/],
  ];
  for (const [input, message] of cases) {
    const e = t.throws(() => parseAuthorizationResponse(input, EXPECT), undefined, input);
    t.true(isHandoffError(e, 'USAGE'), input);
    t.regex(e!.message, message, input);
  }
});

test('an iss parameter must match the expected issuer (RFC 9207)', (t) => {
  const expect = { ...EXPECT, issuer: 'https://as.example' };
  t.deepEqual(parseAuthorizationResponse('code=c&state=abc&iss=https%3A%2F%2Fas.example', expect), { code: 'c', state: 'abc' });
  const e = t.throws(() => parseAuthorizationResponse('code=c&state=abc&iss=https%3A%2F%2Fevil.example', expect));
  t.true(isHandoffError(e, 'PROVIDER_ERROR'));
});
