/**
 * Who can open a settings file that leaves this machine (`authorize`,
 * `export`): machine keys (`--to`) and/or a passphrase (`--passphrase`: asked
 * twice at the terminal, or `--passphrase-file` / OAUTH_HANDOFF_PASSPHRASE).
 * Resolved before anything else, so that a mistyped key or passphrase never
 * wastes an approval. At least one recipient.
 */
import { fingerprint, passphraseRecipient, x25519Recipient } from '../crypto/index.js';
import type { Recipient } from '../crypto/index.js';
import { CODES, HandoffError } from '../errors.js';
import { message } from '../i18n/index.js';
import type { Message } from '../i18n/index.js';
import { PASSPHRASE_ENV } from '../settings-file/index.js';
import { resolveSecret, weakPassphrase, WEAK_PASSPHRASE_CHARS } from '../terminal/index.js';
import type { Output } from '../terminal/index.js';

export type RecipientDescription = { type: 'X25519'; fingerprint: string } | { type: 'passphrase' };

export interface ResolvedRecipients {
  recipients: Recipient[];
  described: RecipientDescription[];
}

export interface RecipientOptions {
  /** recipients' public keys (`ohpub1…`, printed by `keygen` on the other machine) */
  to?: readonly string[];
  passphrase?: boolean;
  passphraseFile?: string;
  env?: NodeJS.ProcessEnv;
}

export async function resolveRecipients(
  o: RecipientOptions,
  out: Output,
  say: { /** the prompt for a new passphrase */ question: string; /** the usage error when nobody can open the file */ none: Message },
): Promise<ResolvedRecipients> {
  const recipients: Recipient[] = [];
  const described: RecipientDescription[] = [];
  for (const key of o.to ?? []) {
    recipients.push(x25519Recipient(key));
    described.push({ type: 'X25519', fingerprint: fingerprint(key.trim()) });
  }
  if (o.passphrase || o.passphraseFile !== undefined) {
    const env = o.env ?? process.env;
    const pass = await resolveSecret(
      {
        what: 'passphrase',
        file: o.passphraseFile,
        envName: PASSPHRASE_ENV,
        env,
        prompt: { question: say.question, confirm: true },
        flags: `--passphrase-file or ${PASSPHRASE_ENV}`,
      },
      out,
    );
    if (pass === undefined) throw new HandoffError(message('seal.no_passphrase'), { code: CODES.USAGE });
    // the prompt warns about a weak passphrase itself; one from a file or the environment is warned about here
    const fromPrompt = o.passphraseFile === undefined && !env[PASSPHRASE_ENV];
    if (!fromPrompt && weakPassphrase(pass)) out.warn(out.t('seal.short_passphrase', { count: WEAK_PASSPHRASE_CHARS }));
    recipients.push(passphraseRecipient(pass));
    described.push({ type: 'passphrase' });
  }
  if (recipients.length === 0) throw new HandoffError(say.none, { code: CODES.USAGE });
  return { recipients, described };
}
