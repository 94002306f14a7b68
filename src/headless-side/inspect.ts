import { readFile } from 'node:fs/promises';
import { decodeSettingsInput, readHeader } from '../crypto/index.js';
import { inputFileError } from '../fs-errors.js';
import { readStdin } from '../terminal/index.js';
import type { CommonOptions } from './common.js';
import { outputOf } from './common.js';

export interface InspectOptions extends CommonOptions {
  /** a path, or "-" for stdin */
  file: string;
}

export async function readSettingsInput(file: string): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = file === '-' ? await readStdin() : await readFile(file);
  } catch (e) {
    throw inputFileError(e, file, 'the settings file');
  }
  return decodeSettingsInput(bytes);
}

/** `oauth-handoff inspect FILE|-`: the header (version, recipients, created) without decrypting. */
export async function inspectCommand(o: InspectOptions): Promise<number> {
  const out = outputOf(o);
  const header = readHeader(await readSettingsInput(o.file));
  if (o.json) {
    out.json({ version: header.version, created: header.created.toISOString(), recipients: header.recipients });
    return 0;
  }
  const lines = [`format:     oauth-handoff settings file, version ${header.version}`, `created:    ${header.created.toISOString()}`, 'recipients:'];
  for (const r of header.recipients) {
    if (r.type === 'X25519' && 'fingerprint' in r) lines.push(`  - machine key (X25519), fingerprint ${r.fingerprint}`);
    else if (r.type === 'argon2id' && 'opsLimit' in r) lines.push(`  - passphrase (Argon2id, ${r.opsLimit} passes, ${Math.round(r.memLimit / 1048576)} MiB)`);
    else lines.push(`  - ${r.type}`);
  }
  out.data(lines.join('\n') + '\n');
  return 0;
}
