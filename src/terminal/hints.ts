import { CODES } from '../errors.js';
import { errnoOf } from '../fs-errors.js';
import type { HandoffError } from '../errors.js';
import type { Translator } from '../i18n/index.js';
import { english } from '../i18n/index.js';

/** The "what to run next" line the CLI prints under an error, in the user's language. Library messages carry none. */
export function hintFor(e: HandoffError, tr: Translator = english): string | undefined {
  const name = e.credential ?? 'NAME';
  const errno = errnoOf(e.cause);
  switch (e.key) {
    case 'fleet.lost_empty':
    case 'fleet.lost_reset':
    case 'fleet.back_in_time':
      return tr.t('fleet.hint.restore', { name });
    case 'fleet.damaged':
      return tr.t('fleet.hint.damaged', { name });
    case 'fleet.not_member':
    case 'fleet.not_a_key':
      return tr.t('fleet.hint.members');
    case 'fleet.ioredis_missing':
      return undefined; // the message says what to install
    case 'fleet.link.login_refused':
      return tr.t('fleet.hint.login_refused');
    case 'fleet.link.noperm':
      return tr.t('fleet.hint.noperm');
    case 'grant.older':
      return tr.t('grant.hint.older', { name });
    case 'grant.elsewhere':
      return tr.t('grant.hint.elsewhere', { other: String(e.params?.other ?? 'NAME') });
    default:
      break;
  }
  switch (e.code) {
    case CODES.REAUTH_REQUIRED:
      // without a credential, nothing was stored (a rejected code): no --force to suggest
      return e.credential ? tr.t('hint.reauth_required', { name }) : tr.t('hint.reauth_new');
    case CODES.FOREIGN_RESPONSE:
      return tr.t('hint.foreign_response');
    case CODES.DECRYPT_FAILED:
      return tr.t('hint.decrypt_failed');
    case CODES.BAD_FILE:
      // a stored copy that does not open (not a file someone sent): import it again or forget it
      return e.credential ? tr.t('hint.bad_stored', { name }) : tr.t('hint.bad_file');
    case CODES.BAD_KEY:
      return tr.t('hint.bad_key');
    case CODES.PERMISSIONS:
      // the file system refused this user (EACCES), or the store is too open (the message names the chmod)
      return errno === 'EACCES' || errno === 'EPERM' ? tr.t('hint.fs_access') : tr.t('hint.permissions');
    case CODES.NOT_FOUND:
      // a path the user gave, or a credential name (whose missing file is an ENOENT too)
      return errno !== undefined && e.credential === undefined ? tr.t('hint.fs_path') : tr.t('hint.not_found');
    case CODES.EXISTS:
      // a credential or an output file; never suggest --force for the machine key: that would orphan every credential
      return /machine key/.test(e.message) ? tr.t('hint.exists_key') : tr.t('hint.exists');
    case CODES.PROVIDER_UNAVAILABLE:
      return tr.t('hint.provider_unavailable');
    case CODES.PROVIDER_ERROR:
      return tr.t('hint.provider_error');
    case CODES.LOCK_TIMEOUT:
      // a refresh not sent because this process stalled: nothing to wait for
      return e.key === 'credential.not_sent' ? tr.t('hint.not_sent') : tr.t('hint.lock_timeout');
    case CODES.STORE_CONFLICT:
      return tr.t('hint.store_conflict');
    case CODES.STORE_UNAVAILABLE:
      return /fleet store/.test(e.message) ? tr.t('hint.store_unavailable_fleet') : tr.t('hint.store_unavailable_dir');
    case CODES.USAGE:
      return tr.t('hint.usage');
    default:
      return undefined;
  }
}
