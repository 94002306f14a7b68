/**
 * The store is checked the way ssh checks ~/.ssh: a directory or file that
 * group/others can open or write, or that another user owns, is refused
 * (exit 1), naming the path and the command that fixes it; running that
 * command fixes it.
 */
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { chmod, chown, rename, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { cleanEnv, runCli, tempDir } from '../helpers/cli.js';
import { settingsFrom, storeWith } from '../helpers/fixtures.js';

async function store(t: Parameters<typeof tempDir>[0]) {
  const dir = await tempDir(t);
  const home = join(dir, 'store');
  const s = settingsFrom({ endpoints: { token: 'http://127.0.0.1:9/token' }, client: { id: 'c' } }, { access_token: 'at-ok', token_type: 'Bearer', expires_in: 3600 }, { name: 'svc' });
  await storeWith(home, s);
  return { dir, home, creds: join(home, 'credentials'), file: join(home, 'credentials', 'svc.ohs'), env: cleanEnv(dir, { OAUTH_HANDOFF_HOME: home }) };
}

/** `token svc` is refused with the fix named; running the fix makes it work. */
async function refusedThenFixed(t: Parameters<typeof tempDir>[0], env: NodeJS.ProcessEnv, message: RegExp): Promise<void> {
  const r = await runCli(['token', 'svc'], { env });
  t.is(r.code, 1, r.stderr);
  t.regex(r.stderr, message);
  t.is(r.stdout, '', 'no token from an unsafe store');
  const fix = /run `((?:chmod|chown) \S+ \S+)`/.exec(r.stderr)?.[1];
  t.truthy(fix, r.stderr);
  const [cmd, ...args] = (fix as string).split(' ');
  execFileSync(cmd as string, args);
  const again = await runCli(['token', 'svc'], { env });
  t.is(again.code, 0, again.stderr);
  t.is(again.stdout, 'at-ok\n');
}

test('a store directory open to others (0755) is refused', async (t) => {
  const s = await store(t);
  await chmod(s.home, 0o755);
  await refusedThenFixed(t, s.env, /the store directory .*store is readable by group or others \(mode 0755\); run `chmod 700 /);
});

test('a credentials directory writable by others (0777) is refused', async (t) => {
  const s = await store(t);
  await chmod(s.creds, 0o777);
  await refusedThenFixed(t, s.env, /the credentials directory .*credentials is writable by group or others \(mode 0777\); run `chmod 700 /);
});

test('a credential file readable by others (0644) is refused', async (t) => {
  const s = await store(t);
  await chmod(s.file, 0o644);
  await refusedThenFixed(t, s.env, /the credential file of "svc" .*svc\.ohs is readable by group or others \(mode 0644\); run `chmod 600 /);
});

test('a credentials directory that is a link to a directory writable by others is refused (the link is followed)', async (t) => {
  const s = await store(t);
  const elsewhere = join(s.dir, 'shared-credentials');
  await rename(s.creds, elsewhere);
  await chmod(elsewhere, 0o777);
  await symlink(elsewhere, s.creds);
  await refusedThenFixed(t, s.env, /the credentials directory .*credentials is writable by group or others \(mode 0777\)/);
});

test('a store owned by another user is refused, naming the chown', async (t) => {
  if (process.getuid?.() !== 0) {
    t.pass('needs root to give a directory away');
    return;
  }
  const s = await store(t);
  await chown(s.home, 65534, 65534);
  await refusedThenFixed(t, s.env, /the store directory .*store belongs to another user \(uid 65534\), not to this one \(uid 0\); run `chown 0 /);
});

test('status of a store whose credentials directory others can write is refused too', async (t) => {
  const s = await store(t);
  await chmod(s.creds, 0o777);
  const r = await runCli(['status'], { env: s.env });
  t.is(r.code, 1, r.stderr);
  t.regex(r.stderr, /chmod 700/);
});
