/**
 * The two argv readers — yargs (every command) and the `token` fast path —
 * read one option table and apply one check, so a bad value fails the same
 * way in both; the redirect rule is one function for `authorize` and
 * `login`. Table checks as calls; the readers as real processes of the
 * built CLI.
 */
import test from 'ava';
import { checkOptionValue, checkOptionValues, storeFromArgs } from '../../src/cli-args.js';
import { authorizeOptions, daemonOptions, execOptions, loginOptions, relayOptions, sandboxOptions, tokenOptions } from '../../src/cli-options.js';
import type { OptionTable } from '../../src/cli-options.js';
import { chooseRedirect, OOB_REDIRECT_URI } from '../../src/authorization/index.js';
import { planAuthorization } from '../../src/browser-side/index.js';
import { CODES, HandoffError } from '../../src/errors.js';
import { english } from '../../src/i18n/index.js';
import { parseTokenArgs, readTokenWords } from '../../src/fast-token.js';
import { parseArgs } from 'node:util';
import { getProvider } from '../../src/oauth/index.js';
import { createOutput } from '../../src/terminal/index.js';
import { Writable } from 'node:stream';
import { cleanEnv, runCli, tempDir } from '../helpers/cli.js';

const usageError = (t: import('ava').ExecutionContext, f: () => unknown, re: RegExp) => {
  const e = t.throws(f) as HandoffError;
  t.true(e instanceof HandoffError);
  t.is(e.code, CODES.USAGE);
  t.regex(e.message, re);
};

test('numbers must be finite and within the bounds of their table entry; durations come back in seconds', (t) => {
  const spec = tokenOptions['min-valid'];
  t.is(checkOptionValue('min-valid', spec, '90'), 90);
  t.is(checkOptionValue('min-valid', spec, 0), 0);
  usageError(t, () => checkOptionValue('min-valid', spec, 'abc'), /--min-valid must be a number, not "abc"/);
  usageError(t, () => checkOptionValue('min-valid', spec, Number.NaN), /--min-valid must be a number/);
  usageError(t, () => checkOptionValue('min-valid', spec, 'Infinity'), /--min-valid must be a number/);
  usageError(t, () => checkOptionValue('min-valid', spec, '-5'), /--min-valid must be 0 or more/);
  const lock = tokenOptions['lock-timeout'];
  t.is(checkOptionValue('lock-timeout', lock, '45'), 45);
  t.is(checkOptionValue('lock-timeout', lock, '2m'), 120);
  t.is(checkOptionValue('lock-timeout', lock, '1500ms'), 1.5);
  usageError(t, () => checkOptionValue('lock-timeout', lock, 'abc'), /--lock-timeout must be a duration such as 30 \(seconds\), 30s/);
  usageError(t, () => checkOptionValue('lock-timeout', lock, '-1'), /--lock-timeout must be a duration/);
  usageError(t, () => checkOptionValue('timeout', authorizeOptions.timeout, '0'), /--timeout must be more than 0/);
  usageError(t, () => checkOptionValue('port', sandboxOptions.port, '80.5'), /--port must be a whole number/);
  usageError(t, () => checkOptionValue('concurrency', daemonOptions.concurrency, '0'), /--concurrency must be 1 or more/);
  t.deepEqual(checkOptionValues(execOptions, { 'min-valid': '5', 'env-var': 'X' }), { 'min-valid': 5, 'env-var': 'X' });
});

test('--lock-timeout means the same in token and the daemon: seconds, or a duration with a unit', (t) => {
  for (const table of [tokenOptions, daemonOptions, loginOptions] as OptionTable[]) {
    const spec = table['lock-timeout'];
    t.truthy(spec);
    t.is(checkOptionValue('lock-timeout', spec!, '60'), 60);
    t.is(checkOptionValue('lock-timeout', spec!, '60s'), 60);
  }
});

test('the fast path reads the same table: good values are taken, values the table refuses go to the full CLI', (t) => {
  t.like(parseTokenArgs(['token', 'x', '--min-valid', '30', '--lock-timeout', '2m']), { name: 'x', 'min-valid': 30, 'lock-timeout': 120 });
  t.is(parseTokenArgs(['token', 'x', '--min-valid', 'abc']), undefined);
  t.is(parseTokenArgs(['token', 'x', '--lock-timeout', 'abc']), undefined);
  t.is(parseTokenArgs(['token', 'x', '--min-valid', '-1']), undefined);
});

