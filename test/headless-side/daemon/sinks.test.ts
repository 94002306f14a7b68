import test from 'ava';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { FileStore } from '../../../src/settings-file/index.js';
import { parseSinkSpec, renderSink } from '../../../src/headless-side/daemon/sinks.js';
import { runCli } from '../../helpers/cli.js';
import { FAST, fixture, revokeAtProvider, sleep, spawnDaemon, stopDaemon } from './helpers.js';

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

async function sinkDir(base: string): Promise<string> {
  const dir = `${base}/run`;
  await mkdir(dir, { mode: 0o700 });
  return dir;
}

test('a sink spec reads NAME=PATH and its options; nonsense is a usage error', (t) => {
  t.deepEqual(parseSinkSpec('api=/run/x/api.token'), { name: 'api', path: '/run/x/api.token', format: 'token', mode: 0o600 });
  t.deepEqual(parseSinkSpec('api=/run/x/api.env,format=env,mode=0640,group=www-data,var=API_TOKEN'), {
    name: 'api',
    path: '/run/x/api.env',
    format: 'env',
    mode: 0o640,
    group: 'www-data',
    envVar: 'API_TOKEN',
  });
  for (const bad of ['api', '=/x', 'api=relative/path', 'api=/x,format=xml', 'api=/x,mode=0666', 'api=/x,mode=0644', 'api=/x,mode=abc', 'api=/x,color=red', 'api=/x,var=A']) {
    t.throws(() => parseSinkSpec(bad), { code: 'USAGE' } as never, bad);
  }
});

test('each format carries the access token and nothing else secret; a token that cannot be written safely is not written', (t) => {
  const s = {
    name: 'api',
    token: { access_token: 'AT.abc-123', token_type: 'Bearer', obtained_at: '2026-01-01T00:00:00.000Z', expires_at: '2026-01-01T01:00:00.000Z', refresh_token: 'RT-SECRET', scope: 'read' },
    client: { id: 'c', secret: 'CLIENT-SECRET' },
  } as never;
  const spec = (format: string) => parseSinkSpec(`api=/x,format=${format}`);
  t.is(renderSink(spec('token'), s), 'AT.abc-123');
  t.is(renderSink(spec('header'), s), 'Authorization: Bearer AT.abc-123\n');
  t.is(renderSink(spec('env'), s), "OAUTH_ACCESS_TOKEN='AT.abc-123'\nOAUTH_ACCESS_TOKEN_EXPIRES_AT='2026-01-01T01:00:00.000Z'\n");
  t.deepEqual(JSON.parse(renderSink(spec('json'), s) as string), {
    credential: 'api',
    access_token: 'AT.abc-123',
    token_type: 'Bearer',
    expires_at: '2026-01-01T01:00:00.000Z',
    obtained_at: '2026-01-01T00:00:00.000Z',
    scope: 'read',
  });
  for (const f of ['token', 'header', 'env', 'json']) {
    const text = renderSink(spec(f), s) as string;
    t.false(text.includes('RT-SECRET') || text.includes('CLIENT-SECRET'), f);
  }
  const bad = { ...(s as object), token: { ...(s as { token: object }).token, access_token: 'AT\r\nX-Injected: 1' } } as never;
  t.is(renderSink(spec('header'), bad), undefined);
  t.is(renderSink(spec('env'), { ...(s as object), token: { ...(s as { token: object }).token, access_token: "a'b" } } as never), undefined);
});

