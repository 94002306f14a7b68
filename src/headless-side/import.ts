import { fingerprint, open, passphraseIdentity, readHeader } from '../crypto/index.js';
import type { Identity } from '../crypto/index.js';
import { compareCopies, freshSettings, newGrant, openStoreForWriting, shortGrantId } from '../credential/index.js';
import { CODES, HandoffError } from '../errors.js';
import { message } from '../i18n/index.js';
import { getProvider } from '../oauth/index.js';
import { assertValidName, decodeSettings, PASSPHRASE_ENV } from '../settings-file/index.js';
import type { CredentialStore, Settings } from '../settings-file/index.js';
import { resolveSecret } from '../terminal/index.js';
import type { Output } from '../terminal/index.js';
import type { CommonOptions } from './common.js';
import { outputOf } from './common.js';
import { readSettingsInput } from './inspect.js';
import { describeCredential, printStatus } from './status.js';

/** The environment variable that may hold the passphrase (defined in settings-file, beside CI mode, which reads it too). */
export { PASSPHRASE_ENV };

export interface ImportOptions extends CommonOptions {
  /** a path, or "-" for the armored block on stdin */
  file: string;
  /** store under this name instead of the one inside the file */
  name?: string;
  force?: boolean;
  /** put back an older copy of the grant stored under this name (its refresh token may be used up) */
  allowOlder?: boolean;
  /** store it even though the same grant is stored under another name */
  allowDuplicate?: boolean;
  /** one refresh to prove the grant works */
  verify?: boolean;
  passphraseFile?: string;
  lockTimeoutMs?: number;
}

export interface OpenSettingsInput {
  sealed: Uint8Array;
  /** this machine's identity and public key, when it has one */
  machineIdentity?: Identity;
  machinePublicKey?: string;
  passphraseFile?: string;
  env?: NodeJS.ProcessEnv;
  out: Output;
}

/**
 * Open a transfer file with whatever this machine has: its own key when the
 * file names it, else a passphrase (file, env, prompt) when the file has a
 * passphrase stanza. Argon2id runs here, before any lock is taken.
 */
export async function openTransferFile(i: OpenSettingsInput): Promise<Settings> {
  const header = readHeader(i.sealed);
  const identities: Identity[] = [];
  const ourFp = i.machinePublicKey ? fingerprint(i.machinePublicKey) : undefined;
  const forUs = header.recipients.some((r) => r.type === 'X25519' && 'fingerprint' in r && r.fingerprint === ourFp);
  if (forUs && i.machineIdentity) identities.push(i.machineIdentity);
  const hasPassphrase = header.recipients.some((r) => r.type === 'argon2id');
  if (!forUs && hasPassphrase) {
    // a passphrase typed at the prompt is tried there: a wrong one is asked again (from a file or env: exit 4 at once)
    let opened: Uint8Array | undefined;
    const pass = await resolveSecret(
      {
        what: 'passphrase',
        file: i.passphraseFile,
        envName: PASSPHRASE_ENV,
        env: i.env,
        prompt: {
          question: i.out.t('import.passphrase_question'),
          check: async (answer) => {
            try {
              opened = await open(i.sealed, [passphraseIdentity(answer)]);
              return undefined;
            } catch (e) {
              if (e instanceof HandoffError && e.key === 'crypto.wrong_passphrase') return e;
              throw e;
            }
          },
        },
        flags: `--passphrase-file or ${PASSPHRASE_ENV}`,
      },
      i.out,
    );
    if (opened !== undefined) return decodeSettings(opened);
    if (pass !== undefined) identities.push(passphraseIdentity(pass));
  }
  if (identities.length === 0) {
    const keys = header.recipients.filter((r) => r.type === 'X25519' && 'fingerprint' in r).map((r) => (r as { fingerprint: string }).fingerprint);
    throw new HandoffError(
      `this file is not sealed to this machine's key${ourFp ? ` (${ourFp})` : ''}${keys.length ? `; it is sealed to ${keys.join(', ')}` : ''}${hasPassphrase ? '' : ' and has no passphrase'}`,
      { code: CODES.DECRYPT_FAILED },
    );
  }
  return decodeSettings(await open(i.sealed, identities));
}

