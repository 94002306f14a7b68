import test from 'ava';
import { join } from 'node:path';
import { collect, runCli, spawnCli, trackChildren } from '../../helpers/cli.js';
import { storeWith } from '../../helpers/fixtures.js';
import { ciJob, ciSecrets, grantSettings, refreshes, runMerged, sandboxFor } from './helpers.js';

const node = process.execPath;

async function envJob(t: Parameters<typeof ciJob>[0], opts: { expired?: boolean } = {}) {
  const sandbox = await sandboxFor(t);
  const { grant, settings } = await grantSettings(sandbox, opts);
  const s = await ciSecrets(settings);
  const job = await ciJob(t, { OAUTH_HANDOFF_SETTINGS: s.armored, OAUTH_HANDOFF_KEY: s.key });
  return { sandbox, grant, job };
}

test('exec hands the token to the command in OAUTH_ACCESS_TOKEN and exits with its exit code', async (t) => {
  const { grant, job } = await envJob(t);
  const script = 'process.stdout.write(process.env.OAUTH_ACCESS_TOKEN); process.exit(7)';
  const r = await runCli(['exec', 'svc', '--from-env', '--', node, '-e', script], { env: job.env });
  t.is(r.code, 7, r.stderr);
  t.is(r.stdout, grant.access_token);
  t.is(r.stderr, '');
});

test('exec --env-var names the variable; with --from-env the command sees no settings, key or passphrase', async (t) => {
  const { grant, job } = await envJob(t);
  const script =
    'const e = process.env; console.log(JSON.stringify({ t: e.API_TOKEN, d: e.OAUTH_ACCESS_TOKEN, s: e.OAUTH_HANDOFF_SETTINGS, k: e.OAUTH_HANDOFF_KEY, p: e.PATH !== undefined }))';
  const r = await runCli(['exec', 'svc', '--from-env', '--env-var', 'API_TOKEN', '--', node, '-e', script, '0x10'], { env: job.env });
  t.is(r.code, 0, r.stderr);
  t.deepEqual(JSON.parse(r.stdout), { t: grant.access_token, p: true });
});

test('exec refreshes first when the token is about to expire, and the command gets the new token', async (t) => {
  const { sandbox, grant, job } = await envJob(t, { expired: true });
  const r = await runCli(['exec', 'svc', '--from-env', '--', node, '-e', 'process.stdout.write(process.env.OAUTH_ACCESS_TOKEN)'], { env: job.env });
  t.is(r.code, 0, r.stderr);
  t.not(r.stdout, grant.access_token);
  t.true(sandbox.isAccessTokenValid(r.stdout));
  t.is(refreshes(sandbox).length, 1);
});

test('exec forwards SIGINT to the command and exits with the code the command chose', async (t) => {
  const { job } = await envJob(t);
  const track = trackChildren(t);
  const script = "process.on('SIGINT', () => process.exit(42)); console.log('ready'); setInterval(() => {}, 1000)";
  const child = track(spawnCli(['exec', 'svc', '--from-env', '--', node, '-e', script], { env: job.env }));
  const done = collect(child, { timeoutMs: 20_000 });
  await new Promise<void>((resolve) => child.stdout?.on('data', (d: Buffer) => d.toString().includes('ready') && resolve()));
  child.kill('SIGINT');
  const r = await done;
  t.is(r.code, 42, r.stderr);
});

test('exec forwards SIGTERM and exits 128+15 when the command is killed by it', async (t) => {
  const { job } = await envJob(t);
  const track = trackChildren(t);
  const script = "console.log('ready'); setInterval(() => {}, 1000)";
  const child = track(spawnCli(['exec', 'svc', '--from-env', '--', node, '-e', script], { env: job.env }));
  const done = collect(child, { timeoutMs: 20_000 });
  await new Promise<void>((resolve) => child.stdout?.on('data', (d: Buffer) => d.toString().includes('ready') && resolve()));
  child.kill('SIGTERM');
  const r = await done;
  t.is(r.code, 143, r.stderr);
  t.is(r.signal, null, 'oauth-handoff itself exits normally with the shell-style code');
});

test('exec with a command that does not exist exits 127; without a command it is a usage error', async (t) => {
  const { job } = await envJob(t);
  const r = await runCli(['exec', 'svc', '--from-env', '--', 'no-such-command-oauth-handoff'], { env: job.env });
  t.is(r.code, 127);
  t.regex(r.stderr, /command not found/);
  const none = await runCli(['exec', 'svc', '--from-env'], { env: job.env });
  t.is(none.code, 2);
  t.regex(none.stderr, /no command to run/);
});

test('exec under GitHub Actions masks the token before the command can print it', async (t) => {
  const { sandbox, job } = await envJob(t, { expired: true });
  job.env.GITHUB_ACTIONS = 'true';
  const r = await runMerged(['exec', 'svc', '--from-env', '--', node, '-e', 'console.log("token:" + process.env.OAUTH_ACCESS_TOKEN)'], job.env, join(job.dir, 'log'));
  t.is(r.code, 0, r.log);
  const lines = r.log.split('\n');
  const printed = lines.findIndex((l) => l.startsWith('token:'));
  const token = (lines[printed] as string).slice('token:'.length);
  t.true(sandbox.isAccessTokenValid(token));
  const mask = lines.indexOf(`::add-mask::${token}`);
  t.true(mask >= 0 && mask < printed, r.log);
});

test('exec works with a credential in the machine store too', async (t) => {
  const sandbox = await sandboxFor(t);
  const { grant, settings } = await grantSettings(sandbox);
  const job = await ciJob(t, {});
  const home = join(job.dir, 'store');
  await storeWith(home, settings);
  const r = await runCli(['exec', 'svc', '--store', home, '--', node, '-e', 'process.stdout.write(process.env.OAUTH_ACCESS_TOKEN)'], { env: job.env });
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, grant.access_token);
});