test('sinks: written at start and replaced atomically at every refresh (a reader loop never sees a partial or empty file), with the mode and group asked for', async (t) => {
  const f = await fixture(t, ['svc'], { accessTokenTtl: 3 });
  const dir = await sinkDir(f.base);
  const gid = process.getgid?.() ?? 0;
  const d = spawnDaemon(
    t,
    [
      'svc',
      ...FAST,
      '--sink',
      `svc=${dir}/svc.token`,
      '--sink',
      `svc=${dir}/svc.json,format=json,mode=0640,group=${gid}`,
      '--sink',
      `svc=${dir}/svc.header,format=header`,
      '--sink',
      `svc=${dir}/svc.env,format=env,var=SVC_TOKEN`,
    ],
    f.env,
  );
  // the fixture's 3-second token may have expired before the daemon read it: count from its first refresh
  await d.waitFor((e) => e.event === 'refreshed', 15_000, 'the first refresh');
  await sleep(200);
  const seen = new Set<string>();
  const bad: string[] = [];
  const until = Date.now() + 7000;
  let reads = 0;
  while (Date.now() < until) {
    let text: string;
    try {
      text = await readFile(`${dir}/svc.token`, 'utf8');
    } catch (e) {
      bad.push(`read failed: ${(e as NodeJS.ErrnoException).code}`);
      await sleep(20);
      continue;
    }
    reads++;
    if (!/^[\x21-\x7e]+$/.test(text)) bad.push(`partial or empty: ${JSON.stringify(text.slice(0, 20))}`);
    else if (!seen.has(text)) {
      seen.add(text);
      if (!f.sandbox.isAccessTokenValid(text)) bad.push('a token the server does not accept');
    }
  }
  t.deepEqual(bad, [], `${reads} reads`);
  t.true(seen.size >= 2, `the file was replaced (${seen.size} tokens seen in ${reads} reads)`);
  await d.waitFor((e) => e.event === 'refreshed', 10_000, 'a refresh');
  await sleep(300);
  const stored = (await (await FileStore.open(f.home)).read('svc')).token;
  t.is(await readFile(`${dir}/svc.token`, 'utf8'), stored.access_token);
  t.is(await readFile(`${dir}/svc.header`, 'utf8'), `Authorization: Bearer ${stored.access_token}\n`);
  t.is(await readFile(`${dir}/svc.env`, 'utf8'), `SVC_TOKEN='${stored.access_token}'\nSVC_TOKEN_EXPIRES_AT='${stored.expires_at}'\n`);
  const json = JSON.parse(await readFile(`${dir}/svc.json`, 'utf8'));
  t.is(json.access_token, stored.access_token);
  t.is(json.expires_at, stored.expires_at);
  t.is((await stat(`${dir}/svc.token`)).mode & 0o777, 0o600);
  t.is((await stat(`${dir}/svc.json`)).mode & 0o777, 0o640);
  t.is((await stat(`${dir}/svc.json`)).gid, gid);
  for (const file of ['svc.token', 'svc.json', 'svc.header', 'svc.env']) {
    t.false((await readFile(`${dir}/${file}`, 'utf8')).includes(stored.refresh_token as string), `${file} holds no refresh token`);
  }
  t.is((await stopDaemon(d)).code, 0);
});

test('sinks are removed when the credential is forgotten and when it needs re-authorization; a stale sink from before is removed at start', async (t) => {
  const f = await fixture(t, ['gone', 'dead'], { accessTokenTtl: 3 });
  const dir = await sinkDir(f.base);
  // left over from an earlier run, for a credential that is no longer in the store
  await writeFile(`${dir}/old.token`, 'STALE', { mode: 0o600 });
  const dead = await (await FileStore.open(f.home)).read('dead');
  const d = spawnDaemon(t, ['--all', ...FAST, '--sink', `gone=${dir}/gone.token`, '--sink', `dead=${dir}/dead.token`, '--sink', `old=${dir}/old.token`], f.env);
  await d.waitFor((e) => e.event === 'ready', 15_000, 'ready');
  for (const n of ['gone', 'dead']) await d.waitFor((e) => e.event === 'refreshed' && e.name === n, 15_000, `${n} refreshed`);
  await sleep(300);
  t.true(await exists(`${dir}/gone.token`));
  t.true(await exists(`${dir}/dead.token`));
  t.false(await exists(`${dir}/old.token`), 'a sink whose credential does not exist is removed at start');

  const forgot = await runCli(['forget', 'gone'], { env: f.env });
  t.is(forgot.code, 0, forgot.stderr);
  await d.waitFor((e) => e.event === 'sink_removed' && e.name === 'gone', 10_000, 'the sink of the forgotten credential removed');
  t.false(await exists(`${dir}/gone.token`));

  // the grant is revoked at the provider: the next refresh gets invalid_grant
  t.is(await revokeAtProvider(f.sandbox, dead.token.refresh_token as string), 200);
  const removed = await d.waitFor((e) => e.event === 'sink_removed' && e.name === 'dead', 15_000, 'the sink of the dead grant removed');
  t.is(removed.reason, 'reauthorization_required');
  t.false(await exists(`${dir}/dead.token`));
  t.is((await stopDaemon(d)).code, 0);
});

test('a sink in a directory others can write to is refused before the daemon starts', async (t) => {
  const f = await fixture(t, ['svc'], { accessTokenTtl: 3600 });
  const loose = `${f.base}/loose`;
  await mkdir(loose);
  await chmod(loose, 0o777);
  const r = await runCli(['daemon', 'svc', '--sink', `svc=${loose}/svc.token`], { env: f.env, timeoutMs: 20_000 });
  t.is(r.code, 1, r.stderr);
  t.regex(r.stderr, /writable by every user .*chmod go-w/);
  t.false(await exists(`${loose}/svc.token`));
  await chmod(loose, 0o770);
  const g = await runCli(['daemon', 'svc', '--sink', `svc=${loose}/svc.token`], { env: f.env, timeoutMs: 20_000 });
  t.is(g.code, 1);
  t.regex(g.stderr, /writable by its group/);
  const other = await runCli(['daemon', 'svc', '--sink', `nope=${f.base}/nope.token`], { env: f.env, timeoutMs: 20_000 });
  t.is(other.code, 2, 'a sink for a credential the daemon does not keep fresh is a usage error');
});
