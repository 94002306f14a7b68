/**
 * The CLI's frame as a person meets it: no arguments prints the help, exec
 * without `--` works (or says to add it), completion honours its shell and
 * completes credential names and provider ids, and with --json an error is
 * one JSON object on stdout. Real processes of the built CLI.
 */
import test from 'ava';
import { join } from 'node:path';
import { startSandbox } from '../../src/sandbox/index.js';
import { cleanEnv, runCli, tempDir } from '../helpers/cli.js';
import { settingsFrom, storeWith } from '../helpers/fixtures.js';

async function machine(t: import('ava').ExecutionContext) {
  const sandbox = await startSandbox({ profile: 'generic' });
  t.teardown(() => sandbox.close());
  const base = await tempDir(t);
  const home = join(base, 'store');
  await storeWith(home, settingsFrom(sandbox, await sandbox.mintGrant(), { name: 'svc' }), settingsFrom(sandbox, await sandbox.mintGrant(), { name: 'svc-two' }));
  return { sandbox, home, env: cleanEnv(base, { OAUTH_HANDOFF_HOME: home }) };
}

test('no arguments: the help on stderr, exit 2, nothing on stdout', async (t) => {
  const r = await runCli([], { env: cleanEnv(await tempDir(t)) });
  t.is(r.code, 2);
  t.is(r.stdout, '');
  t.regex(r.stderr, /oauth-handoff <command> \[options\]/);
  t.regex(r.stderr, /oauth-handoff login/);
});

test('exec NAME cmd args works without --; an option of the command asks for --', async (t) => {
  const m = await machine(t);
  const plain = await runCli(['exec', 'svc', 'printenv', 'OAUTH_ACCESS_TOKEN'], { env: m.env });
  t.is(plain.code, 0, plain.stderr);
  t.true(m.sandbox.isAccessTokenValid(plain.stdout.trim()));
  const dashed = await runCli(['exec', 'svc', 'sh', '-c', 'echo $OAUTH_ACCESS_TOKEN'], { env: m.env });
  t.is(dashed.code, 2);
  t.regex(dashed.stderr, /put -- before the command \(oauth-handoff exec NAME -- CMD ARGS…\)/);
  const withDashes = await runCli(['exec', 'svc', '--', 'sh', '-c', 'echo $OAUTH_ACCESS_TOKEN'], { env: m.env });
  t.is(withDashes.code, 0, withDashes.stderr);
  t.is(withDashes.stdout, plain.stdout);
});

test('completion bash|zsh prints that shell\'s script; names and provider ids are completed', async (t) => {
  const m = await machine(t);
  const zsh = await runCli(['completion', 'zsh'], { env: { ...m.env, SHELL: '/bin/bash' } });
  t.is(zsh.code, 0);
  t.regex(zsh.stdout, /^#compdef oauth-handoff/m);
  const bash = await runCli(['completion', 'bash'], { env: { ...m.env, SHELL: '/usr/bin/zsh' } });
  t.is(bash.code, 0);
  t.regex(bash.stdout, /complete -o bashdefault -o default -F/);
  const fish = await runCli(['completion', 'fish'], { env: m.env });
  t.is(fish.code, 2);

  const names = await runCli(['--get-yargs-completions', 'oauth-handoff', 'token', 'svc'], { env: m.env });
  t.deepEqual(names.stdout.trim().split('\n').filter((l) => !l.startsWith('-')), ['svc', 'svc-two']);
  const one = await runCli(['--get-yargs-completions', 'oauth-handoff', 'token', 'svc', ''], { env: m.env });
  t.false(one.stdout.split('\n').includes('svc-two'), 'token takes one name');
  const providers = await runCli(['--get-yargs-completions', 'oauth-handoff', 'login', '--provider', 'j'], { env: m.env });
  t.deepEqual(providers.stdout.trim().split('\n'), ['jira']);
});

test('--json: an error is one JSON object on stdout with its code, message and exit code', async (t) => {
  const m = await machine(t);
  const r = await runCli(['token', 'missing', '--json'], { env: m.env });
  t.is(r.code, 1);
  const body = JSON.parse(r.stdout) as { error: { code: string; message: string; exit: number; hint: string | null } };
  t.is(body.error.code, 'NOT_FOUND');
  t.is(body.error.exit, 1);
  t.regex(body.error.message, /missing/);
  t.is(typeof body.error.hint, 'string');
  const usage = await runCli(['token', 'svc', '--json', '--min-valid', 'abc'], { env: m.env });
  t.is(usage.code, 2);
  t.deepEqual(Object.keys(JSON.parse(usage.stdout).error), ['code', 'message', 'exit', 'hint']);
  t.is(JSON.parse(usage.stdout).error.code, 'USAGE');
});
