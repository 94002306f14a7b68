/**
 * The package as users receive it: `npm pack` from a copy of the repository
 * (its prepack builds there, never in the tree other tests run from), an
 * install of the tarball into an empty prefix, and real uses of what got
 * installed — the CLI, ESM import, CommonJS require, a .cts file type-checked
 * and run. Nothing from the build toolchain may be needed at run time.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../helpers/cli.js';

const run = promisify(execFile);
const NPM_ENV = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', npm_config_prefer_offline: 'true' };

interface Installed {
  work: string;
  tarball: string;
  files: string[];
  manifest: Record<string, unknown>;
  prefix: string;
  installLog: string;
}

let installed: Promise<Installed> | undefined;

/** Pack once and install once for every test in this file. */
function packAndInstall(): Promise<Installed> {
  installed ??= (async () => {
    const work = await mkdtemp(join(tmpdir(), 'oh-pack-'));
    const src = join(work, 'src-copy');
    const { stdout: tracked } = await run('git', ['ls-files', '-z'], { cwd: ROOT });
    for (const f of tracked.split('\0').filter(Boolean)) {
      await mkdir(join(src, f, '..'), { recursive: true });
      await cp(join(ROOT, f), join(src, f)).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e; // a file deleted in the working tree
      });
    }
    await symlink(join(ROOT, 'node_modules'), join(src, 'node_modules'));
    const { stdout: packed } = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: src, env: NPM_ENV, maxBuffer: 64 << 20 });
    const info = (JSON.parse(packed) as { filename: string; files: { path: string }[] }[])[0]!;
    const tarball = join(work, info.filename);
    const { stdout: manifestText } = await run('tar', ['-xOzf', tarball, 'package/package.json']);
    const prefix = join(work, 'prefix');
    await mkdir(prefix);
    await writeFile(join(prefix, 'package.json'), '{ "name": "consumer", "version": "1.0.0", "private": true }\n');
    const inst = await run('npm', ['install', '--no-package-lock', tarball], { cwd: prefix, env: NPM_ENV, maxBuffer: 64 << 20 });
    return { work, tarball, files: info.files.map((f) => f.path), manifest: JSON.parse(manifestText) as Record<string, unknown>, prefix, installLog: inst.stdout + inst.stderr };
  })();
  return installed;
}

test.after.always(async () => {
  if (installed) await rm((await installed.catch(() => ({ work: '' }))).work || join(tmpdir(), 'nonexistent-oh'), { recursive: true, force: true });
});

test('the tarball carries the built code, the licence and the changelog, and no maps, tests or sources', async (t) => {
  const { files } = await packAndInstall();
  for (const f of ['LICENSE', 'CHANGELOG.md', 'README.md', 'dist/man/man1/oauth-handoff.1', 'bin/oauth-handoff.cjs', 'dist/fast-token.cjs', 'dist/i18n/en.json', 'dist/i18n/ja.json', 'dist/src/index.js', 'dist/src/index.d.ts', 'docs/ja/README.md']) t.true(files.includes(f), f);
  t.deepEqual(files.filter((f) => f.endsWith('.map')), [], 'no source maps (they would name sources that are not shipped)');
  t.deepEqual(files.filter((f) => /^(src|test|bench|scripts)\//.test(f) || f.startsWith('dist/test/') || f.startsWith('dist/bench/')), []);
});

test('the published manifest has no install-time script, and installing it warns about none', async (t) => {
  const { manifest, installLog } = await packAndInstall();
  const scripts = (manifest.scripts ?? {}) as Record<string, string>;
  for (const s of ['prepare', 'preinstall', 'install', 'postinstall']) t.is(scripts[s], undefined, s);
  t.notRegex(installLog, /install-scripts/i, installLog);
  t.is(manifest.license, 'MIT');
});

test('the installed CLI runs: --version and the whole demo', async (t) => {
  const { prefix, manifest } = await packAndInstall();
  const bin = join(prefix, 'node_modules/.bin/oauth-handoff');
  const v = await run(bin, ['--version'], { cwd: prefix });
  t.is(v.stdout.trim(), String(manifest.version));
  const demo = await run(bin, ['demo'], { cwd: prefix, env: { ...process.env, LANG: 'C', NO_COLOR: '1' }, timeout: 60_000 });
  t.regex(demo.stdout, /Done in [\d.]+ s/);
  // the token path (the bundles) reads its catalogs from the installed files
  const failed = await run(bin, ['token', 'nope', '--store', join(prefix, 'no-store')], { cwd: prefix, env: { ...process.env, OAUTH_HANDOFF_LANG: 'ja', NO_COLOR: '1' } }).then(
    () => undefined,
    (e: { code?: number; stderr?: string }) => e,
  );
  t.truthy(failed?.code);
  t.regex(failed?.stderr ?? '', /^oauth-handoff: エラー: /m);
});

test('nothing from the build toolchain is installed for users', async (t) => {
  const { prefix } = await packAndInstall();
  const names = await readdir(join(prefix, 'node_modules'));
  for (const dev of ['typescript', 'esbuild', 'ava', 'oidc-provider', 'playwright-core', 'bech32']) t.false(names.includes(dev), dev);
});

test('the library loads from ESM, from CommonJS, and from a type-checked .cts file', async (t) => {
  const { prefix } = await packAndInstall();
  await writeFile(join(prefix, 'esm.mjs'), "import { openCredential, HandoffError } from 'oauth-handoff';\nconsole.log(typeof openCredential, typeof HandoffError);\n");
  t.is((await run(process.execPath, ['esm.mjs'], { cwd: prefix })).stdout.trim(), 'function function');
  await writeFile(join(prefix, 'cjs.cjs'), "const { openCredential, attachTo } = require('oauth-handoff');\nconsole.log(typeof openCredential, typeof attachTo);\n");
  t.is((await run(process.execPath, ['cjs.cjs'], { cwd: prefix })).stdout.trim(), 'function function');
  // a TypeScript CommonJS file, checked with the repository's compiler, then run
  await writeFile(join(prefix, 'consumer.cts'), "import { openCredential } from 'oauth-handoff';\nimport type { Credential } from 'oauth-handoff';\nconst open: typeof openCredential = openCredential;\nconst none: Credential | undefined = undefined;\nconsole.log(typeof open, none === undefined ? '' : 'x');\n");
  await writeFile(
    join(prefix, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, types: [], skipLibCheck: true, outDir: 'out' }, files: ['consumer.cts'] }),
  );
  await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: prefix }).catch((e: { stdout?: string }) => {
    t.fail(`tsc: ${e.stdout ?? String(e)}`);
  });
  t.is((await run(process.execPath, ['out/consumer.cjs'], { cwd: prefix })).stdout.trim(), 'function');
});
