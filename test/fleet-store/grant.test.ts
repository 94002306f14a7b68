/**
 * Grant identity on the fleet store: the store itself refuses a write that
 * would put an older copy of the stored grant back, and a grant that another
 * name holds already; atomically, in the write script, so two hosts importing
 * at the same moment cannot both get past the import's own checks.
 */
import test from 'ava';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { seal, x25519Recipient } from '../../src/crypto/index.js';
import { CODES, HandoffError } from '../../src/errors.js';
import { encodeSettings } from '../../src/settings-file/index.js';
import type { Settings } from '../../src/settings-file/index.js';
import { settingsFrom } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/cli.js';
import { makeHost, runHostCli, seedFleet, spawnHostCli, startRedis } from './helpers.js';
import { collect } from '../helpers/cli.js';

const FAKE = { endpoints: { token: 'http://127.0.0.1:9/token' }, client: { id: 'client' } };
const GRANT = 'g1aaaaaaaaaaaaaaaaaaaa';

function copy(name: string, generation: number, grantId = GRANT): Settings {
  const s = settingsFrom(FAKE, { access_token: `at-${generation}`, token_type: 'Bearer', expires_in: 3600, refresh_token: `rt-${generation}` }, { name });
  return { ...s, grant: { id: grantId, generation } };
}

test('the fleet store refuses to write an older copy of the stored grant, unless allowed; a newer one replaces it', async (t) => {
  const redis = await startRedis(t);
  const a = await makeHost(t, redis.url, 'a');
  await seedFleet([a], copy('svc', 5));
  const sa = await a.store();
  const err = await t.throwsAsync(sa.withWriteLock('svc', () => sa.write(copy('svc', 3))));
  t.true(err instanceof HandoffError && err.code === CODES.EXISTS, String(err));
  t.is((err as HandoffError).key, 'grant.older');
  t.regex(err?.message ?? '', /newer copy of the same grant g1aaaaaa \(generation 5\) than this file \(generation 3\).*nothing was changed/);
  t.is((await sa.read('svc')).token.access_token, 'at-5', 'nothing was written');

  await sa.withWriteLock('svc', () => sa.write(copy('svc', 3), { allowOlder: true }));
  t.is((await sa.read('svc')).token.access_token, 'at-3', 'written when allowed');
  await sa.withWriteLock('svc', () => sa.write(copy('svc', 4)));
  t.is((await sa.read('svc')).token.access_token, 'at-4', 'a newer copy needs nothing');
  // another grant under the same name is the import's business (--force), not a rollback
  await sa.withWriteLock('svc', () => sa.write(copy('svc', 0, 'g2bbbbbbbbbbbbbbbbbbbb')));
  t.is((await sa.read('svc')).grant?.id, 'g2bbbbbbbbbbbbbbbbbbbb');
  // nothing secret beside the sealed value: the grant's id and generation only
  t.deepEqual(await redis.client.hmget('oauth-handoff:cred:svc', 'grant_id', 'generation'), ['g2bbbbbbbbbbbbbbbbbbbb', '0']);
});

test('the fleet store refuses one grant under a second name, unless allowed; the names are freed by forget', async (t) => {
  const redis = await startRedis(t);
  const a = await makeHost(t, redis.url, 'a');
  await seedFleet([a], copy('one', 2));
  const sa = await a.store();
  const err = await t.throwsAsync(sa.withWriteLock('two', () => sa.write(copy('two', 2))));
  t.true(err instanceof HandoffError && err.code === CODES.EXISTS, String(err));
  t.is((err as HandoffError).key, 'grant.elsewhere');
  t.regex(err?.message ?? '', /the grant g1aaaaaa in this file is already stored as "one"/);
  t.deepEqual(await sa.list(), ['one']);

  await sa.withWriteLock('two', () => sa.write(copy('two', 2), { allowDuplicate: true }));
  t.deepEqual(await sa.list(), ['one', 'two']);
  // both names keep being refreshed once allowed (a write that keeps a name's grant is no new duplicate)
  await sa.withWriteLock('one', () => sa.write(copy('one', 3)));
  await sa.withWriteLock('two', () => sa.write(copy('two', 4)));

  await sa.withWriteLock('one', () => sa.remove('one'));
  await sa.withWriteLock('two', () => sa.remove('two'));
  await sa.withWriteLock('three', () => sa.write(copy('three', 9)));
  t.deepEqual(await sa.list(), ['three'], 'forgotten names no longer hold the grant');
});

test('two hosts importing one grant under two names at the same moment: exactly one succeeds', async (t) => {
  t.timeout(60_000);
  const redis = await startRedis(t);
  const [a, b] = await Promise.all([makeHost(t, redis.url, 'host-a'), makeHost(t, redis.url, 'host-b')]);
  t.is((await runHostCli(t, a, ['fleet', 'add-member', b.publicKey])).code, 0);
  const dir = await tempDir(t);
  const file = join(dir, 'svc.ohs');
  await writeFile(file, await seal(encodeSettings(copy('svc', 1)), [x25519Recipient(a.publicKey), x25519Recipient(b.publicKey)]));
  for (let round = 0; round < 3; round++) {
    const [one, two] = [`one-${round}`, `two-${round}`];
    const [ra, rb] = await Promise.all([
      collect(spawnHostCli(t, a, ['import', file, '--name', one])),
      collect(spawnHostCli(t, b, ['import', file, '--name', two])),
    ]);
    t.deepEqual([ra.code, rb.code].sort(), [0, 1], `round ${round}: ${ra.stderr} / ${rb.stderr}`);
    const loser = ra.code === 1 ? ra : rb;
    t.regex(loser.stderr, /is already stored as "(one|two)-\d"/);
    // forget the winner, so that the next round starts from a store without the grant
    const names = (await (await a.store()).list()).filter((n) => n.endsWith(`-${round}`));
    t.is(names.length, 1, `round ${round}: ${names.join(', ')}`);
    t.is((await runHostCli(t, a, ['forget', names[0] as string])).code, 0);
  }
});
