import { fingerprint } from '../crypto/index.js';
import { createMachineKey, loadMachineKey, resolveHome, storeLayout } from '../settings-file/index.js';
import { renderQr } from '../terminal/index.js';
import type { CommonOptions } from './common.js';
import { outputOf } from './common.js';

export interface KeygenOptions extends CommonOptions {
  /** replace an existing key (every credential sealed to the old key becomes unreadable) */
  force?: boolean;
  /** print the existing key instead of making one */
  show?: boolean;
  /** print the secret key (for a CI secret) instead of the public key */
  exportPrivate?: boolean;
  /** draw the public key as a QR code on stderr (default: when stderr is a terminal) */
  qr?: boolean;
}

/** `oauth-handoff keygen`: this machine's X25519 key pair; prints the public key (stdout) and a QR code (stderr). */
export async function keygenCommand(o: KeygenOptions): Promise<number> {
  const out = outputOf(o);
  const layout = storeLayout(resolveHome(o.store, o.env));
  const key = o.show || o.exportPrivate ? await loadMachineKey(layout) : await createMachineKey(layout, { force: o.force });
  if (o.exportPrivate) {
    out.warn(out.t('keygen.secret_warning'));
    out.data(key.secretKey + '\n');
    return 0;
  }
  const fp = fingerprint(key.publicKey);
  if (o.json) {
    out.json({ public_key: key.publicKey, fingerprint: fp, key_file: key.path, created: !o.show });
    return 0;
  }
  out.data(key.publicKey + '\n');
  if (!o.show) out.info(out.t('keygen.made', { path: key.path, fingerprint: fp }));
  if (o.qr ?? (out.stderr as { isTTY?: boolean }).isTTY === true) out.raw(await renderQr(key.publicKey));
  out.info(out.t('keygen.next', { public_key: key.publicKey }));
  return 0;
}
