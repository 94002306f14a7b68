/**
 * `oauth-handoff sandbox --profile P` as a newcomer uses it: the built CLI runs
 * the sandbox, the lines it says to paste and the commands it says to run next
 * are run literally in bash (with the docs' continuation: import, token, curl
 * "$API_URL"), and a browser stand-in approves what the commands print.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { BIN, cleanEnv, spawnCli, tempDir, trackChildren } from '../helpers/cli.js';
import { freePort } from '../helpers/net.js';

interface Playground {
  text: string;
  /** the indented blocks after the paste header: [paste lines, next commands, device commands?] */
  blocks: string[][];
  json?: Record<string, unknown>;
}

/** Start `oauth-handoff sandbox ARGS` and wait (bounded) until it says how to stop it. */
async function startPlayground(t: ExecutionContext, args: string[], env: NodeJS.ProcessEnv): Promise<Playground & { child: ChildProcess; stderrNow: () => string }> {
  const child = trackChildren(t)(spawnCli(['sandbox', ...args], { env }));
  let stderr = '';
  let stdout = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  for (let i = 0; i < 600 && !stderr.includes('Ctrl+C') && !(args.includes('--json') && stdout.trim().endsWith('}')); i++) {
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const blocks: string[][] = [];
  const after = stderr.split('\n');
  const start = after.findIndex((l) => l.startsWith('To follow the docs'));
  let current: string[] | undefined;
  for (const line of start < 0 ? [] : after.slice(start + 1)) {
    if (line.startsWith('  ')) (current ??= []).push(line.slice(2));
    else if (line !== '' && current) {
      blocks.push(current);
      current = undefined;
    }
  }
  if (current) blocks.push(current);
  const p: Playground & { child: ChildProcess; stderrNow: () => string } = { text: stderr, blocks, child, stderrNow: () => stderr };
  if (args.includes('--json')) p.json = JSON.parse(stdout) as Record<string, unknown>;
  return p;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  approvals: string[];
}

/**
 * Run a script in bash the way a person would in a second terminal; every
 * authorization or device URL it prints on stderr is opened (the sandbox
 * approves at once), as a browser would.
 */
async function runAsPerson(t: ExecutionContext, script: string): Promise<Run> {
  const dir = await tempDir(t, 'oh-playground-');
  const bin = join(dir, 'bin');
  const home = join(dir, 'home');
  await Promise.all([mkdir(bin), mkdir(home)]);
  await symlink(BIN, join(bin, 'oauth-handoff'));
  await writeFile(join(dir, 'run.sh'), `set -euo pipefail\n${script}\n`);
  const env = cleanEnv(home, { PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`, NO_PROXY: '127.0.0.1,localhost' });
  const child = spawn('bash', [join(dir, 'run.sh')], { cwd: dir, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  const killAll = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* already gone */
    }
  };
  t.teardown(killAll);
  const approvals: string[] = [];
  const opened = new Set<string>();
  const open = async (url: string) => {
    try {
      const r = await fetch(url, { redirect: 'manual' });
      await r.arrayBuffer();
      const location = r.headers.get('location');
      if (!location) return void approvals.push(`${new URL(url).pathname}: ${r.status}`);
      const landed = new URL(location, url);
      await (await fetch(landed)).arrayBuffer();
      approvals.push(`redirected to ${landed.origin}${landed.pathname}`);
    } catch (e) {
      approvals.push(`${url}: ${(e as Error).message}`);
    }
  };
  return new Promise<Run>((resolve) => {
    let stdout = '';
    let stderr = '';
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      pending += d;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const raw of lines) {
        const line = raw.trim();
        if (!/^http:\/\/127\.0\.0\.1:\d+\/\S*(response_type=code|user_code=)\S*$/.test(line) || opened.has(line)) continue;
        opened.add(line);
        void open(line);
      }
    });
    child.stdin.end();
    const timer = setTimeout(killAll, 90_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      killAll();
      resolve({ code, stdout, stderr, approvals });
    });
  });
}

const cases = [
  { profile: 'redmine', expect: '"issues":[' },
  { profile: 'generic', expect: '"login":"alice"' },
  { profile: 'confluence', expect: '"login":"alice"' },
  { profile: 'jira', expect: '"login":"alice"' },
  { profile: 'backlog', expect: '"login":"alice"' },
  { profile: 'questetra', expect: '"login":"alice"' },
] as const;

for (const c of cases) {
  // serial: each journey runs several processes; one at a time keeps a shared machine's load bounded
  test.serial(`${c.profile}: the pasted lines and the next commands run as printed, and the docs' API call answers`, async (t) => {
    const home = await tempDir(t, 'oh-sandbox-home-');
    // a free port instead of the documented 8765, so a busy machine cannot break the journey
    const port = await freePort();
    const p = await startPlayground(t, ['--profile', c.profile, '--auto-approve', '--redirect-port', String(port)], cleanEnv(home));
    t.true(p.text.includes(`${c.profile} sandbox listening on http://127.0.0.1:`), p.text);
    const [paste, next] = p.blocks;
    t.truthy(paste, p.text);
    t.truthy(next, p.text);
    t.true(paste!.some((l) => l.startsWith('export CLIENT_ID=')));
    t.true(paste!.some((l) => l.includes('client-secret.txt')));
    if (c.profile !== 'redmine') t.true(paste!.some((l) => l.startsWith('export REDIRECT_URI=') && l.includes(`:${port}/callback`)), 'systems matching exactly get the redirect URI to use');
    const name = /--name (\S+)/.exec(next!.join('\n'))?.[1];
    t.truthy(name);
    const run = await runAsPerson(
      t,
      [...paste!, ...next!, `oauth-handoff import ${name}.ohs`, `curl -fsS -H "Authorization: Bearer $(oauth-handoff token ${name})" "$API_URL"`].join('\n'),
    );
    t.is(run.code, 0, `${run.stderr}\n${run.approvals.join('\n')}`);
    t.true(run.stdout.includes(c.expect), run.stdout);
    t.false(run.stderr.includes('refusing') || run.stderr.includes('give the one registered there'), run.stderr);
  });
}

test.serial('generic with --device-grant: `login --device` as printed gets a token the API takes', async (t) => {
  const home = await tempDir(t, 'oh-sandbox-home-');
  const p = await startPlayground(t, ['--profile', 'generic', '--auto-approve', '--device-grant'], cleanEnv(home));
  const [paste, , device] = p.blocks;
  t.truthy(device, p.text);
  t.regex(device!.join('\n'), /login --device/);
  const name = /--name (\S+)/.exec(device!.join('\n'))?.[1];
  const run = await runAsPerson(t, [...paste!, ...device!, `curl -fsS -H "Authorization: Bearer $(oauth-handoff token ${name})" "$API_URL"`].join('\n'));
  t.is(run.code, 0, `${run.stderr}\n${run.approvals.join('\n')}`);
  t.true(run.stdout.includes('"login":"alice"'), run.stdout);
  t.true(run.approvals.some((a) => a.startsWith('/device: 200')), run.approvals.join('\n'));
});

test('the device grant is refused on profiles imitating systems without it', async (t) => {
  const home = await tempDir(t, 'oh-sandbox-home-');
  const p = await startPlayground(t, ['--profile', 'redmine', '--device-grant'], cleanEnv(home));
  await new Promise((r) => (p.child.exitCode !== null ? r(undefined) : p.child.once('close', r)));
  t.is(p.child.exitCode, 2);
  t.regex(p.text, /redmine profile imitates a system without the device grant.*generic, oauth21/);
});

test('--json is snake_case and carries the variables and next commands; a secret from a file is not printed', async (t) => {
  const home = await tempDir(t, 'oh-sandbox-home-');
  const file = join(home, 'my-secret');
  await writeFile(file, 'a-secret-of-mine\n');
  const p = await startPlayground(t, ['--profile', 'confluence', '--json', '--client-secret-file', file], cleanEnv(home));
  const j = p.json as { client: Record<string, unknown>; endpoints: Record<string, unknown>; variables: Record<string, string>; next: string[] };
  t.deepEqual(j.client.redirect_uris, ['http://localhost:8765/callback']);
  t.false('redirectUris' in j.client);
  t.is(j.client.secret, null);
  t.is(typeof j.endpoints.authorization, 'string');
  t.is(j.variables.CONFLUENCE_URL, j.variables.SANDBOX_URL);
  t.is(j.variables.REDIRECT_URI, 'http://localhost:8765/callback');
  t.regex(j.next.join('\n'), /--redirect-uri "\$REDIRECT_URI"/);
  t.false(p.text.includes('a-secret-of-mine'));
  // the secret really is the file's: the token endpoint takes it
  const r = await fetch(j.endpoints.token as string, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'x', client_id: 'sandbox-client', client_secret: 'a-secret-of-mine' }),
  });
  t.is(((await r.json()) as { error: string }).error, 'invalid_grant', 'the client authenticated; only the refresh token is unknown');
});

