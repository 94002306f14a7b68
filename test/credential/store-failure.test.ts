/**
 * A store that fails after the provider answered a refresh is the store's
 * failure, not the provider's: exit 7 (STORE_UNAVAILABLE) when the old token
 * has expired, and the still-valid old token served with a warning otherwise.
 */
import test from 'ava';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { ciJob, ciSecrets, grantSettings, refreshes, sandboxFor } from '../headless-side/ci/helpers.js';
import { collect } from '../helpers/cli.js';
import { dueSettings, makeHost, seedFleet, spawnHostCli, startGatedProvider, startRedis, waitFor } from '../fleet-store/helpers.js';

test('Redis killed after the provider answered a refresh: the valid token is served with a warning; an expired one exits 7', async (t) => {
  t.timeout(90_000);
  const redis = await startRedis(t);
  const url = `${redis.url}?lease=1`;
  const provider = await startGatedProvider(t);
  const host = await makeHost(t, url, 'a');
  const due = await dueSettings(provider, 'due');
  const expired = await dueSettings(provider, 'old');
  expired.token.expires_at = new Date(Date.now() - 60_000).toISOString();
  await seedFleet([host], due, expired);
  // the host reads both once, so that it has cached copies
  for (const name of ['due', 'old']) t.is((await collect(spawnHostCli(t, host, ['status', name]))).code, 0);

  provider.hold();
  const dueRun = collect(spawnHostCli(t, host, ['token', 'due']), { timeoutMs: 60_000 });
  const oldRun = collect(spawnHostCli(t, host, ['token', 'old']), { timeoutMs: 60_000 });
  // both have marked their attempt in the store (the next step is the request, held at the provider) when Redis dies
  const look = await host.store();
  await waitFor('both attempts marked', async () => {
    const marked = await Promise.all(['due', 'old'].map(async (n) => (await look.read(n)).health.refresh_started_at !== undefined));
    return marked.every(Boolean);
  });
  await redis.stop('SIGKILL');
  provider.release();
  const [d, o] = await Promise.all([dueRun, oldRun]);
  t.is(provider.refreshes().length, 2, 'the provider answered both refreshes');
  t.is(d.code, 0, d.stderr);
  t.is(d.stdout, `${due.token.access_token}\n`, 'the old, still valid token');
  t.regex(d.stderr, /warning: .*fleet store .* (is unreachable|could not be stored)/);
  t.is(o.code, 7, o.stderr);
  t.regex(o.stderr, /fleet store redis:\/\/127\.0\.0\.1:\d+\/0/);
  t.notRegex(o.stderr, /provider|proxy|HTTPS_PROXY/, 'the provider is not blamed');
});

test('env mode: a write-back that cannot be written is a store failure; a still-valid token is served with a warning', async (t) => {
  // (an expired one exits 7: test/headless-side/ci/env-mode.test.ts)
  const sandbox = await sandboxFor(t);
  const valid = await grantSettings(sandbox);
  // 1600 s of 3600 left: due under --min-valid 86400 (the margin is capped at half the lifetime), still valid
  const aged = { ...valid.settings, token: { ...valid.settings.token, obtained_at: new Date(Date.now() - 2000_000).toISOString(), expires_at: new Date(Date.now() + 1600_000).toISOString() } };
  const s = await ciSecrets(aged);
  const job = await ciJob(t, { OAUTH_HANDOFF_SETTINGS: s.armored, OAUTH_HANDOFF_KEY: s.key });
  const r = await runCli(['token', 'svc', '--from-env', '--min-valid', '86400', '--write-back', join(job.dir, 'no-such-dir', 'x.txt')], { env: job.env });
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, `${valid.grant.access_token}\n`);
  t.regex(r.stderr, /warning: .*cannot write the updated settings/);
  t.is(refreshes(sandbox).length, 0, 'the attempt is marked in the store first: an unwritable store sends nothing');
});
