/**
 * The exit-code table: the README's rows are the code's one mapping
 * (src/errors.ts), and each exit code is produced by a real command of the
 * built CLI.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { EXIT, EXIT_FOR, EXIT_MEANINGS } from '../src/errors.js';
import type { ExitCode } from '../src/errors.js';
import { FileStore } from '../src/settings-file/index.js';
import { ROOT, cleanEnv, collect, runCli, spawnCli, tempDir } from './helpers/cli.js';
import { settingsFrom, storeWith } from './helpers/fixtures.js';
import { freePort } from './helpers/net.js';

function codesOf(exit: number): string {
  return Object.entries(EXIT_FOR)
    .filter(([, e]) => e === exit)
    .map(([c]) => `\`${c}\``)
    .join(', ');
}

/** The table the README must hold, rendered from src/errors.ts. */
function expectedRows(): string[] {
  return Object.entries(EXIT_MEANINGS).map(([n, m]) => `| ${n} | ${m.summary}${m.detail ? `: ${m.detail}` : ''} | ${codesOf(Number(n))} |`);
}

function tableRows(markdown: string, heading: string): string[] {
  const start = markdown.indexOf(heading);
  const rest = markdown.slice(start);
  const lines = rest.split('\n');
  const first = lines.findIndex((l) => l.startsWith('|---'));
  const rows: string[] = [];
  for (const l of lines.slice(first + 1)) {
    if (!l.startsWith('|')) break;
    rows.push(l);
  }
  return rows;
}

test('the README exit-code table is the mapping in src/errors.ts, row for row', async (t) => {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const rows = tableRows(readme, '### Exit codes');
  t.deepEqual(rows, expectedRows(), `README.md, "### Exit codes", should read:\n${expectedRows().join('\n')}`);
});

test('the Japanese README has the same exit codes and the same codes per row', async (t) => {
  const readme = await readFile(join(ROOT, 'docs/ja/README.md'), 'utf8');
  const rows = tableRows(readme, '### 終了コード').map((r) => r.split(' | '));
  t.deepEqual(
    rows.map((r) => [r[0]?.replace(/^\| /, ''), r[2]?.replace(/ ?\|$/, '')]),
    Object.keys(EXIT_MEANINGS).map((n) => [n, codesOf(Number(n))]),
  );
});

test('every error code maps to an exit code that the table describes', (t) => {
  for (const exit of Object.values(EXIT_FOR)) t.true(exit in EXIT_MEANINGS, String(exit));
  t.deepEqual(Object.keys(EXIT_MEANINGS).map(Number), [...new Set(Object.values(EXIT))].sort((a, b) => a - b));
});

/** A store with one credential whose token expired two hours ago, refreshed at `tokenUrl`. */
async function expiredStore(home: string, tokenUrl: string, health?: 'reauthorization_required'): Promise<FileStore> {
  const s = settingsFrom(
    { endpoints: { token: tokenUrl }, client: { id: 'c' } },
    { access_token: 'at-old', token_type: 'Bearer', expires_in: 60, refresh_token: 'rt' },
    { name: 'svc', now: Date.now() - 2 * 3600_000 },
  );
  if (health) s.health = { state: health, message: 'the provider rejected its refresh token' };
  return storeWith(home, s);
}

test('each row of the table is produced by a real command of the built CLI', async (t) => {
  t.timeout(90_000);
  const dir = await tempDir(t);
  const home = join(dir, 'store');
  const closed = await freePort();
  const store = await expiredStore(home, `http://127.0.0.1:${closed}/token`);
  const env = cleanEnv(dir, { OAUTH_HANDOFF_HOME: home });
  const reauthHome = join(dir, 'reauth');
  await expiredStore(reauthHome, `http://127.0.0.1:${closed}/token`, 'reauthorization_required');
  const garbage = join(dir, 'garbage.ohs');
  await writeFile(garbage, 'this is not a settings file\n');
  // a live holder (this test process) of the credential's write lock
  const lockDir = `${store.pathOf('svc')}.lock`;
  await mkdir(lockDir);
  await writeFile(join(lockDir, 'owner'), JSON.stringify({ pid: process.pid, host: hostname(), id: 'test-holder' }));

  const cases: Array<[ExitCode, string[], NodeJS.ProcessEnv, RegExp]> = [
    [EXIT.OK, ['status', '--json'], env, /^$/],
    [EXIT.ERROR, ['token', 'nosuch'], env, /no credential named "nosuch"/],
    [EXIT.USAGE, ['exec', 'svc'], env, /no command to run|Not enough|command/i],
    [EXIT.REAUTH, ['token', 'svc'], cleanEnv(dir, { OAUTH_HANDOFF_HOME: reauthHome }), /needs re-authorization/],
    [EXIT.DECRYPT, ['import', garbage], env, /not an oauth-handoff|invalid|damaged/i],
    [EXIT.PROVIDER, ['token', 'svc', '--store', join(dir, 'unlocked')], env, /could not reach|unreachable|ECONNREFUSED/i],
    [EXIT.LOCK_TIMEOUT, ['token', 'svc', '--lock-timeout', '1'], env, /timed out after 1 s waiting for the lock/],
    [EXIT.STORE, ['token', 'svc', '--store', `redis://127.0.0.1:${closed}/0`], env, /fleet store redis:\/\/127\.0\.0\.1:\d+\/0 is unreachable/],
  ];
  // exit 5: the same expired credential in a store nobody locks, its token endpoint closed
  await expiredStore(join(dir, 'unlocked'), `http://127.0.0.1:${closed}/token`);
  const seen = new Set<number>();
  for (const [exit, args, e, message] of cases) {
    const r = await runCli(args, { env: e });
    t.is(r.code, exit, `${args.join(' ')}: ${r.stderr}`);
    t.regex(r.stderr, message, args.join(' '));
    seen.add(exit);
  }
  // 130: Ctrl-C (SIGINT) while authorize waits for the redirect; nothing is written
  const pass = join(dir, 'pass.txt');
  await writeFile(pass, 'correct horse battery staple\n');
  const out = join(dir, 'interrupted.ohs');
  // an authorization endpoint that answers like a sign-in page (authorize looks at the URL before the wait)
  const signIn = createServer((_q, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<form>sign in</form>');
  });
  await new Promise<void>((r) => signIn.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => signIn.close(() => r())));
  const signInPort = (signIn.address() as AddressInfo).port;
  const child = spawnCli(
    ['authorize', '--client-id', 'c', '--authorization-endpoint', `http://127.0.0.1:${signInPort}/a`, '--token-endpoint', `http://127.0.0.1:${closed}/t`, '--redirect-uri', 'http://127.0.0.1/callback', '--no-browser', '--passphrase-file', pass, '-o', out],
    { env },
  );
  t.teardown(() => void (child.exitCode === null && child.kill('SIGKILL')));
  const done = collect(child, { timeoutMs: 60_000 });
  let stderr = '';
  let sent = false;
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (!sent && /waiting for the redirect/.test(stderr)) sent = child.kill('SIGINT');
  });
  const interrupted = await done;
  t.is(interrupted.code, EXIT.INTERRUPTED, interrupted.stderr);
  t.regex(interrupted.stderr, /interrupted \(Ctrl\+C\); nothing was stored/);
  t.false(await stat(out).then(() => true, () => false));
  seen.add(interrupted.code as number);
  t.deepEqual([...seen].sort((a, b) => a - b), Object.keys(EXIT_MEANINGS).map(Number), 'every exit code of the table was produced');
});