test('the fast path reads argv as util.parseArgs does (strict), or leaves it to the full CLI', (t) => {
  const options = Object.fromEntries(Object.entries(tokenOptions).map(([k, spec]) => [k, { type: spec.type === 'boolean' ? ('boolean' as const) : ('string' as const) }]));
  const corpus: string[][] = [
    ['x'],
    ['x', '--json'],
    ['--json', 'x'],
    ['x', '--store', '/s'],
    ['x', '--store=/s'],
    ['x', '--store='],
    ['x', '--store=a=b'],
    ['x', '--store=-odd'],
    ['x', '--min-valid', '30', '--lock-timeout=2m', '--redis-prefix', 'p:'],
    ['x', '-'],
    ['x', 'y'],
    [],
    ['x', '--json=yes'],
    ['x', '--store'],
    ['x', '--store', '-s'],
    ['x', '--nope'],
    ['x', '-j'],
    ['x', '--'],
    ['--', 'x'],
    ['x', '--json', '--json'],
    ['x', '--store', 'a', '--store', 'b'],
    ['x', '--no-json'],
    ['x', '--Store', '/s'],
    ['x', '--__proto__', 'v'],
    ['x', '--toString', 'v'],
  ];
  let taken = 0;
  for (const args of corpus) {
    const mine = readTokenWords(args, tokenOptions);
    let theirs: { values: Record<string, unknown>; positionals: string[] } | undefined;
    try {
      const r = parseArgs({ args, options, allowPositionals: true, strict: true });
      theirs = { values: { ...r.values }, positionals: r.positionals };
    } catch {
      theirs = undefined;
    }
    // what the fast path takes, parseArgs takes the same way; what it leaves, the full CLI reads
    if (mine !== undefined) {
      taken++;
      t.deepEqual(mine, theirs, JSON.stringify(args));
    }
  }
  t.is(taken, 12, 'the plain forms are read here');
  t.like(parseTokenArgs(['token', '--store=/s', 'x', '--json']), { name: 'x', store: '/s', json: true, 'min-valid': 60, 'lock-timeout': 60 });
  t.is(parseTokenArgs(['token', 'x', '--', 'y']), undefined);
});

test('yargs refuses what the fast path refuses, with the same message and exit 2 (no NaN, no endless lock wait)', async (t) => {
  const home = await tempDir(t);
  const env = cleanEnv(home);
  for (const [args, re] of [
    [['token', 'x', '--min-valid', 'abc'], /error: --min-valid must be a number, not "abc"/],
    [['token', 'x', '--lock-timeout', 'abc'], /error: --lock-timeout must be a duration/],
    [['exec', 'x', '--min-valid', 'abc', '--', 'true'], /error: --min-valid must be a number, not "abc"/],
    [['refresh', 'x', '--lock-timeout', 'forever'], /error: --lock-timeout must be a duration/],
    [['daemon', 'x', '--lock-timeout', 'abc'], /error: --lock-timeout must be a duration/],
    [['authorize', '--client-id', 'c', '--timeout', 'soon'], /error: --timeout must be a duration/],
  ] as [string[], RegExp][]) {
    const r = await runCli(args, { env });
    t.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    t.regex(r.stderr, re, args.join(' '));
    t.notRegex(r.stderr, /looks like a bug/);
    t.is(r.stdout, '');
  }
});

test('--store with a Redis password warns and --redis-prefix folds into the URL: one function below both readers', async (t) => {
  const warnings: string[] = [];
  const warn = { warn: (m: string) => void warnings.push(m), t: english.t };
  t.is(storeFromArgs({ store: 'redis://127.0.0.1:6379/0', redisPrefix: 'team:' }, {}, warn), 'redis://127.0.0.1:6379/0?prefix=team%3A');
  t.is(storeFromArgs({ redisPrefix: 'p' }, { OAUTH_HANDOFF_STORE: 'redis://127.0.0.1/1' }, warn), 'redis://127.0.0.1/1?prefix=p');
  t.deepEqual(warnings, []);
  storeFromArgs({ store: 'redis://u:secret@127.0.0.1:6379' }, {}, warn);
  t.is(warnings.length, 1);
  t.regex(warnings[0] as string, /Redis password in --store is visible/);
  t.false((warnings[0] as string).includes('secret'));
  usageError(t, () => storeFromArgs({ store: '/tmp/x', redisPrefix: 'p' }, {}, warn), /--redis-prefix works only with a fleet store/);

  // the fast path applies both (it used to skip them)
  const home = await tempDir(t);
  const env = cleanEnv(home);
  const prefixed = await runCli(['token', 'x', '--store', `${home}/store`, '--redis-prefix', 'p'], { env });
  t.is(prefixed.code, 2);
  t.regex(prefixed.stderr, /--redis-prefix works only with a fleet store/);
  const pw = await runCli(['token', 'x', '--store', 'redis://u:hunter2@127.0.0.1:1/0', '--lock-timeout', '1'], { env, timeoutMs: 60_000 });
  t.regex(pw.stderr, /Redis password in --store is visible to other users/);
  t.false(pw.stderr.includes('hunter2'));
});

