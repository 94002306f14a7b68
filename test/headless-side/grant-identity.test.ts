import test from 'ava';
import type { ExecutionContext } from 'ava';
import { readFile, writeFile } from 'node:fs/promises';
import { seal, x25519Recipient } from '../../src/crypto/index.js';
import { startSandbox } from '../../src/sandbox/index.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { encodeSettings } from '../../src/settings-file/index.js';
import type { Settings } from '../../src/settings-file/index.js';
import { settingsFromTokens } from '../../src/authorization/index.js';
import { getProvider } from '../../src/oauth/index.js';
import { cleanEnv, runCli, tempDir } from '../helpers/cli.js';
import { settingsFrom } from '../helpers/fixtures.js';

/** A machine with a key, and a sandbox whose strict rule revokes a grant on a replayed refresh token. */
async function machine(t: ExecutionContext) {
  const sandbox = await startSandbox({ profile: 'generic', replayRevokesGrant: true });
  t.teardown(() => sandbox.close());
  const base = await tempDir(t);
  const home = `${base}/store`;
  const env = cleanEnv(base, { OAUTH_HANDOFF_HOME: home });
  const kg = await runCli(['keygen'], { env });
  t.is(kg.code, 0, kg.stderr);
  return { sandbox, base, home, env, publicKey: kg.stdout.trim() };
}

/** Settings as `authorize` makes them today: with a grant id at generation 0. */
async function authorized(sandbox: Sandbox, name: string): Promise<Settings> {
  const grant = await sandbox.mintGrant();
  const legacy = settingsFrom(sandbox, grant, { name });
  return settingsFromTokens({
    name,
    preset: getProvider('generic'),
    endpoints: legacy.endpoints,
    client: { id: legacy.client.id, secret: legacy.client.secret, auth_method: legacy.client.auth_method },
    scopes: [],
    tokens: { access_token: grant.access_token, token_type: 'Bearer', expires_in: 3600, refresh_token: grant.refresh_token as string, raw: {} },
    obtainedAt: Date.now(),
    via: 'authorize',
  });
}

async function importSettings(m: Awaited<ReturnType<typeof machine>>, s: Settings, args: string[] = []) {
  const file = `${m.base}/in-${Math.random().toString(36).slice(2)}.ohs`;
  await writeFile(file, await seal(encodeSettings(s), [x25519Recipient(m.publicKey)]));
  return runCli(['import', file, ...args], { env: m.env });
}

const status = async (m: Awaited<ReturnType<typeof machine>>, name: string) => JSON.parse((await runCli(['status', name, '--json'], { env: m.env })).stdout);
const replays = (s: Sandbox) => s.log().filter((e) => (e as { replay?: boolean }).replay === true);

test('import never rolls a grant back: an older export of the same grant is refused (exit 1, nothing changed), and no refresh token is replayed', async (t) => {
  const m = await machine(t);
  t.is((await importSettings(m, await authorized(m.sandbox, 'c1'))).code, 0);
  const exported = `${m.base}/e.ohs`;
  const ex = await runCli(['export', 'c1', '--to', m.publicKey, '-o', exported], { env: m.env });
  t.is(ex.code, 0, ex.stderr);
  const r1 = await runCli(['refresh', 'c1'], { env: m.env });
  t.is(r1.code, 0, r1.stderr);
  const storedFile = `${m.home}/credentials/c1.ohs`;
  const before = await readFile(storedFile);

  const back = await runCli(['import', '--force', exported], { env: m.env });
  t.is(back.code, 1, back.stderr);
  t.regex(back.stderr, /generation 0/);
  t.regex(back.stderr, /generation 1/);
  t.regex(back.stderr, /--allow-older/);
  t.deepEqual(await readFile(storedFile), before, 'nothing changed');

  const tok = await runCli(['token', 'c1', '--min-valid', '0'], { env: m.env });
  t.is(tok.code, 0, tok.stderr);
  const r2 = await runCli(['refresh', 'c1'], { env: m.env });
  t.is(r2.code, 0, r2.stderr);
  t.is(replays(m.sandbox).length, 0, 'the used refresh token was never presented again');
  t.is((await status(m, 'c1')).grant_generation, 2);
});