/** `oauth-handoff import FILE|-` */
export async function importCommand(o: ImportOptions): Promise<number> {
  const out = outputOf(o);
  const sealed = await readSettingsInput(o.file);
  const { store, keyCreated } = await openStoreForWriting(o);
  if (keyCreated) out.info(out.t('import.key_made', { path: store.layout.keyFile }));
  let settings = await openTransferFile({
    sealed,
    machineIdentity: store.identity,
    machinePublicKey: store.publicKey,
    passphraseFile: o.passphraseFile,
    env: o.env,
    out,
  });
  const name = assertValidName(o.name ?? settings.name);
  const hadGrantId = settings.grant !== undefined;
  // a file from 0.1.0 has no grant id: it gets one here, so that its exports from now on carry it
  settings = { ...settings, name, grant: settings.grant ?? { ...newGrant(), generation: settings.health.refresh_count ?? 0 } };
  const grantId = shortGrantId(settings.grant?.id ?? '');
  if (hadGrantId) {
    const other = await nameHolding(store, settings, name);
    if (other !== undefined) {
      if (!o.allowDuplicate) throw new HandoffError(message('grant.elsewhere', { grant: grantId, other }), { code: CODES.EXISTS, credential: name });
      out.warn(out.t('grant.duplicate_kept', { grant: grantId, name, other }));
    }
  }
  // what the store held before, put back when --verify fails
  let previous: Settings | 'unreadable' | undefined;
  const written = await store.withWriteLock(
    name,
    async (): Promise<boolean> => {
      const stored = await storedCopy(store, name);
      previous = stored;
      if (stored !== undefined) {
        const order = hadGrantId && stored !== 'unreadable' ? compareCopies(stored, settings) : 'unknown';
        const storedGrant = stored === 'unreadable' ? undefined : stored.grant;
        const params = { name, grant: grantId, stored: storedGrant?.generation ?? 0, incoming: settings.grant?.generation ?? 0 };
        if (order === 'older') {
          if (!o.allowOlder) throw new HandoffError(message('grant.older', params), { code: CODES.EXISTS, credential: name });
          out.warn(out.t('grant.older_replaced', params));
        } else if (order === 'same') {
          out.info(out.t('grant.same', params));
          return false;
        } else if (order === 'newer') {
          out.info(out.t('grant.newer_replaced', params));
        } else if (!o.force) {
          throw storedGrant && order === 'other'
            ? new HandoffError(message('grant.other_grant', { name, grant: shortGrantId(storedGrant.id) }), { code: CODES.EXISTS, credential: name })
            : new HandoffError(message('import.exists', { name }), { code: CODES.EXISTS, credential: name });
        } else if (order === 'unknown' && !hadGrantId) {
          out.warn(out.t('grant.unknown_order', { name }));
        }
      }
      // the fleet store checks both again, atomically (another host may import at the same moment)
      await store.write(settings, { allowOlder: o.allowOlder === true, allowDuplicate: o.allowDuplicate === true });
      return true;
    },
    { timeoutMs: o.lockTimeoutMs },
  );
  if (written && !hadGrantId && !o.json) out.info(out.t('grant.assigned', { name, grant: grantId }));
  if (written && !o.json) {
    const where = store.label.map((m) => out.i18n.render(m.key, m.params)).join(out.t('store.label.separator'));
    out.info(settings.site ? out.t('import.imported_site', { name, provider: settings.provider, site: settings.site, store: where }) : out.t('import.imported', { name, provider: settings.provider, store: where }));
  }
  for (const note of providerNotes(settings.provider, out)) out.warn(note);
  if (o.verify) {
    let r: Awaited<ReturnType<typeof freshSettings>>;
    try {
      r = await freshSettings(store, name, { minValidSeconds: 0, force: true, now: o.now, lockTimeoutMs: o.lockTimeoutMs });
    } catch (e) {
      // a credential that failed its verification is not kept: the store goes back to what it held
      if (written) await undoImport(store, name, previous, o.lockTimeoutMs);
      const which = !written ? 'unchanged' : previous === undefined ? 'not_kept' : previous === 'unreadable' ? 'damaged_gone' : 'restored';
      throw new HandoffError(message(`import.verify_failed.${which}`, { name, error: (e as Error).message }), {
        code: e instanceof HandoffError ? e.code : CODES.INTERNAL,
        cause: e,
        ...(e instanceof HandoffError && e.oauth ? { oauth: e.oauth } : {}),
      });
    }
    settings = r.settings;
    if (!o.json) out.info(out.t(r.rotated ? 'import.verified_rotated' : 'import.verified'));
  }
  if (o.json) out.json(describeCredential(settings, store.description, (o.now ?? Date.now)()));
  else printStatus(out, [describeCredential(settings, store.description, (o.now ?? Date.now)())], (o.now ?? Date.now)(), 'stderr', store.label);
  return 0;
}

/** Put back what the store held before an import whose verification failed. */
async function undoImport(store: CredentialStore, name: string, previous: Settings | 'unreadable' | undefined, timeoutMs: number | undefined): Promise<void> {
  await store.withWriteLock(
    name,
    async () => {
      if (previous === undefined || previous === 'unreadable') await store.remove(name);
      else await store.write(previous, { allowOlder: true, allowDuplicate: true });
    },
    { timeoutMs },
  );
}

/** The stored credential of this name: its settings, 'unreadable' (nothing can be compared: --force decides, as before), or undefined. */
async function storedCopy(store: CredentialStore, name: string): Promise<Settings | 'unreadable' | undefined> {
  if ((await store.version(name)) === undefined) return undefined;
  try {
    return await store.read(name);
  } catch (e) {
    if (e instanceof HandoffError && e.code === CODES.NOT_FOUND) return undefined;
    if (e instanceof HandoffError && (e.code === CODES.BAD_FILE || e.code === CODES.DECRYPT_FAILED)) return 'unreadable';
    throw e;
  }
}

/** Another name under which the same grant is stored already (unreadable credentials are skipped). */
async function nameHolding(store: CredentialStore, incoming: Settings, name: string): Promise<string | undefined> {
  const id = incoming.grant?.id;
  if (id === undefined) return undefined;
  for (const other of await store.list()) {
    if (other === name) continue;
    const s = await store.read(other).catch(() => undefined);
    if (s?.grant?.id === id) return other;
  }
  return undefined;
}

function providerNotes(provider: string, out: Output): string[] {
  try {
    const p = getProvider(provider);
    return p.maxRefreshTokensPerUser !== undefined
      ? [out.t('import.token_cap', { provider: p.title, count: p.maxRefreshTokensPerUser })]
      : [];
  } catch {
    return [];
  }
}
