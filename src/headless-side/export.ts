import { passphraseRecipient, seal, x25519Recipient, armor } from '../crypto/index.js';
import type { Recipient } from '../crypto/index.js';
import { openStore } from '../credential/index.js';
import { CODES, HandoffError } from '../errors.js';
import { encodeSettings, PASSPHRASE_ENV, writeFileAtomic } from '../settings-file/index.js';
import { copyToClipboard, resolveSecret } from '../terminal/index.js';
import type { CommonOptions } from './common.js';
import { outputOf } from './common.js';

export interface ExportOptions extends CommonOptions {
  name: string;
  /** recipients' public keys (from `keygen` on the other machine) */
  to?: string[];
  /** also seal to a passphrase (prompted twice, or --passphrase-file / env) */
  passphrase?: boolean;
  passphraseFile?: string;
  /** write here instead of stdout */
  output?: string;
  armor?: boolean;
  /** also put the armored block on the terminal's clipboard (OSC 52) */
  copy?: boolean;
}

/** `oauth-handoff export NAME --to KEY | --passphrase`: move a credential to another machine. */
export async function exportCommand(o: ExportOptions): Promise<number> {
  const out = outputOf(o);
  const recipients: Recipient[] = (o.to ?? []).map((k) => x25519Recipient(k));
  if (o.passphrase || o.passphraseFile) {
    const pass = await resolveSecret(
      {
        what: 'passphrase',
        file: o.passphraseFile,
        envName: PASSPHRASE_ENV,
        env: o.env,
        prompt: { question: 'new passphrase for the exported file: ', confirm: true },
        flags: `--passphrase-file or ${PASSPHRASE_ENV}`,
      },
      out,
    );
    if (pass !== undefined) recipients.push(passphraseRecipient(pass));
  }
  if (recipients.length === 0) throw new HandoffError('say who can open the export: --to KEY (repeatable) and/or --passphrase', { code: CODES.USAGE });
  const store = await openStore(o);
  const s = await store.read(o.name);
  const sealed = await seal(encodeSettings(s), recipients);
  const armored = armor(sealed);
  const bytes = o.armor || !o.output ? new TextEncoder().encode(armored) : sealed;
  if (o.output) await writeFileAtomic(o.output, bytes, { mode: 0o600 });
  else out.data(armored);
  if (o.copy) {
    if (copyToClipboard(armored, o.env ?? process.env)) out.info(out.t('export.copied'));
    else out.warn(out.t('export.no_terminal'));
  }
  if (s.token.refresh_token) {
    out.warn(out.t('export.two_refreshers', { name: o.name }));
  }
  if (o.output) out.info(out.t('export.wrote', { file: o.output }));
  return 0;
}