test('--redis-prefix is offered only by commands that open a store', async (t) => {
  const home = await tempDir(t);
  const env = cleanEnv(home);
  for (const cmd of ['relay', 'sandbox', 'authorize', 'providers']) {
    const r = await runCli([cmd, '--help'], { env });
    t.is(r.code, 0);
    t.false(r.stdout.includes('--redis-prefix'), cmd);
  }
  for (const cmd of ['token', 'login', 'status', 'daemon']) {
    const r = await runCli([cmd, '--help'], { env });
    t.true(r.stdout.includes('--redis-prefix'), cmd);
    t.regex(r.stdout, /^Store:$/m, `${cmd} groups its store options`);
  }
});

test('one redirect rule for both sides: a typo is refused, not taken for out-of-band; generic servers may use the OOB URN from either side', (t) => {
  const generic = getProvider('generic');
  for (const side of ['browser', 'paste'] as const) {
    usageError(t, () => chooseRedirect({ redirectUri: 'htps://127.0.0.1:8000/cb' }, generic, { side }), /--redirect-uri "htps:\/\/127\.0\.0\.1:8000\/cb" must be an http\(s\) URL/);
    usageError(t, () => chooseRedirect({ redirectUri: '127.0.0.1:8000/cb' }, generic, { side }), /must be an http\(s\) URL/);
    t.deepEqual(chooseRedirect({ redirect: 'oob' }, generic, { side }), { uri: OOB_REDIRECT_URI, kind: 'oob', allowMissingState: true });
    t.is(chooseRedirect({ redirectUri: OOB_REDIRECT_URI }, generic, { side }).kind, 'oob');
  }
  // what each side prefers when nothing is asked for
  t.is(chooseRedirect({}, getProvider('redmine'), { side: 'paste' }).kind, 'oob');
  t.deepEqual(chooseRedirect({}, getProvider('redmine'), { side: 'browser' }), { uri: 'http://127.0.0.1/callback', kind: 'url', allowMissingState: false });
});

test('authorize: a mistyped --redirect-uri stops before anything is asked, and --redirect oob works for a generic server', async (t) => {
  const sink = () => new Writable({ write: (_c, _e, done) => done() });
  const out = createOutput({ stdout: sink(), stderr: sink(), env: {} });
  const typo = await t.throwsAsync(
    planAuthorization({ clientId: 'c', redirectUri: 'htps://127.0.0.1:8000/cb', authorizationEndpoint: 'http://127.0.0.1:1/a', tokenEndpoint: 'http://127.0.0.1:1/t' }, out),
  );
  t.is((typo as HandoffError).code, CODES.USAGE);
  const plan = await planAuthorization(
    { clientId: 'c', redirect: 'oob', authorizationEndpoint: 'http://127.0.0.1:1/a', tokenEndpoint: 'http://127.0.0.1:1/t', env: {} },
    out,
  );
  t.is(plan.mode, 'oob');
  t.is(plan.redirectUri, OOB_REDIRECT_URI);

  const home = await tempDir(t);
  const r = await runCli(['authorize', '--client-id', 'c', '--redirect-uri', 'htps://127.0.0.1:8000/cb', '--passphrase'], { env: cleanEnv(home) });
  t.is(r.code, 2);
  t.regex(r.stderr, /must be an http\(s\) URL/);
  t.notRegex(r.stderr, /passphrase/i, 'nothing was asked first');
});

test('relay and sandbox tables stay free of store options', (t) => {
  for (const table of [relayOptions, sandboxOptions, authorizeOptions] as OptionTable[]) {
    t.false('store' in table);
    t.false('redis-prefix' in table);
  }
});
