import test from 'ava';
import { openCredential } from '../../src/index.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { settingsFrom } from '../helpers/fixtures.js';
import { makeHost, seedFleet, startRedis, waitFor } from '../fleet-store/helpers.js';

/** Connections the Redis server has open, apart from the test's own client. */
async function others(client: { client(sub: 'LIST'): Promise<unknown> }): Promise<number> {
  const list = String(await client.client('LIST'));
  return list.split('\n').filter((l) => l.trim() !== '').length - 1;
}

test('close() on a credential in a fleet store closes its Redis connections', async (t) => {
  const redis = await startRedis(t);
  const sandbox = await startSandbox({ profile: 'generic' });
  t.teardown(() => sandbox.close());
  const host = await makeHost(t, redis.url, 'a');
  await seedFleet([host], settingsFrom(sandbox, await sandbox.mintGrant(), { name: 'svc' }));
  const before = await others(redis.client);
  const cred = await openCredential({ name: 'svc' }, { store: redis.url, env: host.env });
  t.true(sandbox.isAccessTokenValid(await cred.accessToken()));
  t.true((await others(redis.client)) > before, 'the credential holds a connection while open');
  await cred.close();
  await waitFor('connections closed', async () => (await others(redis.client)) === before, 10_000);
  t.is(await others(redis.client), before);
  await t.throwsAsync(() => cred.accessToken(), { message: /closed/ });
});
