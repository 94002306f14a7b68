/** `providers` and `demo` as a user runs them: the built CLI, a clean environment, no terminal. */
import test from 'ava';
import { mkdir, readdir } from 'node:fs/promises';
import { cleanEnv, runCli, tempDir } from '../helpers/cli.js';

test('providers --json lists every preset with the redirect URI to register and an example command', async (t) => {
  const base = await tempDir(t);
  const res = await runCli(['providers', '--json'], { env: cleanEnv(base) });
  t.is(res.code, 0, res.stderr);
  const list = JSON.parse(res.stdout) as Array<{ id: string; redirect: { register: string }; register: string[]; example: string }>;
  t.deepEqual(list.map((p) => p.id).sort(), ['backlog', 'confluence', 'generic', 'jira', 'questetra', 'redmine']);
  const byId = Object.fromEntries(list.map((p) => [p.id, p]));
  t.is(byId.redmine!.redirect.register, 'http://127.0.0.1/callback');
  t.is(byId.confluence!.redirect.register, 'http://localhost:PORT/callback');
  t.regex(byId.backlog!.example, /--redirect-uri http:\/\/localhost:PORT\/callback/);
  for (const p of list) t.true(p.register.length > 0, `${p.id} says what to register`);
  const one = await runCli(['providers', 'questetra'], { env: cleanEnv(base) });
  t.regex(one.stdout, /at most 10 refresh tokens per user/);
  t.is((await runCli(['providers', 'nope'], { env: cleanEnv(base) })).code, 2);
});

test('demo runs the whole hand-off with CI=true and no stdin, exits 0 in seconds, shows only a shortened token, and cleans up', async (t) => {
  const base = await tempDir(t);
  // a temp dir of its own, so other demos running at the same time cannot confuse the clean-up check
  const tmp = `${base}/tmp`;
  await mkdir(tmp);
  const started = Date.now();
  const res = await runCli(['demo'], { env: cleanEnv(base, { CI: 'true', TMPDIR: tmp }), timeoutMs: 60_000 });
  const elapsed = Date.now() - started;
  t.is(res.code, 0, res.stderr + res.stdout);
  t.log(`demo wall time: ${elapsed} ms`);
  for (const step of ['1. ', '2. ', '3. ', '4. ', '5. ', '6. ', '7. ']) t.true(res.stdout.includes(`\n${step}`), `step ${step}`);
  t.regex(res.stdout, /→ \S{6}… {2}\(the sandbox's API answers 200 to it\)/);
  t.regex(res.stdout, /new access token \S{6}…, new refresh token stored/);
  t.regex(res.stdout, /Done in [\d.]+ s/);
  // long random strings may only be the public key and the URL's state and PKCE challenge: never a token
  for (const m of res.stdout.matchAll(/[A-Za-z0-9_-]{40,}/g)) {
    const before = res.stdout.slice(0, m.index);
    t.true(m[0].startsWith('ohpub1') || /(?:state|code_challenge)=$/.test(before), `unexpected secret-looking string at ${m.index}`);
  }
  t.true(elapsed < 30_000);
  t.deepEqual(await readdir(tmp), [], 'the temporary store is removed');
});