test('a newer copy of the same grant replaces the stored one without --force; the same generation changes nothing', async (t) => {
  const m = await machine(t);
  t.is((await importSettings(m, await authorized(m.sandbox, 'c1'))).code, 0);
  const gen0 = `${m.base}/gen0.ohs`;
  t.is((await runCli(['export', 'c1', '--to', m.publicKey, '-o', gen0], { env: m.env })).code, 0);
  t.is((await runCli(['refresh', 'c1'], { env: m.env })).code, 0);
  const gen1 = `${m.base}/gen1.ohs`;
  const ex = await runCli(['export', 'c1', '--to', m.publicKey, '-o', gen1], { env: m.env });
  t.regex(ex.stderr, /grant [A-Za-z0-9_-]{8}\b.*generation 1/);
  // the older one goes back only deliberately
  const older = await runCli(['import', gen0, '--allow-older'], { env: m.env });
  t.is(older.code, 0, older.stderr);
  t.regex(older.stderr, /warning: .*older/);
  t.is((await status(m, 'c1')).grant_generation, 0);
  const newer = await runCli(['import', gen1], { env: m.env });
  t.is(newer.code, 0, newer.stderr);
  t.regex(newer.stderr, /generation 0 .*generation 1|generation 1 .*generation 0/);
  t.is((await status(m, 'c1')).grant_generation, 1);
  const same = await runCli(['import', gen1], { env: m.env });
  t.is(same.code, 0, same.stderr);
  t.regex(same.stderr, /already/);
  t.is((await runCli(['refresh', 'c1'], { env: m.env })).code, 0);
  t.is(replays(m.sandbox).length, 0);
});

test('a grant already stored under another name is refused unless --allow-duplicate, which warns', async (t) => {
  const m = await machine(t);
  const s = await authorized(m.sandbox, 'c1');
  t.is((await importSettings(m, s)).code, 0);
  const twice = await importSettings(m, s, ['--name', 'c2']);
  t.is(twice.code, 1, twice.stderr);
  t.regex(twice.stderr, /already stored as "c1"/);
  t.regex(twice.stderr, /--allow-duplicate/);
  t.is((await runCli(['token', 'c2'], { env: m.env })).code, 1, 'c2 was not stored');
  const deliberate = await importSettings(m, s, ['--name', 'c2', '--allow-duplicate']);
  t.is(deliberate.code, 0, deliberate.stderr);
  t.regex(deliberate.stderr, /warning: .*"c1"/);
  const [a, b] = [await status(m, 'c1'), await status(m, 'c2')];
  t.is(a.grant_id, b.grant_id);
});

test('status shows the short grant id; a file from 0.1.0 (no grant id) imports and gets one; over a stored one it needs --force and says why', async (t) => {
  const m = await machine(t);
  const legacy = settingsFrom(m.sandbox, await m.sandbox.mintGrant(), { name: 'old' });
  t.is(legacy.grant, undefined);
  const r = await importSettings(m, legacy);
  t.is(r.code, 0, r.stderr);
  const st = await status(m, 'old');
  t.regex(st.grant_id, /^[A-Za-z0-9_-]{22}$/);
  t.is(st.grant_generation, 0);
  const human = await runCli(['status', 'old'], { env: m.env });
  t.true(human.stdout.includes(`grant:          ${(st.grant_id as string).slice(0, 8)} (generation 0)`), human.stdout);
  // the same 0.1.0 file again: its order against the stored copy cannot be told
  const again = await importSettings(m, legacy);
  t.is(again.code, 1);
  const forced = await importSettings(m, legacy, ['--force']);
  t.is(forced.code, 0, forced.stderr);
  t.regex(forced.stderr, /warning: .*no grant id/);
});