test('the default secret is fixed and shown; $OAUTH_HANDOFF_SANDBOX_CLIENT_SECRET replaces it without being printed; argv warns', async (t) => {
  const home = await tempDir(t, 'oh-sandbox-home-');
  const fixed = await startPlayground(t, ['--profile', 'redmine'], cleanEnv(home));
  t.regex(fixed.text, /client secret +sandbox-secret \(fixed/);
  t.true(fixed.blocks[0]!.includes(`(umask 077; printf '%s\\n' sandbox-secret > client-secret.txt)`), fixed.blocks[0]!.join('\n'));
  fixed.child.kill('SIGTERM');
  const fromEnv = await startPlayground(t, ['--profile', 'redmine'], cleanEnv(home, { OAUTH_HANDOFF_SANDBOX_CLIENT_SECRET: 'env-secret-1234' }));
  t.false(fromEnv.text.includes('env-secret-1234'));
  t.true(fromEnv.blocks[0]!.some((l) => l.includes('"$OAUTH_HANDOFF_SANDBOX_CLIENT_SECRET"')));
  fromEnv.child.kill('SIGTERM');
  const argv = await startPlayground(t, ['--profile', 'redmine', '--client-secret', 'argv-secret'], cleanEnv(home));
  t.regex(argv.text, /warning: a sandbox client secret given on the command line/);
  argv.child.kill('SIGTERM');
});

test.serial('oauth21: from the resource URL alone (registration, resource indicators), authorize, import, refresh, and only that resource takes the token', async (t) => {
  const home = await tempDir(t, 'oh-sandbox-home-');
  const p = await startPlayground(t, ['--profile', 'oauth21', '--auto-approve', '--verbose'], cleanEnv(home));
  const [paste, next] = p.blocks;
  t.truthy(next, p.text);
  t.false(next!.join('\n').includes('--client-id'), 'no client id: it registers one');
  const resource = /^export RESOURCE_URL=(\S+)$/m.exec(paste!.join('\n'))?.[1];
  t.truthy(resource);
  const run = await runAsPerson(
    t,
    [
      ...paste!,
      ...next!,
      'oauth-handoff import mcp.ohs',
      'oauth-handoff refresh mcp',
      'curl -fsS -H "Authorization: Bearer $(oauth-handoff token mcp)" "$API_URL"',
      'echo',
      'curl -sS -o /dev/null -w "other resource: %{http_code}\\n" -H "Authorization: Bearer $(oauth-handoff token mcp)" "$SANDBOX_URL/files"',
      'TOKEN="$(oauth-handoff token mcp)"',
      'oauth-handoff forget mcp --revoke --delete-client',
      'curl -sS -o /dev/null -w "after forget: %{http_code}\\n" -H "Authorization: Bearer $TOKEN" "$API_URL"',
    ].join('\n'),
  );
  t.is(run.code, 0, `${run.stderr}\n${run.approvals.join('\n')}`);
  t.true(run.stdout.includes(`"resource":"${resource}"`), run.stdout);
  t.true(run.stdout.includes('other resource: 401'), run.stdout);
  const log = p.stderrNow();
  t.regex(log, /POST \/register 201 client=dyn-/);
  t.true(run.stdout.includes('after forget: 401'), run.stdout);
  for (let i = 0; i < 50 && !/DELETE \/register\/dyn-/.test(p.stderrNow()); i++) await new Promise((r) => setTimeout(r, 100));
  t.regex(p.stderrNow(), /POST \/revoke 200 client=dyn-/, 'forget --revoke revokes at the server (RFC 7009)');
  t.regex(p.stderrNow(), /DELETE \/register\/dyn-\S+ 204/, 'and deletes the registered client with its registration access token (RFC 7592)');
  t.true(log.includes(`GET /authorize 302 client=`) && log.includes(`resource=${resource}`), log);
  t.regex(log, new RegExp(`POST /token 200 grant_type=refresh_token client=dyn-\\S+ refresh=\\S+ resource=${resource!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`), 'the refresh names the resource too (RFC 8707)');
});

test.serial('oauth21 with --device-grant: `login --device --resource` as printed', async (t) => {
  const home = await tempDir(t, 'oh-sandbox-home-');
  const p = await startPlayground(t, ['--profile', 'oauth21', '--auto-approve', '--device-grant'], cleanEnv(home));
  const [paste, , device] = p.blocks;
  t.truthy(device, p.text);
  const run = await runAsPerson(t, [...paste!, ...device!, 'curl -fsS -H "Authorization: Bearer $(oauth-handoff token mcp-device)" "$API_URL"'].join('\n'));
  t.is(run.code, 0, `${run.stderr}\n${run.approvals.join('\n')}`);
  t.true(run.stdout.includes('"resource":"'), run.stdout);
});

test.serial('oauth21 with --confidential-clients --registered-secret-ttl: the registered secret expires, and status says when', async (t) => {
  const home = await tempDir(t, 'oh-sandbox-home-');
  const p = await startPlayground(t, ['--profile', 'oauth21', '--auto-approve', '--confidential-clients', '--registered-secret-ttl', '7200'], cleanEnv(home));
  const [paste, next] = p.blocks;
  const run = await runAsPerson(t, [...paste!, ...next!, 'oauth-handoff import mcp.ohs', 'oauth-handoff status mcp --json'].join('\n'));
  t.is(run.code, 0, `${run.stderr}\n${run.approvals.join('\n')}`);
  const status = JSON.parse(run.stdout.slice(run.stdout.indexOf('{'))) as unknown;
  const entry = (Array.isArray(status) ? status[0] : (status as { credentials?: unknown[] }).credentials?.[0] ?? status) as Record<string, unknown>;
  t.is(typeof entry.client_secret_expires_at, 'string', run.stdout);
  const left = Date.parse(entry.client_secret_expires_at as string) - Date.now();
  t.true(left > 0 && left <= 7200 * 1000, `${entry.client_secret_expires_at}`);
});
