/**
 * The `token` start-up path (src/fast-token.ts): a fresh token in a directory store is read and
 * printed by dist/fast-token.cjs alone, compiled from its V8 code cache; everything else a `token`
 * call can meet is `token` in full (dist/fast-token-full.cjs), loaded only then. Which files a
 * process loads is seen with NODE_DEBUG=module (Node.js's own trace of require()).
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BIN, cleanEnv, runCli, tempDir } from '../helpers/cli.js';
import { settingsFrom, storeWith } from '../helpers/fixtures.js';

const loadsFull = (stderr: string): boolean => /^MODULE \d+: load "[^"]*\/dist\/fast-token-full\.cjs"/m.test(stderr);
const humanLines = (stderr: string): string => stderr.split('\n').filter((l) => l !== '' && !l.startsWith('MODULE ')).join('\n');

test('the bin compiles the token bundle from its code cache, and V8 accepts it', (t) => {
  const script = `const f = require(${JSON.stringify(BIN)}).loadFastToken(); process.stdout.write(JSON.stringify({ usedCache: f.usedCache, dispatch: typeof f.exports.dispatch }));`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 });
  t.is(r.status, 0, r.stderr);
  t.deepEqual(JSON.parse(r.stdout), { usedCache: true, dispatch: 'function' });
});

test('a fresh token is printed by the small bundle alone; a refresh due, a warning, an error and a fleet store load token in full', async (t) => {
  const base = await tempDir(t, 'oh-fast-path-');
  const home = join(base, 'store');
  // nothing listens on port 9: a refresh fails without a verdict
  const src = { endpoints: { token: 'http://127.0.0.1:9/token' }, client: { id: 'c', secret: 's' } };
  const made = (name: string, access_token: string, expires_in: number, age = 0) =>
    settingsFrom(src, { access_token, token_type: 'Bearer', expires_in, refresh_token: 'r'.repeat(40) }, { name, now: Date.now() - age * 1000 });
  // "due": 30 s left of 130, inside the 60 s margin, still valid
  // "forever": the server gave no expiry
  const forever = settingsFrom(src, { access_token: 'f'.repeat(40), token_type: 'Bearer', refresh_token: 'r'.repeat(40) }, { name: 'forever' });
  await storeWith(home, made('fresh', 'a'.repeat(40), 36000), made('spaced', 'abc def', 36000), made('due', 'd'.repeat(40), 130, 100), forever);
  const run = (args: string[], extra: NodeJS.ProcessEnv = {}) => runCli(args, { env: cleanEnv(base, { OAUTH_HANDOFF_HOME: home, NODE_DEBUG: 'module', ...extra }) });

  const fresh = await run(['token', 'fresh']);
  t.is(fresh.code, 0, fresh.stderr);
  t.is(fresh.stdout, `${'a'.repeat(40)}\n`);
  t.is(humanLines(fresh.stderr), '');
  t.false(loadsFull(fresh.stderr), 'a fresh token needs no more than the small bundle');

  const json = await run(['token', 'fresh', '--json']);
  t.is(json.code, 0, json.stderr);
  const doc = JSON.parse(json.stdout) as Record<string, unknown>;
  t.deepEqual(Object.keys(doc), ['access_token', 'token_type', 'expires_at']);
  t.is(doc.access_token, 'a'.repeat(40));
  t.is(doc.token_type, 'Bearer');
  t.false(loadsFull(json.stderr));
  // an unknown expiry is null in --json, the same from the small bundle and from token in full (the CLI's, under GitHub Actions)
  for (const extra of [{}, { GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: join(base, 'gh-output') }]) {
    const r = await run(['token', 'forever', '--json'], extra);
    t.is(r.code, 0, r.stderr);
    t.deepEqual(JSON.parse(r.stdout), { access_token: 'f'.repeat(40), token_type: 'Bearer', expires_at: null }, JSON.stringify(extra));
  }

  const spaced = await run(['token', 'spaced']);
  t.is(spaced.code, 0);
  t.is(spaced.stdout, 'abc def\n');
  t.regex(humanLines(spaced.stderr), /warning: the access token of "spaced" contains a space/);
  t.true(loadsFull(spaced.stderr), 'the warning is said by token in full');

  const due = await run(['token', 'due']);
  t.is(due.code, 0, due.stderr);
  t.is(due.stdout, `${'d'.repeat(40)}\n`, 'the refresh failed without a verdict: the valid token is served');
  t.regex(humanLines(due.stderr), /warning/);
  t.true(loadsFull(due.stderr));

  const missing = await run(['token', 'nope']);
  t.is(missing.code, 1);
  t.regex(humanLines(missing.stderr), /nope/);
  t.true(loadsFull(missing.stderr));

  // a fleet store is never read by the small bundle (the Redis server is not even there: exit 7)
  const fleet = await run(['token', 'fresh'], { OAUTH_HANDOFF_STORE: 'redis://127.0.0.1:9/' });
  t.is(fleet.stdout, '');
  t.is(fleet.code, 7, fleet.stderr);
  t.true(loadsFull(fleet.stderr));
});
