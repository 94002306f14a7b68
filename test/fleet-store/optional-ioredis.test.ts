/**
 * ioredis is an optional peer dependency: an installation without it works
 * for every command on a file store, and a redis:// store says how to add it.
 * The installation is real: the package's files in <project>/node_modules/oauth-handoff
 * beside every dependency of this checkout except ioredis, so Node's own
 * resolution does not find it (no loader hooks, nothing of ours replaced).
 */
import test from 'ava';
import type { ExecutionContext } from 'ava';
import { spawn } from 'node:child_process';
import { cp, mkdir, readdir, readFile, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, cleanEnv, collect, tempDir } from '../helpers/cli.js';
import type { CliResult } from '../helpers/cli.js';

interface Manifest {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

test('the manifest: ioredis is an optional peer dependency (and a devDependency for the tests), not a dependency', async (t) => {
  const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as Manifest;
  t.is(pkg.dependencies?.ioredis, undefined);
  t.truthy(pkg.peerDependencies?.ioredis);
  t.true(pkg.peerDependenciesMeta?.ioredis?.optional);
  t.truthy(pkg.devDependencies?.ioredis);
});

/** A project with oauth-handoff installed and every dependency but ioredis. */
async function installWithoutIoredis(t: ExecutionContext): Promise<{ project: string; bin: string; pkg: string }> {
  const project = await tempDir(t, 'oh-no-ioredis-');
  const modules = join(project, 'node_modules');
  const pkg = join(modules, 'oauth-handoff');
  await mkdir(join(pkg, 'dist'), { recursive: true });
  await cp(join(ROOT, 'package.json'), join(pkg, 'package.json'));
  await cp(join(ROOT, 'bin'), join(pkg, 'bin'), { recursive: true });
  await cp(join(ROOT, 'dist', 'src'), join(pkg, 'dist', 'src'), { recursive: true });
  await cp(join(ROOT, 'dist', 'i18n'), join(pkg, 'dist', 'i18n'), { recursive: true }); // the message catalogs (package.json "files")
  for (const f of await readdir(join(ROOT, 'dist'))) if (f.endsWith('.cjs')) await cp(join(ROOT, 'dist', f), join(pkg, 'dist', f));
  for (const entry of await readdir(join(ROOT, 'node_modules'))) {
    if (entry === 'ioredis' || entry.startsWith('.')) continue;
    await symlink(join(ROOT, 'node_modules', entry), join(modules, entry));
  }
  return { project, bin: join(pkg, 'bin', 'oauth-handoff.cjs'), pkg };
}

function run(t: ExecutionContext, project: string, args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  const child = spawn(process.execPath, args, { cwd: project, env, stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return collect(child, { timeoutMs: 30_000 });
}

test('without ioredis installed: file-store commands work; a redis:// store fails with a typed error saying how to add it', async (t) => {
  t.timeout(90_000);
  const { project, bin, pkg } = await installWithoutIoredis(t);
  const home = join(project, 'home');
  const env = cleanEnv(project, { OAUTH_HANDOFF_HOME: home, NODE_PATH: '' });
  // really absent: Node cannot resolve it from inside the installed package
  const probe = await run(t, project, ['-e', `require.resolve('ioredis', { paths: [${JSON.stringify(join(pkg, 'dist'))}] })`], env);
  t.not(probe.code, 0, 'ioredis must not be resolvable in this installation');

  const version = await run(t, project, [bin, '--version'], env);
  t.is(version.code, 0, version.stderr);
  const keygen = await run(t, project, [bin, 'keygen'], env);
  t.is(keygen.code, 0, keygen.stderr);
  const status = await run(t, project, [bin, 'status'], env);
  t.is(status.code, 0, status.stderr);
  const missing = await run(t, project, [bin, 'token', 'svc'], env);
  t.is(missing.code, 1, missing.stderr);
  t.regex(missing.stderr, /no credential named "svc"/, 'a file store never needs ioredis');

  // the store is never contacted: the client is missing before any connection
  const url = 'redis://127.0.0.1:9/0';
  for (const args of [
    ['token', 'svc', '--store', url], // the fast path (CommonJS bundles)
    ['status', '--store', url], // the full CLI (ESM)
    ['fleet', 'members', '--store', url],
  ]) {
    const r = await run(t, project, [bin, ...args], env);
    t.is(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
    t.regex(r.stderr, /the fleet store \(redis:\/\/127\.0\.0\.1:9\/0\) needs the Redis client ioredis, which is not installed: run `npm install ioredis` where oauth-handoff is installed/, args.join(' '));
    t.notRegex(r.stderr, /bug in oauth-handoff|Cannot find (module|package)/, args.join(' '));
  }

  // the library: a HandoffError a program can tell apart
  const script = `
    import { openCredential } from ${JSON.stringify(pathToFileURL(join(pkg, 'dist', 'src', 'index.js')).href)};
    try {
      const c = await openCredential({ name: 'svc' }, { store: ${JSON.stringify(url)} });
      await c.accessToken();
      console.log('no error');
    } catch (e) {
      console.log(JSON.stringify({ name: e.name, code: e.code, key: e.key, message: e.message }));
    }`;
  const lib = await run(t, project, ['--input-type=module', '-e', script], env);
  t.is(lib.code, 0, lib.stderr);
  const e = JSON.parse(lib.stdout) as { name: string; code: string; key: string; message: string };
  t.is(e.name, 'HandoffError');
  t.is(e.key, 'fleet.ioredis_missing');
  t.is(e.code, 'INTERNAL');
  t.regex(e.message, /npm install ioredis/);
});
