import test from 'ava';
import { isHandoffError } from '../../src/errors.js';
import {
  defaultRedirectUri,
  getProvider,
  PROVIDER_IDS,
  PROVIDERS,
  resolveEndpoints,
  usePkce,
} from '../../src/oauth/index.js';

test('every preset id resolves, and an unknown id is a USAGE error listing the valid ones', (t) => {
  t.deepEqual([...PROVIDER_IDS].sort(), ['backlog', 'confluence', 'generic', 'jira', 'questetra', 'redmine']);
  for (const id of PROVIDER_IDS) t.is(getProvider(id).id, id);
  t.is(getProvider(' Redmine ').id, 'redmine');
  const e = t.throws(() => getProvider('gitlab'));
  t.true(isHandoffError(e, 'USAGE'));
  t.is(e!.message, 'unknown provider "gitlab"; valid providers: redmine, backlog, confluence, jira, questetra, generic');
});

test('presets are frozen values', (t) => {
  t.true(Object.isFrozen(PROVIDERS.redmine));
  t.true(Object.isFrozen(PROVIDERS.redmine.scopes.default));
  t.throws(() => {
    (PROVIDERS.redmine.scopes.default as string[]).push('admin');
  });
});

test('Backlog: a space host, a full URL or a pasted page all normalise to https://space.domain', (t) => {
  const b = PROVIDERS.backlog;
  t.is(b.normalizeSite('example.backlog.jp'), 'https://example.backlog.jp');
  t.is(b.normalizeSite('https://Example.Backlog.com/'), 'https://example.backlog.com');
  t.is(b.normalizeSite('https://my-team.backlogtool.com/dashboard?x=1'), 'https://my-team.backlogtool.com');
  t.is(b.normalizeSite('http://example.backlog.jp'), 'https://example.backlog.jp');
  for (const bad of ['example', 'backlog.jp', 'example.backlog.net', 'a.b.backlog.jp', 'https://example.backlog.jp:8443', 'https://user:pw@x.backlog.jp', '', 'ftp://x.backlog.jp']) {
    t.true(isHandoffError(t.throws(() => b.normalizeSite(bad), undefined, bad), 'USAGE'), bad);
  }
  t.regex(t.throws(() => b.normalizeSite('example'))!.message, /e\.g\. example\.backlog\.com/);
});

test('endpoint URLs per preset', (t) => {
  const at = (id: keyof typeof PROVIDERS, site: string) => {
    const p = PROVIDERS[id];
    return p.endpoints(p.normalizeSite(site));
  };
  t.deepEqual(at('redmine', 'https://redmine.example/redmine/'), {
    authorization: 'https://redmine.example/redmine/oauth/authorize',
    token: 'https://redmine.example/redmine/oauth/token',
    revocation: 'https://redmine.example/redmine/oauth/revoke',
  });
  t.deepEqual(at('backlog', 'example.backlog.jp'), {
    authorization: 'https://example.backlog.jp/OAuth2AccessRequest.action',
    token: 'https://example.backlog.jp/api/v2/oauth2/token',
  });
  t.deepEqual(at('confluence', 'https://wiki.example.co.jp/confluence'), {
    authorization: 'https://wiki.example.co.jp/confluence/rest/oauth2/latest/authorize',
    token: 'https://wiki.example.co.jp/confluence/rest/oauth2/latest/token',
  });
  t.deepEqual(at('jira', 'jira.example.com'), {
    authorization: 'https://jira.example.com/rest/oauth2/latest/authorize',
    token: 'https://jira.example.com/rest/oauth2/latest/token',
  });
  t.deepEqual(at('questetra', 'example'), {
    authorization: 'https://example.questetra.net/oauth2/authorize',
    token: 'https://example.questetra.net/oauth2/token',
  });
  t.true(isHandoffError(t.throws(() => PROVIDERS.generic.endpoints('https://as.example')), 'USAGE'));
});

