/** `demo --profile`: the hand-off against another kind of system, as a user runs it (the built CLI). */
import { mkdir, readdir } from 'node:fs/promises';
import test from 'ava';
import { cleanEnv, runCli, tempDir } from '../helpers/cli.js';

test('demo --profile oauth21: from the resource URL alone, a registered client and a token the resource takes, then a refresh', async (t) => {
  const base = await tempDir(t);
  const tmp = `${base}/tmp`;
  await mkdir(tmp);
  const res = await runCli(['demo', '--profile', 'oauth21'], { env: cleanEnv(base, { CI: 'true', TMPDIR: tmp }), timeoutMs: 60_000 });
  t.is(res.code, 0, res.stderr + res.stdout);
  t.regex(res.stdout, /3\. Authorize on the "laptop": `oauth-handoff authorize --resource http:\/\/127\.0\.0\.1:\d+\/mcp --to ohpub1\S+… -o demo\.ohs`/);
  t.regex(res.stdout, /registered the client dyn-\S+ at http:\/\/127\.0\.0\.1:\d+\/register \(RFC 7591\)/);
  t.regex(res.stdout, /resource=http%3A%2F%2F127\.0\.0\.1%3A\d+%2Fmcp/, 'the authorization request names the resource (RFC 8707)');
  t.regex(res.stdout, /→ \S{6}… {2}\(the sandbox's API answers 200 to it\)/, 'the protected resource accepts the token');
  t.regex(res.stdout, /new access token \S{6}…, new refresh token stored \(the API answers 200\)/);
  t.regex(res.stdout, /Next: `oauth-handoff authorize --resource URL`/);
  for (const m of res.stdout.matchAll(/[A-Za-z0-9_-]{40,}/g)) {
    const before = res.stdout.slice(0, m.index);
    t.true(m[0].startsWith('ohpub1') || /(?:state|code_challenge)=$/.test(before), `unexpected secret-looking string at ${m.index}`);
  }
  t.deepEqual(await readdir(tmp), [], 'the temporary store is removed');
});

test('demo --profile names the profiles it has', async (t) => {
  const base = await tempDir(t);
  const res = await runCli(['demo', '--profile', 'jira'], { env: cleanEnv(base) });
  t.is(res.code, 2);
  t.regex(res.stderr, /demo --profile takes redmine or oauth21, not "jira"/);
});
