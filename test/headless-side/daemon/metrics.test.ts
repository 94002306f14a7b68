import test from 'ava';
import { mkdir, readFile, stat } from 'node:fs/promises';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import type { ParsedFamily } from 'parse-prometheus-text-format';
import { parseListen } from '../../../src/headless-side/daemon/metrics.js';
import { runCli } from '../../helpers/cli.js';
import { freePort } from '../../helpers/net.js';
import { FAST, fixture, sleep, spawnDaemon, stopDaemon } from './helpers.js';

/** The value of one sample, found by its family name and labels; undefined when absent. */
function sample(families: ParsedFamily[], name: string, labels: Record<string, string> = {}): number | undefined {
  const family = families.find((f) => f.name === name);
  const m = family?.metrics.find((x) => Object.entries(labels).every(([k, v]) => x.labels?.[k] === v));
  return m?.value === undefined ? undefined : Number(m.value);
}

async function scrape(url: string): Promise<{ families: ParsedFamily[]; contentType: string | null }> {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`scrape answered ${res.status}`);
  return { families: parsePrometheusTextFormat(await res.text()), contentType: res.headers.get('content-type') };
}

test('--metrics-listen takes PORT or HOST:PORT, on 127.0.0.1 unless a host is given', (t) => {
  t.deepEqual(parseListen('9464'), { host: '127.0.0.1', port: 9464 });
  t.deepEqual(parseListen('[::1]:9464'), { host: '::1', port: 9464 });
  t.deepEqual(parseListen('0.0.0.0:80'), { host: '0.0.0.0', port: 80 });
  for (const bad of ['', 'abc', '127.0.0.1', '127.0.0.1:0', ':99999', 'http://x:1']) t.throws(() => parseListen(bad), { code: 'USAGE' } as never, bad);
});

test('Prometheus metrics, scraped and read by a real parser: values after a refresh and after a failure, on /metrics and in the textfile', async (t) => {
  const f = await fixture(t, ['svc', 'other'], { accessTokenTtl: 6, refreshTokenTtl: 86_400 });
  const port = await freePort();
  const textDir = `${f.base}/textfile`;
  await mkdir(textDir, { mode: 0o755 });
  const file = `${textDir}/oauth_handoff.prom`;
  const d = spawnDaemon(t, ['--all', ...FAST, '--metrics-listen', `127.0.0.1:${port}`, '--metrics-file', file], f.env);
  await d.waitForCount((e) => e.event === 'refreshed', 2, 20_000, 'both refreshed');
  const url = `http://127.0.0.1:${port}/metrics`;

  const { families, contentType } = await scrape(url);
  t.regex(contentType ?? '', /^text\/plain; version=0\.0\.4/);
  for (const f2 of families) t.regex(f2.name, /^oauth_handoff_[a-z_]+$/, 'one prefix, snake_case');
  t.is(families.find((x) => x.name === 'oauth_handoff_refreshes_total')?.type, 'COUNTER');
  t.is(families.find((x) => x.name === 'oauth_handoff_access_token_expires_in_seconds')?.type, 'GAUGE');
  t.true((sample(families, 'oauth_handoff_refreshes_total', { credential: 'svc', reason: 'refresh' }) ?? 0) >= 1);
  const left = sample(families, 'oauth_handoff_access_token_expires_in_seconds', { credential: 'svc' }) as number;
  t.true(left > 0 && left <= 6, `access token: ${left} s left`);
  const rtLeft = sample(families, 'oauth_handoff_refresh_token_expires_in_seconds', { credential: 'svc' });
  t.true(rtLeft === undefined || (rtLeft > 80_000 && rtLeft <= 86_400), `refresh token: ${rtLeft} s left`);
  t.is(sample(families, 'oauth_handoff_credential_state', { credential: 'svc', state: 'scheduled' }), 1);
  t.is(sample(families, 'oauth_handoff_credential_state', { credential: 'svc', state: 'retrying' }), 0);
  const last = sample(families, 'oauth_handoff_last_refresh_timestamp_seconds', { credential: 'svc' }) as number;
  t.true(Math.abs(last - Date.now() / 1000) < 10, 'last refresh is recent');
  t.true((sample(families, 'oauth_handoff_daemon_uptime_seconds') as number) > 0);
  t.is(sample(families, 'oauth_handoff_daemon_queue_length'), 0);
  t.is(sample(families, 'oauth_handoff_refresh_failures_total', { credential: 'svc' }), undefined, 'no failure yet');

  // the next refreshes fail with 500 (error server_error): a failure by reason, the state turns to retrying
  f.sandbox.injectFault({ status: 500, count: 1000, grantType: 'refresh_token' });
  const retry = await d.waitFor((e) => e.event === 'retrying', 15_000, 'a failed refresh');
  const failing = retry.name as string;
  const after = (await scrape(url)).families;
  t.true((sample(after, 'oauth_handoff_refresh_failures_total', { credential: failing, reason: 'server_error' }) ?? 0) >= 1, 'the OAuth error of the 500 answer');
  t.is(sample(after, 'oauth_handoff_credential_state', { credential: failing, state: 'retrying' }), 1);
  t.is(sample(after, 'oauth_handoff_credential_state', { credential: failing, state: 'scheduled' }), 0);

  // the textfile for node_exporter says the same, is world-readable and parses too
  await sleep(1500);
  const text = await readFile(file, 'utf8');
  const fromFile = parsePrometheusTextFormat(text);
  t.true((sample(fromFile, 'oauth_handoff_refresh_failures_total', { credential: failing, reason: 'server_error' }) ?? 0) >= 1, 'the OAuth error of the 500 answer');
  t.is((await stat(file)).mode & 0o777, 0o644);
  t.false(text.includes(f.sandbox.client.secret as string));

  // a forgotten credential leaves no series behind
  const forgot = await runCli(['forget', failing], { env: f.env });
  t.is(forgot.code, 0, forgot.stderr);
  await d.waitFor((e) => e.event === 'removed' && e.name === failing, 10_000, 'removed');
  const gone = (await scrape(url)).families;
  t.false(gone.some((fam) => fam.metrics.some((m) => m.labels?.credential === failing)), `no series for ${failing}`);
  t.true(gone.some((fam) => fam.metrics.some((m) => m.labels?.credential !== undefined)), 'the other credential is still there');

  const other = await fetch(`http://127.0.0.1:${port}/`);
  t.is(other.status, 404);
  t.is((await stopDaemon(d)).code, 0);
});
