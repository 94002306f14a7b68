/**
 * The steps of a fresh-token `token` call, one by one, for bench/token-breakdown.ts. Bundled by that
 * script into one CommonJS file (as the real fast path is) and run in fresh processes; it prints the
 * CPU milliseconds of each step as JSON on stderr. The steps are the library calls the fast path makes:
 * src/settings-file (layout, key file, credential file), src/crypto (key import, X25519 + HKDF,
 * MAC and payload), the settings schema, and the print.
 */
import { readFileSync, statSync } from 'node:fs';
import { parseFile } from '../src/crypto/file.js';
import { HKDF_INFO_HEADER, HKDF_INFO_PAYLOAD, PAYLOAD_NONCE_SIZE } from '../src/crypto/constants.js';
import { keyFileIdentity } from '../src/crypto/index.js';
import { aeadOpen, constantTimeEqual, hkdfSha256, hmacSha256 } from '../src/crypto/primitives.js';
import { assertPrivate, decodeSettings, resolveHome, storeLayout } from '../src/settings-file/index.js';
import { createOutput } from '../src/terminal/index.js';

/** CPU milliseconds (user + system) this process has used: unlike wall time, not inflated by a busy machine */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export async function steps(name: string): Promise<Record<string, number>> {
  const m: Record<string, number> = {};
  let t = cpuMs();
  const lap = (k: string): void => {
    const n = cpuMs();
    m[k] = n - t;
    t = n;
  };
  const layout = storeLayout(resolveHome(undefined, process.env));
  lap('store location');
  assertPrivate(layout.keyFile, 'the key file');
  const keyText = readFileSync(layout.keyFile, 'utf8');
  lap('key file read');
  const { identity } = keyFileIdentity(keyText);
  lap('key parse + X25519 KeyObject');
  const path = `${layout.credentialsDir}/${name}.ohs`;
  statSync(path);
  const bytes = readFileSync(path);
  lap('credential file read');
  const file = parseFile(Uint8Array.from(bytes));
  lap('header parse');
  const fileKey = await identity.unwrap(file.stanzas);
  lap('X25519 + HKDF unwrap');
  const mac = hmacSha256(hkdfSha256(fileKey, new Uint8Array(0), HKDF_INFO_HEADER), file.macInput);
  if (!constantTimeEqual(mac, file.mac)) throw new Error('MAC');
  const nonce = file.payload.subarray(0, PAYLOAD_NONCE_SIZE);
  const plain = aeadOpen(hkdfSha256(fileKey, nonce, HKDF_INFO_PAYLOAD), file.payload.subarray(PAYLOAD_NONCE_SIZE), file.header);
  if (!plain) throw new Error('payload');
  lap('MAC + payload open');
  const settings = decodeSettings(plain);
  lap('settings decode');
  createOutput().data(`${settings.token.access_token}\n`);
  lap('print');
  return m;
}