test('a page URL pasted as the site is cut back to the installation base', (t) => {
  t.is(PROVIDERS.redmine.normalizeSite('https://host.example/redmine/projects/foo/issues?set_filter=1'), 'https://host.example/redmine');
  t.is(PROVIDERS.redmine.normalizeSite('http://10.0.0.5:3000'), 'http://10.0.0.5:3000');
  t.is(PROVIDERS.confluence.normalizeSite('https://wiki.example/display/DEV/Home'), 'https://wiki.example');
  t.is(PROVIDERS.jira.normalizeSite('https://jira.example/jira/browse/ABC-1'), 'https://jira.example/jira');
  t.is(PROVIDERS.questetra.normalizeSite('https://Example.questetra.net/PE/Workitem/list'), 'https://example.questetra.net');
  t.true(isHandoffError(t.throws(() => PROVIDERS.questetra.normalizeSite('example.com')), 'USAGE'));
});

test('preset facts from PROVIDERS.md', (t) => {
  t.is(PROVIDERS.redmine.clientAuth, 'client_secret_basic');
  t.true(PROVIDERS.redmine.clientSecretRequired);
  t.is(PROVIDERS.redmine.redirect.oobUri, 'urn:ietf:wg:oauth:2.0:oob');
  t.false(PROVIDERS.redmine.redirect.oobSendsState);
  t.is(PROVIDERS.redmine.rotation, 'on-first-use');
  t.is(PROVIDERS.backlog.clientAuth, 'client_secret_post');
  t.true(PROVIDERS.backlog.redirect.exactMatch);
  t.is(PROVIDERS.backlog.pkce, 'unknown');
  t.is(PROVIDERS.confluence.clientAuth, 'client_secret_post');
  t.deepEqual(PROVIDERS.confluence.redirect.loopbackHosts, ['localhost']);
  t.is(PROVIDERS.confluence.rotation, 'immediate');
  t.is(PROVIDERS.confluence.lifetimes.refreshTokenSeconds, 90 * 86400);
  t.true(PROVIDERS.confluence.lifetimes.refreshTokenSliding);
  // Jira DC runs the same OAuth 2.0 provider plugin as Confluence DC
  for (const k of ['clientAuth', 'clientSecretRequired', 'pkce', 'redirect', 'scopes', 'lifetimes', 'rotation'] as const) {
    t.deepEqual(PROVIDERS.jira[k], PROVIDERS.confluence[k], k);
  }
  t.is(PROVIDERS.questetra.maxRefreshTokensPerUser, 10);
  t.deepEqual(PROVIDERS.questetra.scopes.known, ['any', 'read']);
  for (const p of Object.values(PROVIDERS)) {
    t.true(p.notes.length > 0 && p.register.length > 0, p.id);
    t.true(p.scopes.default.every((s) => p.scopes.known.length === 0 || p.scopes.known.includes(s)), p.id);
    t.true(usePkce(p), p.id); // no preset forbids PKCE
  }
});

test('resolveEndpoints: explicit endpoints win; generic needs a token endpoint', (t) => {
  t.deepEqual(resolveEndpoints(PROVIDERS.redmine, { site: 'redmine.example', overrides: { revocation: 'https://other.example/revoke' } }), {
    authorization: 'https://redmine.example/oauth/authorize',
    token: 'https://redmine.example/oauth/token',
    revocation: 'https://other.example/revoke',
  });
  t.deepEqual(resolveEndpoints(PROVIDERS.generic, { overrides: { token: 'https://as.example/token', authorization: 'https://as.example/auth' } }), {
    token: 'https://as.example/token',
    authorization: 'https://as.example/auth',
  });
  t.true(isHandoffError(t.throws(() => resolveEndpoints(PROVIDERS.generic, { site: 'https://as.example' })), 'USAGE'));
  t.true(isHandoffError(t.throws(() => resolveEndpoints(PROVIDERS.redmine, {})), 'USAGE'));
  t.true(isHandoffError(t.throws(() => resolveEndpoints(PROVIDERS.generic, { overrides: { token: 'ftp://x/t' } })), 'USAGE'));
});

test('defaultRedirectUri and usePkce follow the preset and the metadata', (t) => {
  t.is(defaultRedirectUri(PROVIDERS.redmine, 8123), 'http://127.0.0.1:8123/callback');
  t.is(defaultRedirectUri(PROVIDERS.confluence, 8123), 'http://localhost:8123/callback');
  t.throws(() => defaultRedirectUri(PROVIDERS.redmine, 0));
  t.true(usePkce(PROVIDERS.generic, {}));
  t.true(usePkce(PROVIDERS.generic, { code_challenge_methods_supported: ['plain', 'S256'] }));
  t.false(usePkce(PROVIDERS.generic, { code_challenge_methods_supported: ['plain'] }));
});
