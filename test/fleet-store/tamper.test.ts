/**
 * Values in Redis changed behind the fleet's back: a flipped byte in a
 * sealed credential, and a credential put back to an older version (a Redis
 * restored from an older snapshot). Real redis-server, real CLI processes.
 */
import test from 'ava';
import { fingerprint } from '../../src/crypto/index.js';
import { makeHost, runHostCli, sandboxCredential, seedFleet, startRedis, strictSandbox } from './helpers.js';

const KEY = 'oauth-handoff:cred:svc';

test('a flipped byte in a sealed Redis value is "damaged or tampered", never "not a member"; restore --force from a member mends it', async (t) => {
  t.timeout(90_000);
  const redis = await startRedis(t);
  const s = await strictSandbox(t);
  const [a, b] = await Promise.all([makeHost(t, redis.url, 'host-a'), makeHost(t, redis.url, 'host-b')]);
  await seedFleet([a, b], await sandboxCredential(s, 'svc', 3000));
  const good = await runHostCli(t, b, ['token', 'svc']);
  t.is(good.code, 0, good.stderr);
  t.is((await runHostCli(t, a, ['token', 'svc'])).code, 0, 'host A has a cached copy too');

  const sealed = (await redis.client.hgetBuffer(KEY, 'sealed')) as Buffer;
  const places: [string, number][] = [
    ["host B's key fingerprint in its stanza", sealed.indexOf(fingerprint(b.publicKey)) + 3],
    ["host A's stanza (the header MAC covers it)", sealed.indexOf(fingerprint(a.publicKey)) + 3],
    ['the payload', sealed.length - 20],
    ['the first byte', 0],
  ];
  for (const [where, at] of places) {
    t.true(at > 2 || where === 'the first byte', where);
    const flipped = Buffer.from(sealed);
    flipped[at] = (flipped[at] as number) ^ 0x01;
    await redis.client.hset(KEY, 'sealed', flipped);
    const r = await runHostCli(t, b, ['token', 'svc']);
    t.is(r.code, 4, `${where}: ${r.stderr}`);
    t.is(r.stdout, '', where);
    t.regex(r.stderr, /"svc" in the fleet store redis:\/\/\S+ is damaged or has been tampered with \(.+\): it was sealed to this host's key [0-9a-f]{16}/, where);
    t.notRegex(r.stderr, /not a member/, where);
    t.regex(r.stderr, /`oauth-handoff fleet restore svc --force`/, where);
  }

  // a member whose copy is intact writes it back
  const restored = await runHostCli(t, a, ['fleet', 'restore', 'svc', '--force']);
  t.is(restored.code, 0, restored.stderr);
  const mended = await runHostCli(t, b, ['token', 'svc']);
  t.is(mended.code, 0, mended.stderr);
  t.is(mended.stdout, good.stdout);
});

test('Redis back at an older version of a credential: token says so; the CLI names fleet restore, the library does not', async (t) => {
  t.timeout(60_000);
  const redis = await startRedis(t);
  const s = await strictSandbox(t);
  const [a, b] = await Promise.all([makeHost(t, redis.url, 'host-a'), makeHost(t, redis.url, 'host-b')]);
  await seedFleet([a, b], await sandboxCredential(s, 'svc', 30));
  const older = (await redis.client.dumpBuffer(KEY)) as Buffer;
  const first = await runHostCli(t, b, ['token', 'svc']);
  t.is(first.code, 0, first.stderr);
  t.is(s.log().filter((e) => e.grantType === 'refresh_token').length, 1, 'host B refreshed');

  await redis.client.restore(KEY, 0, older, 'REPLACE');
  const back = await runHostCli(t, b, ['token', 'svc']);
  t.is(back.code, 1, back.stderr);
  t.regex(back.stderr, /went back in time: "svc" is at version \d+ there, but this host saw version \d+/);
  t.regex(back.stderr, /\n.*`oauth-handoff fleet restore svc`/);
  const inLibrary = await t.throwsAsync((await b.store()).read('svc'));
  t.regex(inLibrary?.message ?? '', /went back in time/);
  t.notRegex(inLibrary?.message ?? '', /fleet restore|oauth-handoff /);

  const restored = await runHostCli(t, b, ['fleet', 'restore', 'svc']);
  t.is(restored.code, 0, restored.stderr);
  const after = await runHostCli(t, a, ['token', 'svc']);
  t.is(after.code, 0, after.stderr);
  t.is(after.stdout, first.stdout);
});
