import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const indexUrl = pathToFileURL(resolve(dirname(fileURLToPath(import.meta.url)), '../../src/crypto/index.js')).href;

/** records every module URL the child resolves, through a resolve hook on the loader thread */
const HOOKS = `
let port;
export async function initialize(data) { port = data.port; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  port.postMessage(result.url);
  return result;
}
`;

/** imports the crypto index, seals and opens one file with `kind`, prints the modules loaded */
const CHILD = (hooksUrl: string, kind: 'x25519' | 'passphrase'): string => `
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
const { port1, port2 } = new MessageChannel();
const seen = [];
port1.on('message', (url) => seen.push(url));
register(${JSON.stringify(hooksUrl)}, { data: { port: port2 }, transferList: [port2] });
const c = await import(${JSON.stringify(indexUrl)});
const plaintext = new TextEncoder().encode('{}');
let sealed, identity;
if (${JSON.stringify(kind)} === 'x25519') {
  const k = c.generateKeyPair();
  sealed = await c.seal(plaintext, [c.x25519Recipient(k.publicKey)]);
  identity = c.x25519Identity(k.secretKey);
} else {
  sealed = await c.seal(plaintext, [c.passphraseRecipient('pw', { opsLimit: 1, memLimit: 8192 })]);
  identity = c.passphraseIdentity('pw');
}
await c.open(sealed, [identity]);
const sentinel = 'data:text/javascript,export default 1';
await import(sentinel);
for (let i = 0; i < 200 && !seen.includes(sentinel); i++) await new Promise((r) => setTimeout(r, 10));
port1.close();
process.stdout.write(JSON.stringify(seen.filter((u) => u !== sentinel && !u.startsWith('node:') && u !== ${JSON.stringify(hooksUrl)})));
`;

async function modulesLoaded(kind: 'x25519' | 'passphrase'): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'oh-hot-path-'));
  try {
    const hooks = join(dir, 'hooks.mjs');
    await writeFile(hooks, HOOKS);
    const child = join(dir, 'child.mjs');
    await writeFile(child, CHILD(pathToFileURL(hooks).href, kind));
    const { stdout } = await run(process.execPath, [child], { timeout: 30_000 });
    return JSON.parse(stdout) as string[];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('opening an X25519 file loads only node built-ins and the crypto folder (no libsodium)', async (t) => {
  const loaded = await modulesLoaded('x25519');
  const srcRoot = new URL('../', indexUrl).href;
  t.true(loaded.includes(indexUrl));
  t.deepEqual(loaded.filter((u) => u.includes('libsodium') || u.includes('node_modules')), []);
  t.deepEqual(loaded.filter((u) => !u.startsWith(`${srcRoot}crypto/`) && u !== `${srcRoot}errors.js`), []);
});

test('using a passphrase does load libsodium (the control for the test above)', async (t) => {
  const loaded = await modulesLoaded('passphrase');
  t.true(loaded.some((u) => u.includes('libsodium-wrappers-sumo')));
});
