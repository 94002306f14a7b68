import { resolveRecipients } from '../authorization/index.js';
import { seal, armor } from '../crypto/index.js';
import { newGrant, openStore, shortGrantId } from '../credential/index.js';
import { message } from '../i18n/index.js';
import { encodeSettings, writeFileAtomic } from '../settings-file/index.js';
import type { CredentialStore, Settings, SettingsGrant } from '../settings-file/index.js';
import { copyToClipboard } from '../terminal/index.js';
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
  const { recipients } = await resolveRecipients(o, out, { question: out.t('export.passphrase_question'), none: message('export.no_recipient') });
  const store = await openStore(o);
  const s = await withGrantId(store, await store.read(o.name));
  const grant = s.grant as SettingsGrant;
  const sealed = await seal(encodeSettings(s), recipients);
  const armored = armor(sealed);
  const bytes = o.armor || !o.output ? new TextEncoder().encode(armored) : sealed;
  if (o.output) await writeFileAtomic(o.output, bytes, { mode: 0o600 });
  else out.data(armored);
  if (o.copy) {
    if (copyToClipboard(armored, o.env ?? process.env)) out.info(out.t('export.copied'));
    else out.warn(out.t('export.no_terminal'));
  }
  out.info(out.t('grant.exported', { name: o.name, grant: shortGrantId(grant.id), generation: grant.generation }));
  if (s.token.refresh_token) {
    out.warn(out.t('export.two_refreshers', { name: o.name }));
  }
  if (o.output) out.info(out.t('export.wrote', { file: o.output }));
  return 0;
}

/**
 * A credential stored by 0.1.0 has no grant id: give it one (stored first,
 * under the write lock) so that the export and this copy are known as one grant.
 */
async function withGrantId(store: CredentialStore, s: Settings): Promise<Settings> {
  if (s.grant) return s;
  return store.withWriteLock(s.name, async () => {
    const cur = await store.read(s.name);
    if (cur.grant) return cur;
    const next: Settings = { ...cur, grant: { ...newGrant(), generation: cur.health.refresh_count ?? 0 } };
    await store.write(next);
    return next;
  });
}
